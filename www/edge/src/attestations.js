// Validation attestations and signed waivers: in-toto Statement v1 / waiver payloads in DSSE
// envelopes signed by the edge's key (keys.js). The statement mirrors parapet-core's
// `waivers::attestation_statement`: findings as { rule, level, path } only — no messages, so no
// manifest text and no secret.

export const STATEMENT_PAYLOAD_TYPE = "application/vnd.in-toto+json";
export const WAIVER_PAYLOAD_TYPE = "application/vnd.parapet.waiver+json";
export const PREDICATE_TYPE = "https://parapet.dev/attestation/validation/v1";

const encoder = new TextEncoder();

export function statementOf(report, version, evaluatedAt) {
  const digest = String(report.input?.digest ?? "");
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: report.app?.name ?? "unknown", digest: { sha256: digest.replace(/^sha256:/, "") } }],
    predicateType: PREDICATE_TYPE,
    predicate: {
      verdict: report.verdict,
      policy: { name: report.policy?.name, digest: report.policy?.digest },
      engine: { name: "parapet", version },
      counts: report.counts,
      findings: report.findings.map((f) => ({ rule: f.rule, level: f.level, path: f.path })),
      evaluatedAt,
    },
  };
}

/** The signed attestation of a report. */
export async function attest(signer, report, version) {
  const statement = statementOf(report, version, new Date().toISOString().replace(/\.\d{3}Z$/, "Z"));
  return signer.envelope(STATEMENT_PAYLOAD_TYPE, encoder.encode(JSON.stringify(statement)));
}

const DAY_MS = 86_400_000;
/** How long a waiver holds when the reviewer approves without an expiry. */
export const DEFAULT_WAIVER_DAYS = 90;

/**
 * The signed waiver of an approval: one envelope over { app, rules, target?, approval,
 * reviewer, expires, issued }, and the manifest's exception entries that carry it (one per
 * rule). `target` is the findings' common path when they all share one, so the waiver covers
 * that part of the app only.
 */
export async function signWaiver(signer, approval, { reviewer, expires, today }) {
  const app = approval.report?.app?.name;
  const rules = approval.approvalRules ?? [];
  if (!app || rules.length === 0) return null;
  const paths = [...new Set((approval.report?.findings ?? [])
    .filter((f) => rules.includes(f.rule) && f.level === "approval")
    .map((f) => f.path))];
  const until = expires ?? new Date(Date.parse(`${today}T00:00:00Z`) + DEFAULT_WAIVER_DAYS * DAY_MS).toISOString().slice(0, 10);
  const claims = {
    app,
    rules,
    ...(paths.length === 1 && paths[0] ? { target: paths[0] } : {}),
    approval: approval.id,
    reviewer,
    expires: until,
    issued: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  const envelope = await signer.envelope(WAIVER_PAYLOAD_TYPE, encoder.encode(JSON.stringify(claims)));
  return {
    kid: signer.kid,
    app,
    rules,
    target: claims.target ?? null,
    reviewer,
    expires: until,
    issued: claims.issued,
    envelope,
    exceptions: rules.map((rule) => ({ rule, approval: envelope })),
  };
}
