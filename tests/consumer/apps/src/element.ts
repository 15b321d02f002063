import init, { defineElement } from "parapet/widget";

await init();
defineElement(); // <parapet-guard>

const guard = document.createElement("parapet-guard"); // a ParapetGuardElement
guard.setAttribute("policy-src", "/policy.yaml");
guard.addEventListener("parapet:error", (e) => {
  console.error(`parapet: ${e.detail.code}: ${e.detail.message}`);
});
document.body.append(guard);
guard.manifest = {
  apiVersion: "parapet.dev/v1",
  kind: "MicroApp",
  metadata: { name: "lunch" },
  spec: { tier: "sandbox", owner: "user:jane" },
};

export { guard };
