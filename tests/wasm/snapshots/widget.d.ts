/** Options of `mountWidget`, all optional. An unknown key, or a value of the wrong type, throws
 * `ParapetError` `invalid_argument`. */
export interface MountWidgetOptions {
    /** Policy pack: YAML/JSON text or an object. The built-in default pack when absent. */
    policy?: string | PolicyPack | null;
    /** Origin of the edge API; approval requests go to `{approvalEndpoint}/v1/approvals`. */
    approvalEndpoint?: string;
    /** Who asks for approvals (an e-mail or user id). */
    requester?: string;
    /** Base of the "why" links: `{docsBaseUrl}{rule id}`. Default `https://parapet.dev/docs/rules/`. */
    docsBaseUrl?: string;
    /** Today, `YYYY-MM-DD`, for dated rules. Default: the browser's date. */
    now?: string;
}

/** `parapet:approval-request` (cancelable): `preventDefault()` and the host sends it itself. */
export interface ParapetApprovalRequestDetail {
    /** The manifest as the host gave it: the object, or the text. */
    manifest: string | Record<string, unknown>;
    rules: string[];
    requester: string;
    justification: string;
    idempotencyKey: string;
    endpoint: string | null;
}

/** `parapet:error` (from `<parapet-guard>`): a bad attribute, policy or manifest. */
export interface ParapetErrorDetail {
    code: ErrorCode;
    message: string;
}

/** `parapet:focus`: a finding was clicked or activated by keyboard. */
export interface ParapetFocusDetail {
    /** JSON Pointer of the field the finding is about. */
    pointer: string;
    rule: string;
}

/** `<parapet-guard>`, after `defineElement()`. */
export interface ParapetGuardElement extends HTMLElement {
    /** The manifest to check: YAML/JSON text or an object. */
    manifest: ManifestInput | null | undefined;
    /** The policy pack (overrides `policy-src`). */
    policy: string | PolicyPack | null | undefined;
    /** The current verdict; `null` before the first manifest. */
    readonly verdict: Verdict | null;
}

/** `parapet:waiver`: the person clicked *Apply approval* on an approved request. */
export interface ParapetWaiverDetail {
    /** The approval request's id. */
    approval: string;
    /** Signed exception entries to store in the app's `spec.exceptions`. */
    exceptions: Exception[];
}

/** A manifest as the widget takes it: YAML/JSON text, or an object. */
export type ManifestInput = string | Manifest | Record<string, unknown>;

/**
 * What `mountWidget` returns: `update(manifest)`, `setPolicy(policy)`, `destroy()`.
 */
export class WidgetHandle {
    private constructor();
    free(): void;
    /**
     * Unmounts the widget and empties its shadow root. Later calls do nothing.
     */
    destroy(): void;
    /**
     * Replaces the policy pack (YAML/JSON text or an object); throws `ParapetError` with
     * code `invalid_policy` (and the pack's `errors`) and keeps the old pack when invalid.
     */
    setPolicy(policy: string | PolicyPack | null): void;
    /**
     * Re-evaluates `manifest` (YAML/JSON text, or an object) and re-renders.
     */
    update(manifest: ManifestInput): void;
    /**
     * The current verdict (`allow`, `warn`, `approval`, `deny`); undefined before `update`.
     */
    readonly verdict: Verdict | undefined;
}

/**
 * Registers the custom element `<parapet-guard>` (or `name`): attributes `approval-endpoint`,
 * `requester`, `docs-base-url`, `now`, `policy-src`; properties `.manifest`, `.policy` and
 * `.verdict`. Returns false when the name is already defined, so it is safe to call twice.
 */
export function defineElement(name?: string | null): boolean;

/**
 * Mounts the widget in an open shadow root on `element` and returns its handle.
 * Throws `ParapetError { code, message }` on a bad element, option or policy.
 */
export function mountWidget(element: HTMLElement, options?: MountWidgetOptions): WidgetHandle;

/**
 * YAML or JSON manifest text to a plain object, for builders that let people edit the text
 * and show it in a form too. Throws `ParapetError` (`invalid_argument`) on a syntax error.
 */
export function parseManifest(text: string): unknown;