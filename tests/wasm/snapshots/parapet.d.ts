/**
 * Declared and detected data sensitivity.
 */
export interface Classification {
    declared: Sensitivity | null;
    detected: Sensitivity | null;
    classes: DetectedClass[];
}

/**
 * Findings per level.
 */
export interface Counts {
    deny: number;
    approval: number;
    warn: number;
    info: number;
}

/**
 * A field of a data set: its name and samples are classified.
 */
export interface DataField {
    name: string;
    type?: string;
    classification?: Sensitivity;
    description?: string;
    required?: boolean;
    samples?: unknown[];
}

/**
 * A data set, form or table the app reads or stores.
 */
export interface DataSet {
    name: string;
    description?: string;
    source?: string;
    fields?: DataField[];
}

/**
 * One data class detected in the app, and where.
 */
export interface DetectedClass {
    /**
     * e.g. `email`, `us-ssn`, `payment-card`.
     */
    class: string;
    level: Sensitivity;
    /**
     * JSON Pointer of the element it was found in.
     */
    path: string;
}

/**
 * An approved waiver.
 */
export interface Exception {
    rule: string;
    /**
     * JSON Pointer: waive only findings at or under it.
     */
    target?: string;
    ticket?: string;
    /**
     * `YYYY-MM-DD`. Required unless the exception carries a signed `approval` (whose payload
     * holds the expiry).
     */
    expires?: string;
    reason?: string;
    approvedBy?: string;
    /**
     * A signed approval: the DSSE envelope of a waiver, verified offline against the pack\'s
     * `approvals.trustedKeys` (see `Engine` and `parapet:waiver`).
     */
    approval?: { payloadType: string; payload: string; signatures: { keyid?: string; sig: string }[] };
}

/**
 * One rule\'s finding.
 */
export interface Finding {
    /**
     * Rule id, `group/name` (see `rules()`).
     */
    rule: string;
    level: Level;
    message: string;
    /**
     * RFC 6901 JSON Pointer into the document.
     */
    path: string;
    location: Location;
    help: string;
    /**
     * Set on findings at level `approval`.
     */
    approval: Approval | null;
    /**
     * Set when an exception in the manifest waived the finding (its level is then `info`).
     */
    waivedBy: Waiver | null;
    /**
     * Secret findings: why the value is taken for a secret, in words.
     */
    reason?: string;
    /**
     * Secret findings: `certain`, `likely` or `possible` (a pack thresholds it per tier with
     * `secrets.minConfidence`).
     */
    confidence?: string;
    /**
     * UTF-16 code-unit offsets of the span (for Monaco/CodeMirror); only with `{ utf16: true }`.
     */
    utf16?: Utf16Range;
    /**
     * The vendor node the finding is on (vendor exports only), so a UI can highlight it.
     */
    node?: FindingNode;
    /**
     * Sidecar manifests checked with their export (CLI): the finding is in the vendor export,
     * this file (`spec.source.path` as written). Without it, the finding is in the input itself.
     */
    file?: string;
}

/**
 * A node of a vendor export (n8n node, Node-RED node, Power Automate action, Make module).
 */
export interface FindingNode {
    /**
     * The node\'s id in the export (Power Automate: the action\'s name).
     */
    id: string;
    /**
     * The node\'s name as the builder shows it (may be empty in Node-RED).
     */
    name: string;
    /**
     * The vendor\'s node type, e.g. `n8n-nodes-base.webhook`, `http in`, `Http`.
     */
    type: string;
}

/**
 * An IAM-style grant the app holds.
 */
export interface Grant {
    effect?: Effect;
    actions: StrOrList;
    resources: StrOrList;
}

/* tslint:disable */
/**
 * 1-based line and column span; columns count Unicode scalar values.
 */
export interface Location {
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
}

/**
 * Manifest v1: one micro app. The engine also accepts objects that do not fit this type (it
 * reports what is wrong with them); the type is for authoring.
 */
export interface Manifest {
    apiVersion: "parapet.dev/v1";
    kind: "MicroApp";
    metadata: Metadata;
    spec: Spec;
}

/**
 * One problem in a policy pack, positioned in the pack\'s text.
 */
export interface PolicyProblem {
    message: string;
    pointer: string;
    line: number;
    column: number;
}

/**
 * One rule of the catalogue, with its documentation (`rules()`).
 */
export interface RuleMeta {
    /**
     * Stable id, `group/name`.
     */
    id: string;
    /**
     * One line: when the rule fires.
     */
    summary: string;
    /**
     * Default level per tier.
     */
    defaults: TierLevels;
    /**
     * What to do about a finding.
     */
    help: string;
    /**
     * Why it matters (markdown).
     */
    rationale: string;
    /**
     * SARIF `security-severity`, 0.0 to 10.0.
     */
    securitySeverity: number;
}

/**
 * A secret found in free text by `engine.checkText`: where it is, what it is and how it is
 * shown, never the secret itself.
 */
export interface TextSecret {
    /**
     * Start of the secret in UTF-16 code units (a JS string index): `text.slice(start, end)`.
     */
    start: number;
    end: number;
    /**
     * The kind\'s stable id, e.g. `slack-bot-token`.
     */
    kind: string;
    /**
     * The kind in words, e.g. \"Slack bot token\".
     */
    name: string;
    /**
     * How reports show it: a short public prefix and a digest, e.g. `xoxb-…3f9a`.
     */
    redacted: string;
    /**
     * Why it is taken for a secret, in words.
     */
    reason: string;
    confidence: Confidence;
}

/**
 * A secret finding\'s confidence threshold per tier.
 */
export interface TierConfidence {
    sandbox?: "certain" | "likely" | "possible";
    controlled?: "certain" | "likely" | "possible";
    production?: "certain" | "likely" | "possible";
}

/**
 * A level for each tier.
 */
export interface TierLevels {
    sandbox: Level;
    controlled: Level;
    production: Level;
}

/**
 * A tier\'s data ceiling, budget cap and review cadence (`null`: none).
 */
export interface TierPolicy {
    maxDataClass?: Sensitivity;
    budgetCapMonthly?: number | null;
    reviewEveryDays?: number | null;
}

/**
 * How sure the engine is that a value is a secret, highest first.
 */
export type Confidence = "certain" | "likely" | "possible";

/**
 * A finding\'s level, lowest to highest. `off` appears only in policy (a rule switched off).
 */
export type Level = "off" | "info" | "warn" | "approval" | "deny";

/**
 * A rule\'s level override: one level for every tier, or per tier.
 */
export type RuleOverride = Level | TierLevelOverrides;

/**
 * How sensitive data is, lowest to highest.
 */
export type Sensitivity = "public" | "internal" | "confidential" | "restricted";

/**
 * One string or a list of strings.
 */
export type StrOrList = string | string[];

/**
 * Options for `engine.evaluate`.
 */
export interface EvaluateOptions {
    /**
     * Today as `YYYY-MM-DD` (an RFC 3339 timestamp\'s date is used too). Default: today\'s UTC
     * date from the JS clock.
     */
    now?: string;
    /**
     * How to read text input. Default `auto` (JSON when it starts with `{` or `[`).
     */
    format?: InputFormat;
    /**
     * Add UTF-16 offsets (`finding.utf16`) for JS editors. Default `false`.
     */
    utf16?: boolean;
    /**
     * The tier of a vendor export (n8n, Node-RED, ...), which states none itself. A manifest\'s
     * own `spec.tier` is not overridden. Default: the export\'s `parapet:tier=` tag, else the
     * pack\'s `defaults.tier`.
     */
    tier?: Tier;
    /**
     * The input\'s SHA-256 as `sha256:` and 64 lowercase hex digits, for the report\'s
     * `input.digest`, when the host has hashed the input already with its own native SHA-256
     * (WebCrypto\'s `crypto.subtle.digest(\"SHA-256\", bytes)`, `node:crypto`): the engine\'s portable
     * SHA-256 is ~13-20% of a typical evaluation in wasm. Not checked: give only the digest of
     * the exact bytes (or the UTF-8 of the exact text) evaluated. Default: the engine hashes.
     */
    digest?: string;
}

/**
 * Policy pack v1, as written in a pack file: every field optional, merged over the built-in
 * default field by field (`Engine.defaultPolicy()`).
 */
export interface PolicyPack {
    apiVersion?: "parapet.dev/v1";
    kind?: "PolicyPack";
    metadata?: PackMetadata;
    tiers?: PackTiers;
    connectors?: PackConnectors;
    /**
     * Ordered host rules; the first match wins.
     */
    endpoints?: EndpointRule[];
    /**
     * Per-rule overrides: one level for every tier, or a level per tier.
     */
    rules?: Record<string, RuleOverride>;
    secrets?: PackSecrets;
    approvals?: PackApprovals;
    /**
     * Defaults for vendor exports, which state no tier of their own.
     */
    defaults?: PackDefaults;
}

/**
 * Report v1: the engine\'s answer for one manifest.
 *
 * For object input the locations refer to the object\'s `JSON.stringify` text.
 */
export interface Report {
    schema: "parapet.dev/report/v1";
    verdict: Verdict;
    app: App;
    classification: Classification;
    findings: Finding[];
    counts: Counts;
    policy: PolicyRef;
    input: InputRef;
}

/**
 * Risk tier: controls grow with risk.
 */
export type Tier = "sandbox" | "controlled" | "production";

/**
 * Something the app talks to.
 */
export interface Connector {
    name: string;
    type?: ConnectorType;
    /**
     * Service key, matched against the pack\'s connector groups.
     */
    service?: string;
    url?: string;
    direction?: Direction;
    auth?: ConnectorAuth;
    secretRef?: string;
    /**
     * Values are scanned for secrets.
     */
    headers?: Record<string, unknown>;
    actions?: ConnectorAction[];
    description?: string;
}

/**
 * Start and end offsets in UTF-16 code units (JavaScript string indices).
 */
export interface Utf16Range {
    start: number;
    end: number;
}

/**
 * The app the report is about (`null` where the manifest does not say, or says wrongly).
 */
export interface App {
    name: string | null;
    tier: Tier | null;
}

/**
 * The exception that waived a finding.
 */
export interface Waiver {
    ticket: string | null;
    expires: string | null;
    /**
     * JSON Pointer of the exception in the manifest.
     */
    exception: string;
}

/**
 * The input the report is about.
 */
export interface InputRef {
    /**
     * `parapet` for a canonical manifest; a vendor export\'s format (`n8n`, `node-red`,
     * `power-automate`, `logic-apps`, `make`, `backstage`), detected by structure; `unknown`
     * for anything else.
     */
    format: string;
    /**
     * `sha256:` and the hex digest of the input\'s UTF-8 bytes.
     */
    digest: string;
    /**
     * Sidecar manifests checked with their export (CLI): the export.
     */
    source?: SourceInput;
}

/**
 * The policy pack the report was made with.
 */
export interface PolicyRef {
    name: string;
    /**
     * `sha256:` and the hex digest of the compiled pack.
     */
    digest: string;
}

/**
 * The report\'s overall answer: the highest level among its findings.
 */
export type Verdict = "allow" | "warn" | "approval" | "deny";

/**
 * The vendor export a sidecar manifest was checked with.
 */
export interface SourceInput {
    /**
     * The format detected in the export, by structure.
     */
    format: string;
    /**
     * `spec.source.path` as written in the manifest.
     */
    path: string;
    /**
     * `sha256:` and the hex digest of the export\'s UTF-8 bytes.
     */
    digest: string;
}

/**
 * The vendor formats a sidecar manifest can name.
 */
export type SourceFormat = "n8n" | "node-red" | "power-automate" | "logic-apps" | "make" | "backstage";

/**
 * What kind of error a `ParapetError` is.
 */
export type ErrorCode = "invalid_policy" | "invalid_argument" | "input_too_large" | "not_initialized" | "policy_fetch" | "internal";

/**
 * What starts the app.
 */
export interface Trigger {
    name: string;
    type: TriggerType;
    path?: string;
    schedule?: string;
    public?: boolean;
    auth?: TriggerAuth;
    description?: string;
}

/**
 * Where an approval request for the finding goes.
 */
export interface Approval {
    route: string;
}

/**
 * `spec.source`: the vendor export a sidecar manifest describes.
 */
export interface Source {
    format: SourceFormat;
    /**
     * Path of the export, relative to the manifest.
     */
    path: string;
}

/**
 * `{ allow: \"*.corp.example\" }` or `{ deny: \"*.ngrok.io\" }`.
 */
export interface EndpointRule {
    allow?: string;
    deny?: string;
}

/** Every rule id by its name in the rule registry (`ruleIds()`), in catalogue order. */
export interface RuleIds {
    readonly ManifestSyntax: "manifest/syntax";
    readonly ManifestSchema: "manifest/schema";
    readonly OwnershipMissingOwner: "ownership/missing-owner";
    readonly OwnershipMissingSla: "ownership/missing-sla";
    readonly DataClassificationRequired: "data/classification-required";
    readonly DataSensitiveDataInTier: "data/sensitive-data-in-tier";
    readonly DataUndeclaredSensitiveData: "data/undeclared-sensitive-data";
    readonly IntegrationBlockedConnector: "integration/blocked-connector";
    readonly IntegrationExternalConnector: "integration/external-connector";
    readonly IntegrationInsecureTransport: "integration/insecure-transport";
    readonly SecretsPlaintextSecret: "secrets/plaintext-secret";
    readonly ConfigCorsWildcard: "config/cors-wildcard";
    readonly ConfigIamWildcard: "config/iam-wildcard";
    readonly ConfigUnauthenticatedTrigger: "config/unauthenticated-trigger";
    readonly CostBudgetRequired: "cost/budget-required";
    readonly CostOverBudget: "cost/over-budget";
    readonly CostTierCap: "cost/tier-cap";
    readonly ExportNotExportable: "export/not-exportable";
    readonly ExportNoRepository: "export/no-repository";
    readonly LifecycleReviewOverdue: "lifecycle/review-overdue";
    readonly LifecyclePastRetirement: "lifecycle/past-retirement";
    readonly ExceptionsExpired: "exceptions/expired";
    readonly ExceptionsUnknownRule: "exceptions/unknown-rule";
    readonly ExceptionsInvalidSignature: "exceptions/invalid-signature";
    readonly ConfigCodeExecution: "config/code-execution";
    readonly IntegrationTlsVerificationDisabled: "integration/tls-verification-disabled";
}

/** A rule id, `group/name`. */
export type RuleId = RuleIds[keyof RuleIds];


export interface Cors {
    allowOrigins?: string[];
    allowCredentials?: boolean;
    allowMethods?: string[];
    allowHeaders?: string[];
}

export interface Cost {
    currency?: string;
    budgetMonthly?: number;
    estimateMonthly?: number;
    actualMonthly?: number;
}

export interface Export {
    exportable?: boolean;
    format?: string;
    repository?: string;
}

export interface Metadata {
    /**
     * `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`
     */
    name: string;
    title?: string;
    description?: string;
    tags?: string[];
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
}

export interface Network {
    cors?: Cors;
    egress?: string[];
}

export interface PackApprovals {
    /**
     * Rule-id glob to route: `{ \"integration/*\": \"integration-review\", \"*\": \"security-review\" }`.
     */
    routes?: Record<string, string>;
}

export interface PackConnectors {
    /**
     * Services that count as business (inside the organisation\'s data boundary).
     */
    business?: string[];
    blocked?: string[];
    /**
     * How an unlisted service counts.
     */
    unknown?: UnknownService;
    /**
     * Vendor node type -> service id, e.g. `{ \"n8n-nodes-base.myCrm\": \"crm\" }`.
     */
    nodeTypes?: Record<string, string>;
    /**
     * Host -> service id, e.g. `{ \"api.hubapi.com\": \"hubspot\" }`.
     */
    hosts?: Record<string, string>;
}

export interface PackDefaults {
    /**
     * The tier of a vendor export without a caller tier or `parapet:tier=` tag (built-in:
     * sandbox).
     */
    tier?: Tier;
}

export interface PackMetadata {
    name?: string;
    version?: string;
    description?: string;
}

export interface PackSecrets {
    /**
     * Regexes for known-fake values.
     */
    allow?: string[];
    /**
     * The least confidence a secret finding needs to be reported, per tier (default:
     * `possible`, everything).
     */
    minConfidence?: TierConfidence;
}

export interface PackTiers {
    sandbox?: TierPolicy;
    controlled?: TierPolicy;
    production?: TierPolicy;
}

export interface Review {
    /**
     * `YYYY-MM-DD`
     */
    lastReviewed?: string;
    /**
     * `YYYY-MM-DD`
     */
    retireBy?: string;
    reviewer?: string;
}

export interface Sla {
    support?: string;
    responseHours?: number;
    availability?: string;
}

export interface Spec {
    tier: Tier;
    /**
     * `user:NAME`, `group:NAME` or an e-mail address.
     */
    owner?: string;
    contacts?: string[];
    platform?: string;
    dataClassification?: Sensitivity;
    data?: DataSet[];
    connectors?: Connector[];
    triggers?: Trigger[];
    network?: Network;
    permissions?: Grant[];
    /**
     * Free-form configuration; every string in it is scanned.
     */
    settings?: unknown;
    cost?: Cost;
    sla?: Sla;
    export?: Export;
    review?: Review;
    exceptions?: Exception[];
    /**
     * A sidecar manifest: the app\'s connectors, triggers and data are in this vendor export
     * (the manifest\'s own fields give tier, owner, cost, review and exceptions).
     */
    source?: Source;
}

export interface TierLevelOverrides {
    sandbox?: Level;
    controlled?: Level;
    production?: Level;
}

export type ConnectorAction = "read" | "write" | "delete" | "send" | "admin";

export type ConnectorAuth = "none" | "basic" | "apiKey" | "oauth2" | "secretRef";

export type ConnectorType = "http" | "saas" | "database" | "email" | "chat" | "storage" | "webhook" | "other";

export type Direction = "outbound" | "inbound" | "both";

export type Effect = "allow" | "deny";

export type InputFormat = "auto" | "json" | "yaml";

export type TriggerAuth = "none" | "token" | "hmac" | "oauth2" | "sso";

export type TriggerType = "webhook" | "schedule" | "event" | "manual" | "form";

export type UnknownService = "external" | "business" | "blocked";


/**
 * A policy pack compiled once and reused for every `evaluate` call.
 */
export class Engine {
    free(): void;
    /**
     * The secrets in free text (a justification, a comment, a query parameter): where each is,
     * its kind and its redacted form, never the secret itself. The pack's `secrets.allow`
     * applies. Empty when there is none.
     *
     * `field` names the field the text was typed into (`"justification"`, `"comment"`): the
     * text is then judged as the value of a manifest setting of that name would be (a
     * `comment` is prose, a `password` is a secret's place). Without it, as under a neutral
     * field.
     *
     * Throws a `ParapetError` with code `invalid_argument` (not a string; a field name that is
     * not a string of 1 to 200 characters) or `input_too_large` (over 8 MiB).
     */
    checkText(text: string, field?: string | null): TextSecret[];
    /**
     * The built-in default policy pack, as YAML text.
     */
    static defaultPolicy(): string;
    /**
     * `evaluateJson`, with the JSON text as UTF-8 bytes: exactly
     * `new TextEncoder().encode(engine.evaluateJson(manifest, options))`. For hosts that
     * send the report on as bytes (an HTTP body: `new Response(bytes)`), it skips decoding
     * the text into a JavaScript string only for it to be encoded again.
     *
     * Throws as `evaluate` does.
     */
    evaluateJsonBytes(manifest: string | Uint8Array | Manifest | Record<string, unknown>, options?: EvaluateOptions | null): Uint8Array;
    /**
     * `evaluate`, with the report as JSON text: exactly
     * `JSON.stringify(engine.evaluate(manifest, options))`, made in one step. For hosts that
     * pass the report on (an HTTP answer, a file, a message): it skips building the report's
     * JavaScript objects only to serialise them again.
     *
     * Throws as `evaluate` does.
     */
    evaluateJson(manifest: string | Uint8Array | Manifest | Record<string, unknown>, options?: EvaluateOptions | null): string;
    /**
     * Evaluates a manifest: YAML or JSON text, its UTF-8 bytes, or a manifest object.
     *
     * Returns Report v1. A manifest that cannot be read is a report (rule `manifest/syntax`),
     * not an error. For an object the report's locations and input digest refer to
     * `JSON.stringify(manifest, null, 2)`.
     *
     * Throws a `ParapetError` with code `invalid_argument` (wrong argument type, bad option)
     * or `input_too_large` (over 8 MiB).
     */
    evaluate(manifest: string | Uint8Array | Manifest | Record<string, unknown>, options?: EvaluateOptions | null): Report;
    /**
     * Compiles a policy pack: YAML or JSON text, or a pack object. Without one, the built-in
     * default pack. A pack is merged over the default field by field.
     *
     * Throws a `ParapetError` with code `invalid_policy` (with `line`, `column`, `pointer` and
     * every problem in `errors`), `invalid_argument` or `input_too_large`. For a pack object
     * the positions refer to `JSON.stringify(pack, null, 2)`.
     */
    constructor(policy?: string | PolicyPack | null);
    /**
     * The compiled pack's name and digest: exactly the `policy` of every report this engine
     * makes, without evaluating anything.
     */
    policy(): PolicyRef;
}

/**
 * Every rule id by its name in the rule registry, e.g. `ruleIds().ManifestSyntax` is
 * `"manifest/syntax"`, in catalogue order, as a frozen object. Hosts compare `finding.rule` with
 * these rather than write rule ids by hand.
 */
export function ruleIds(): RuleIds;

/**
 * The rule catalogue, with each rule's documentation (for UIs).
 */
export function rules(): RuleMeta[];

/**
 * The engine's version.
 */
export function version(): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_engine_free: (a: number, b: number) => void;
    readonly engine_checkText: (a: number, b: any, c: number) => [number, number, number];
    readonly engine_defaultPolicy: () => [number, number];
    readonly engine_evaluate: (a: number, b: any, c: number) => [number, number, number];
    readonly engine_evaluateJson: (a: number, b: any, c: number) => [number, number, number, number];
    readonly engine_evaluateJsonBytes: (a: number, b: any, c: number) => [number, number, number, number];
    readonly engine_new: (a: number) => [number, number, number];
    readonly engine_policy: (a: number) => [number, number, number];
    readonly ruleIds: () => any;
    readonly rules: () => [number, number, number];
    readonly version: () => [number, number];
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;

// ---- added by scripts/build-wasm.mjs (crates/parapet-wasm/js/prelude.d.ts) ----

/**
 * Every error the package throws: an `Error` named `"ParapetError"` with a `code`.
 * `e instanceof ParapetError` and `isParapetError(e)` both recognise it.
 */
export declare class ParapetError extends Error {
  /** Not constructed by callers: the package throws them. */
  private constructor();
  readonly name: "ParapetError";
  readonly code: ErrorCode;
  /** 1-based position of the (first) problem in the policy text (`invalid_policy`). */
  readonly line?: number;
  readonly column?: number;
  /** JSON Pointer of the (first) problem in the policy document (`invalid_policy`). */
  readonly pointer?: string;
  /** Every problem, for `invalid_policy`. */
  readonly errors?: PolicyProblem[];
  static [Symbol.hasInstance](value: unknown): value is ParapetError;
}

/** True when `value` is an error this package threw. */
export declare function isParapetError(value: unknown): value is ParapetError;
