import { Engine } from "parapet"; // on the server (Node): ready on import, no init()

const engine = new Engine();

export function render(manifest: string): string {
  const report = engine.evaluate(manifest);
  return `<p class="verdict" data-verdict="${report.verdict}">${report.findings.length} findings</p>`;
}
