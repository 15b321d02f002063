// ApprovalStore: the Durable Object that keeps approval requests in its SQLite database and
// forwards each new one to the approval webhook, retrying through alarms until it gets a 2xx.
//
// One instance holds every approval (the worker addresses it as idFromName("approvals")).
// Approval requests are human-paced — a few per minute in a large organisation — while one
// SQLite-backed object commits thousands of small transactions per second, so one instance is
// far from its limit. One instance makes the Idempotency-Key check a single synchronous
// look-up-then-insert (atomic: no await between them), lets GET /v1/approvals/{id} and the
// reviewers' queue read one table, and keeps one alarm driving all webhook retries. Sharding by
// key would need the shard in every id and a fan-out for the reviewers' list, for no gain at
// this volume.

import { DurableObject } from "cloudflare:workers";
import { backoffMs, deliver, importSigningKey } from "./webhook.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS approvals (
  seq              INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  idempotency_key  TEXT NOT NULL UNIQUE, -- "sha256:<hex>" of the client's key, never the key
  body_hash        TEXT NOT NULL,
  requester        TEXT NOT NULL,
  justification    TEXT NOT NULL,
  rules            TEXT NOT NULL,   -- JSON array: the rules the requester asked approval for
  approval_rules   TEXT NOT NULL,   -- JSON array: those of them at level approval on re-evaluation
  routes           TEXT NOT NULL,   -- JSON array: the review routes of those findings
  manifest         TEXT NOT NULL,   -- always '': the manifest is not kept (its secrets would be)
  summary          TEXT NOT NULL,   -- JSON: the engine's (redacted) report summary
  status           TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at       TEXT NOT NULL,
  decision         TEXT CHECK (decision IN ('approved', 'rejected')),
  reviewer         TEXT,
  decision_expires TEXT,
  decision_comment TEXT,
  decided_at       TEXT
);
CREATE TABLE IF NOT EXISTS waivers (
  approval_id      TEXT PRIMARY KEY REFERENCES approvals(id),
  waiver           TEXT NOT NULL    -- JSON: the signed waiver (DSSE envelope and exception entries)
);
CREATE TABLE IF NOT EXISTS deliveries (
  approval_id      TEXT PRIMARY KEY REFERENCES approvals(id),
  event            TEXT NOT NULL,
  payload          TEXT NOT NULL,   -- the exact JSON body signed and sent on every attempt
  state            TEXT NOT NULL CHECK (state IN ('pending', 'retrying', 'delivered', 'disabled')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER,         -- unix ms; NULL once delivered
  last_attempt_at  INTEGER,
  last_status      INTEGER,         -- HTTP status of the last attempt, NULL if it got none
  last_error       TEXT,            -- "timeout" | "connection failed" | NULL
  delivered_at     INTEGER
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS approvals_status ON approvals (status, seq);
CREATE INDEX IF NOT EXISTS approvals_requester ON approvals (requester, created_at);
`;

const DUE_BATCH = 50;
const DELIVERY_CONCURRENCY = 8;

export class ApprovalStore extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    this.retryBaseMs = positiveInt(env.WEBHOOK_RETRY_BASE_MS, 2_000);
    this.retryMaxMs = positiveInt(env.WEBHOOK_RETRY_MAX_MS, 10 * 60_000);
    this.timeoutMs = positiveInt(env.WEBHOOK_TIMEOUT_MS, 10_000);
    this.signingKey = null;
    // Intake bounds: approval requests per requester per hour, and the database's size.
    this.perRequesterPerHour = positiveInt(env.APPROVALS_PER_REQUESTER_PER_HOUR, 20);
    this.maxBytes = positiveInt(env.APPROVALS_MAX_BYTES, 256 * 1024 * 1024);
    // Deliveries left undelivered by an earlier process keep their alarm (alarms are stored with
    // the object); this only repairs a missing one.
    ctx.blockConcurrencyWhile(async () => {
      await this.scrub();
      if (this.nextDue() !== null && (await ctx.storage.getAlarm()) === null) {
        await this.schedule();
      }
    });
  }

  /**
   * Records a new approval request, or finds the one made under the same Idempotency-Key.
   * Everything from the look-up to the insert is synchronous, so concurrent requests with one key
   * cannot both insert; the output gate holds the answer until the rows are on disk.
   */
  create(request) {
    const prior = this.sql
      .exec("SELECT id, body_hash, status FROM approvals WHERE idempotency_key = ?", request.key)
      .toArray()[0];
    if (prior) {
      return prior.body_hash === request.bodyHash
        ? { outcome: "replayed", id: prior.id, status: prior.status }
        : { outcome: "conflict" };
    }
    const refused = this.intakeLimit(request.requester);
    if (refused) return refused;
    const id = crypto.randomUUID();
    const created = new Date().toISOString();
    const payload = JSON.stringify({
      type: "approval.requested",
      id,
      created,
      ...request.event,
      links: { self: `/v1/approvals/${id}` },
    });
    const webhook = Boolean(this.env.WEBHOOK_URL);
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        `INSERT INTO approvals (id, idempotency_key, body_hash, requester, justification, rules,
           approval_rules, routes, manifest, summary, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
        id, request.key, request.bodyHash, request.requester, request.justification,
        JSON.stringify(request.rules), JSON.stringify(request.approvalRules),
        JSON.stringify(request.routes), "", JSON.stringify(request.summary), created,
      );
      this.sql.exec(
        `INSERT INTO deliveries (approval_id, event, payload, state, next_attempt_at)
         VALUES (?, 'approval.requested', ?, ?, ?)`,
        id, payload, webhook ? "pending" : "disabled", webhook ? Date.now() : null,
      );
    });
    if (webhook) this.ctx.storage.setAlarm(Date.now());
    return { outcome: "created", id, status: "pending" };
  }

  /**
   * A refusal when the requester has sent too many requests in the last hour, or the database
   * has reached its size; null when the request may be recorded.
   */
  intakeLimit(requester) {
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const recent = this.sql
      .exec("SELECT count(*) AS n, min(created_at) AS first FROM approvals WHERE requester = ? AND created_at > ?",
        requester, hourAgo)
      .one();
    if (recent.n >= this.perRequesterPerHour) {
      const retryAfter = (Date.parse(recent.first) + 3_600_000 - Date.now()) / 1000;
      return { outcome: "rate-limited", retryAfter: Math.max(1, retryAfter) };
    }
    if (databaseSize(this.sql) >= this.maxBytes) return { outcome: "quota", retryAfter: 3600 };
    return null;
  }

  /**
   * Stores written by earlier versions kept the manifest text and raw Idempotency-Keys: both are
   * replaced once, at start (the manifest by '', the key by its hash).
   */
  async scrub() {
    this.sql.exec("UPDATE approvals SET manifest = '' WHERE manifest != ''");
    const raw = this.sql
      .exec("SELECT seq, idempotency_key AS k FROM approvals WHERE idempotency_key NOT LIKE 'sha256:%'")
      .toArray();
    for (const r of raw) {
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(r.k));
      const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
      this.sql.exec("UPDATE approvals SET idempotency_key = ? WHERE seq = ?", `sha256:${hex}`, r.seq);
    }
  }

  /** The public view of one approval, or null. */
  get(id) {
    const row = this.sql.exec(`${VIEW_SELECT} WHERE a.id = ?`, id).toArray()[0];
    return row ? view(row) : null;
  }

  /** Reviewers' queue, oldest first, `limit` at a time after sequence number `after`. */
  list({ status, after, limit }) {
    const rows = status
      ? this.sql.exec(`${VIEW_SELECT} WHERE a.status = ? AND a.seq > ? ORDER BY a.seq LIMIT ?`,
        status, after, limit + 1).toArray()
      : this.sql.exec(`${VIEW_SELECT} WHERE a.seq > ? ORDER BY a.seq LIMIT ?`,
        after, limit + 1).toArray();
    const page = rows.slice(0, limit);
    const total = this.sql.exec(
      status ? "SELECT count(*) AS n FROM approvals WHERE status = ?" : "SELECT count(*) AS n FROM approvals",
      ...(status ? [status] : []),
    ).one().n;
    return {
      total,
      approvals: page.map(view),
      next: rows.length > limit ? String(page[page.length - 1].seq) : null,
    };
  }

  /**
   * Records a reviewer's decision. A pending request takes it; repeating the identical decision
   * is answered as done (a retried POST); any other decision on a decided request is a conflict.
   */
  decide(id, d) {
    const row = this.sql
      .exec("SELECT status, decision, reviewer, decision_expires, decision_comment FROM approvals WHERE id = ?", id)
      .toArray()[0];
    if (!row) return { outcome: "not-found" };
    if (row.status !== "pending") {
      const same = row.decision === d.decision && row.reviewer === d.reviewer
        && row.decision_expires === d.expires && row.decision_comment === d.comment;
      return same ? { outcome: "unchanged", approval: this.get(id) } : { outcome: "conflict", status: row.status };
    }
    this.sql.exec(
      `UPDATE approvals SET status = ?, decision = ?, reviewer = ?, decision_expires = ?,
         decision_comment = ?, decided_at = ? WHERE id = ?`,
      d.decision, d.decision, d.reviewer, d.expires, d.comment, new Date().toISOString(), id,
    );
    if (d.decision === "approved" && d.waiver) {
      this.sql.exec("INSERT OR REPLACE INTO waivers (approval_id, waiver) VALUES (?, ?)", id, JSON.stringify(d.waiver));
    }
    return { outcome: "decided", approval: this.get(id) };
  }

  /**
   * Counts for the catalog's metrics: pending requests, decision times (seconds) per histogram
   * bucket (`bounds` ascending; each count is of its own bucket, not cumulative) and requests per
   * day over the last 30 days that have any.
   */
  stats(bounds) {
    const pending = this.sql.exec("SELECT count(*) AS n FROM approvals WHERE status = 'pending'").one().n;
    const times = this.sql
      .exec(`SELECT (julianday(decided_at) - julianday(created_at)) * 86400.0 AS s FROM approvals
             WHERE decided_at IS NOT NULL`)
      .toArray()
      .map((r) => Math.max(0, r.s));
    const buckets = bounds.map(() => 0);
    for (const t of times) {
      const i = bounds.findIndex((b) => t <= b);
      if (i >= 0) buckets[i] += 1;
    }
    const byDay = this.sql
      .exec(`SELECT substr(created_at, 1, 10) AS day, count(*) AS requested,
               sum(status = 'approved') AS approved, sum(status = 'rejected') AS rejected
             FROM approvals GROUP BY day ORDER BY day DESC LIMIT 30`)
      .toArray()
      .reverse();
    return {
      pending,
      decided: times.length,
      buckets,
      sumSeconds: times.reduce((a, b) => a + b, 0),
      byDay,
    };
  }

  /** Delivers every due webhook, then sets the alarm for the next one still owed. */
  async alarm() {
    const url = this.env.WEBHOOK_URL;
    if (url) {
      const due = this.sql
        .exec(
          `SELECT approval_id, event, payload, attempts FROM deliveries
           WHERE state IN ('pending', 'retrying') AND next_attempt_at <= ?
           ORDER BY next_attempt_at LIMIT ?`,
          Date.now(), DUE_BATCH,
        )
        .toArray();
      if (due.length) {
        this.signingKey ??= await importSigningKey(String(this.env.WEBHOOK_SECRET));
        await forEachLimited(due, DELIVERY_CONCURRENCY, (d) => this.attempt(url, d));
      }
    }
    await this.schedule();
  }

  async attempt(url, d) {
    const result = await deliver({
      url,
      key: this.signingKey,
      payload: d.payload,
      deliveryId: d.approval_id,
      event: d.event,
      timeoutMs: this.timeoutMs,
    });
    const now = Date.now();
    const attempts = d.attempts + 1;
    if (result.ok) {
      this.sql.exec(
        `UPDATE deliveries SET state = 'delivered', attempts = ?, last_attempt_at = ?,
           last_status = ?, last_error = NULL, next_attempt_at = NULL, delivered_at = ?
         WHERE approval_id = ?`,
        attempts, now, result.status, now, d.approval_id,
      );
    } else {
      this.sql.exec(
        `UPDATE deliveries SET state = 'retrying', attempts = ?, last_attempt_at = ?,
           last_status = ?, last_error = ?, next_attempt_at = ? WHERE approval_id = ?`,
        attempts, now, result.status, result.error,
        now + backoffMs(attempts, this.retryBaseMs, this.retryMaxMs), d.approval_id,
      );
      console.warn(JSON.stringify({
        msg: "webhook delivery failed", approval: d.approval_id, attempt: attempts,
        status: result.status, error: result.error,
      }));
    }
  }

  nextDue() {
    return this.sql
      .exec("SELECT min(next_attempt_at) AS t FROM deliveries WHERE state IN ('pending', 'retrying')")
      .one().t;
  }

  async schedule() {
    const next = this.env.WEBHOOK_URL ? this.nextDue() : null;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
  }
}

const VIEW_SELECT = `
  SELECT a.seq, a.id, a.status, a.created_at, a.requester, a.justification, a.rules,
         a.approval_rules, a.routes, a.summary, a.decision, a.reviewer, a.decision_expires,
         a.decision_comment, a.decided_at,
         d.state AS delivery_state, d.attempts, d.next_attempt_at, d.last_attempt_at,
         d.last_status, d.last_error, d.delivered_at, w.waiver
  FROM approvals a LEFT JOIN deliveries d ON d.approval_id = a.id
       LEFT JOIN waivers w ON w.approval_id = a.id`;

/** The API's view of a row: never the stored manifest, only the redacted report summary. */
function view(r) {
  const iso = (ms) => (ms == null ? null : new Date(ms).toISOString());
  return {
    id: r.id,
    status: r.status,
    created: r.created_at,
    requester: r.requester,
    justification: r.justification,
    rules: JSON.parse(r.rules),
    approvalRules: JSON.parse(r.approval_rules),
    routes: JSON.parse(r.routes),
    report: JSON.parse(r.summary),
    decision: r.decision
      ? {
        decision: r.decision,
        reviewer: r.reviewer,
        expires: r.decision_expires,
        comment: r.decision_comment,
        decidedAt: r.decided_at,
      }
      : null,
    waiver: r.waiver ? JSON.parse(r.waiver) : null,
    delivery: {
      state: r.delivery_state ?? "disabled",
      attempts: r.attempts ?? 0,
      lastAttemptAt: iso(r.last_attempt_at),
      lastStatus: r.last_status ?? null,
      lastError: r.last_error ?? null,
      nextAttemptAt: iso(r.next_attempt_at),
      deliveredAt: iso(r.delivered_at),
    },
  };
}

async function forEachLimited(items, limit, fn) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(lanes);
}

/** Bytes the SQLite database takes (0 where the runtime does not say). */
function databaseSize(sql) {
  const n = Number(sql.databaseSize);
  return Number.isFinite(n) ? n : 0;
}

function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
