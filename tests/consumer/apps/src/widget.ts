import init, { mountWidget, type ManifestInput, type Verdict } from "parapet/widget";

await init(); // one wasm file: the engine and the widget
const host = document.querySelector<HTMLElement>("#policy");
if (!host) throw new Error("no #policy element");

const widget = mountWidget(host, {
  approvalEndpoint: "https://parapet-edge.corp.example", // POST {endpoint}/v1/approvals
  requester: "jane@corp.example",
});
host.addEventListener("parapet:focus", (e) => {
  console.log(`go to ${e.detail.pointer} (${e.detail.rule})`);
});

export function onChange(manifest: ManifestInput): Verdict | undefined {
  widget.update(manifest); // on every edit: an object, or YAML/JSON text
  return widget.verdict;
}
