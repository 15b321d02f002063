#!/usr/bin/env node
// Writes the benchmark manifests: a "typical" micro app (60 fields, 20 connectors, secrets and
// PII sprinkled in) and the same app x10. Deterministic: the files are committed and shared by
// the Rust, wasm, widget and edge benchmarks.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const out = fileURLToPath(new URL("../crates/parapet-core/benches/data/", import.meta.url));
const services = ["slack", "google-sheets", "workday", "salesforce", "hubspot", "sharepoint", "stripe", "zendesk", "jira", "airtable"];
const fieldNames = ["employee_email", "first_name", "last_name", "phone", "start_date", "department", "cost_center", "manager", "office", "badge_id",
  "order_id", "sku", "quantity", "unit_price", "status", "notes", "created_at", "updated_at", "region", "priority"];

function app(scale) {
  const fields = [];
  for (let i = 0; i < 60 * scale; i++) {
    const name = `${fieldNames[i % fieldNames.length]}_${i}`;
    const f = { name, type: "string" };
    if (i % 10 === 0) f.samples = [`person${i}@example.org`];
    else if (i % 10 === 3) f.samples = ["+44 20 7946 0958"];
    else if (i % 10 === 5) f.samples = [`SKU-${1000 + i}-A`, "Thai Garden"];
    fields.push(f);
  }
  const connectors = [];
  for (let i = 0; i < 20 * scale; i++) {
    const service = services[i % services.length];
    const c = { name: `${service}-${i}`, type: "saas", service, url: `https://api.${service}.example.com/v${i % 3 + 1}`, auth: "oauth2", actions: ["read"] };
    if (i % 7 === 0) {
      c.auth = "apiKey";
      // A fake Slack bot token, assembled so that no scanner mistakes this script for a leak.
      c.headers = { Authorization: "Bearer " + ["xoxb", "2048", String(1000000000000 + i), "AbCdEfGhIjKlMnOpQrStUvWx"].join("-") };
    }
    if (i % 9 === 4) c.url = c.url.replace("https://", "http://");
    connectors.push(c);
  }
  return {
    apiVersion: "parapet.dev/v1",
    kind: "MicroApp",
    metadata: { name: scale === 1 ? "typical-app" : `typical-app-x${scale}`, title: "A typical citizen-built app" },
    spec: {
      tier: "controlled",
      owner: "group:ops",
      platform: "n8n",
      dataClassification: "confidential",
      data: [{ name: "records", fields }],
      connectors,
      triggers: [{ name: "intake", type: "webhook", path: "/hooks/intake", public: true, auth: "none" }, { name: "nightly", type: "schedule", schedule: "0 2 * * *" }],
      network: { cors: { allowOrigins: ["https://portal.corp.example", "*"] } },
      permissions: [{ effect: "allow", actions: ["sheets:*"], resources: ["sheet/records"] }],
      settings: { retries: 3, region: "eu-west-1", notify: "ops@corp.example", callback: "http://hooks.partner.example/cb" },
      cost: { currency: "USD", budgetMonthly: 300, estimateMonthly: 120 },
      export: { exportable: true, format: "json" },
      review: { lastReviewed: "2026-10-01" },
    },
  };
}

writeFileSync(out + "typical.json", JSON.stringify(app(1), null, 2) + "\n");
writeFileSync(out + "typical-x10.json", JSON.stringify(app(10), null, 2) + "\n");
console.log(`wrote ${out}typical.json and typical-x10.json`);
