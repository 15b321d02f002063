// The app catalog's storage: one Durable Object per app and a sharded index.
//
//   CatalogApp    one instance per app (CATALOG_APPS.idFromName(name)). Its SQLite database holds
//                 the app's latest record and its history (the last HISTORY_LIMIT scans). Every
//                 update of one app goes through its own object, so concurrent registrations of
//                 the same app are serialised there, and apps never wait on each other.
//   CatalogIndex  CATALOG_SHARDS instances (idFromName("index-<i>"), i = hash(name) mod N). Each
//                 holds one summary row per app of its shard, for listing and filtering, and
//                 running aggregates (apps by tier and verdict, findings by rule and level, ...)
//                 kept up to date in the same transaction as the row, so that metrics read a few
//                 counters per shard instead of scanning apps.
//
// No object sees every request: registrations touch one app object and one index shard; a list
// page or the metrics read every shard once (N small reads, in parallel).
//
// Only the engine's redacted report fields and manifest metadata are stored — never the manifest.
// An app object pushes its summary to its shard after each committed update, with a version
// number the shard uses to ignore stale pushes; a push that fails is retried from an alarm, so
// the index catches up with the app objects after a crash between the two writes.

import { DurableObject } from "cloudflare:workers";
import { RULE } from "./engine.js";

export const HISTORY_LIMIT = 50;
export const VERDICTS = ["allow", "warn", "approval", "deny"];
export const TIERS = ["sandbox", "controlled", "production"];
export const LEVELS = ["info", "warn", "approval", "deny"];

const APP_SCHEMA = `
CREATE TABLE IF NOT EXISTS app (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  name            TEXT NOT NULL,
  version         INTEGER NOT NULL,
  record          TEXT NOT NULL          -- JSON: the latest record (redacted report fields + metadata)
);
CREATE TABLE IF NOT EXISTS history (
  seq           INTEGER PRIMARY KEY,
  scanned_at    TEXT NOT NULL,
  source        TEXT NOT NULL,           -- register | approval | attestation
  verdict       TEXT NOT NULL,
  counts        TEXT NOT NULL,           -- JSON { deny, approval, warn, info }
  policy_name   TEXT,
  policy_digest TEXT,
  input_format  TEXT,
  input_digest  TEXT
);
`;

/**
 * How long after an update the app re-checks that its index shard has it (crash repair). Later
 * updates move the alarm, so a busy app costs one background check per quiet period, and a
 * crash between the two commits leaves the index behind for at most this long.
 */
const INDEX_REPAIR_MS = 5 * 60_000;

export class CatalogApp extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.schemaReady = false;
    // The version this instance has seen its shard accept (memory only: writing it would cost
    // a commit per registration; after a restart the alarm set with the update re-pushes).
    this.indexedVersion = 0;
  }

  /** Creates the tables on first write, in the same commit as that write. */
  ensureSchema() {
    if (!this.schemaReady) {
      this.sql.exec(APP_SCHEMA);
      this.schemaReady = true;
    }
  }

  hasSchema() {
    return this.schemaReady
      || this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'app'").toArray().length > 0;
  }

  /**
   * Records one scan of the app (a registration, an approval request or an attestation) and
   * returns the new record. The read-modify-write is synchronous: concurrent calls on this object
   * cannot interleave inside it, and the output gate holds the answer until it is on disk.
   */
  async upsert(scan) {
    this.ensureSchema();
    const prior = this.sql.exec("SELECT version, record FROM app WHERE id = 1").toArray()[0];
    const previous = prior ? JSON.parse(prior.record) : null;
    const version = (prior?.version ?? 0) + 1;
    const record = mergeRecord(previous, scan);
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        `INSERT INTO app (id, name, version, record) VALUES (1, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET version = excluded.version, record = excluded.record`,
        record.name, version, JSON.stringify(record),
      );
      if (scan.report) {
        const r = scan.report;
        this.sql.exec(
          `INSERT INTO history (scanned_at, source, verdict, counts, policy_name, policy_digest, input_format, input_digest)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          record.lastScanned, scan.source, r.verdict, JSON.stringify(r.counts),
          r.policy?.name ?? null, r.policy?.digest ?? null, r.input?.format ?? null, r.input?.digest ?? null,
        );
        this.sql.exec(
          "DELETE FROM history WHERE seq <= (SELECT max(seq) FROM history) - ?", HISTORY_LIMIT,
        );
      }
    });
    // Written with the update (no await in between: one commit). If the process dies before the
    // shard has the new summary, the alarm pushes it after the restart.
    this.ctx.storage.setAlarm(Date.now() + INDEX_REPAIR_MS);
    await this.pushToIndex();
    return record;
  }

  /** The app's record with its history (newest first), or null when it was never recorded. */
  get() {
    if (!this.hasSchema()) return null;
    const row = this.sql.exec("SELECT record FROM app WHERE id = 1").toArray()[0];
    if (!row) return null;
    const history = this.sql
      .exec(`SELECT scanned_at, source, verdict, counts, policy_name, policy_digest, input_format, input_digest
             FROM history ORDER BY seq DESC LIMIT ?`, HISTORY_LIMIT)
      .toArray()
      .map((h) => ({
        scannedAt: h.scanned_at,
        source: h.source,
        verdict: h.verdict,
        counts: JSON.parse(h.counts),
        policy: { name: h.policy_name, digest: h.policy_digest },
        input: { format: h.input_format, digest: h.input_digest },
      }));
    return { ...JSON.parse(row.record), history };
  }

  /** Sends the current summary to the app's index shard; on failure an alarm retries it. */
  async pushToIndex() {
    if (!this.hasSchema()) return;
    const row = this.sql.exec("SELECT version, record FROM app WHERE id = 1").toArray()[0];
    if (!row || this.indexedVersion >= row.version) return;
    const record = JSON.parse(row.record);
    try {
      await indexShard(this.env, record.name).put(summaryOf(record), row.version);
      this.indexedVersion = Math.max(this.indexedVersion, row.version);
    } catch (e) {
      console.warn(JSON.stringify({ msg: "catalog index update failed; retrying", name: e?.name }));
      await this.ctx.storage.setAlarm(Date.now() + 1000);
    }
  }

  /** Crash repair and retries: the shard ignores a version it already has. */
  async alarm() {
    await this.pushToIndex();
  }
}

/** The new record: the previous one updated by a scan (fields the scan does not carry are kept). */
function mergeRecord(previous, scan) {
  const now = scan.at ?? new Date().toISOString();
  const rec = previous ? { ...previous } : {
    name: scan.name,
    title: null,
    owner: null,
    platform: null,
    tier: null,
    verdict: null,
    counts: { deny: 0, approval: 0, warn: 0, info: 0 },
    findings: [],
    classification: { declared: null, detected: null },
    cost: null,
    review: null,
    exceptions: [],
    policy: null,
    input: null,
    lastScanned: null,
    firstSeen: now,
    attestation: null,
    approval: null,
    overBudget: false,
    reviewOverdue: false,
    scans: 0,
  };
  for (const k of ["title", "owner", "platform", "cost", "review", "exceptions"]) {
    if (scan.meta && scan.meta[k] !== undefined && scan.meta[k] !== null) rec[k] = scan.meta[k];
  }
  if (scan.report) {
    const r = scan.report;
    rec.tier = r.app?.tier ?? scan.meta?.tier ?? rec.tier;
    rec.verdict = r.verdict;
    rec.counts = r.counts;
    rec.findings = r.findings;
    rec.classification = r.classification;
    rec.policy = r.policy;
    rec.input = r.input;
    rec.lastScanned = now;
    rec.overBudget = r.findings.some((f) => f.rule === RULE.CostOverBudget && f.level !== "info");
    rec.reviewOverdue = r.findings.some((f) => f.rule === RULE.LifecycleReviewOverdue && f.level !== "info");
    rec.scans = (rec.scans ?? 0) + 1;
  }
  if (scan.attestation) rec.attestation = scan.attestation;
  if (scan.approval) rec.approval = scan.approval;
  return rec;
}

/**
 * A production app has a valid attestation when its latest attestation covers the input the
 * catalog last scanned (same digest) and has not expired.
 */
export function attested(record, nowIso = new Date().toISOString()) {
  const a = record.attestation;
  if (!a) return false;
  if (a.expires && a.expires < nowIso.slice(0, a.expires.length)) return false;
  return !a.inputDigest || !record.input?.digest || a.inputDigest === record.input.digest;
}

/** What the index keeps per app: enough to list, filter, sort and aggregate. */
export function summaryOf(record) {
  const findings = {};
  for (const f of record.findings ?? []) {
    if (f.level === "info") continue; // waived or informational: not counted as a problem
    const k = `${f.rule}\u0000${f.level}`;
    findings[k] = (findings[k] ?? 0) + 1;
  }
  return {
    name: record.name,
    title: record.title ?? null,
    owner: record.owner ?? null,
    platform: record.platform ?? null,
    tier: record.tier ?? null,
    verdict: record.verdict ?? null,
    counts: record.counts ?? { deny: 0, approval: 0, warn: 0, info: 0 },
    lastScanned: record.lastScanned ?? null,
    overBudget: Boolean(record.overBudget),
    reviewOverdue: Boolean(record.reviewOverdue),
    attested: attested(record),
    attestation: record.attestation?.id ?? null,
    findings,
  };
}

// ---------------------------------------------------------------------------------------------
// Index shards

const INDEX_SCHEMA = `
CREATE TABLE IF NOT EXISTS apps (
  name          TEXT PRIMARY KEY,
  version       INTEGER NOT NULL,
  title         TEXT,
  owner         TEXT,
  platform      TEXT,
  tier          TEXT,
  tier_rank     INTEGER NOT NULL,
  verdict       TEXT,
  verdict_rank  INTEGER NOT NULL,
  deny          INTEGER NOT NULL,
  approval      INTEGER NOT NULL,
  warn          INTEGER NOT NULL,
  info          INTEGER NOT NULL,
  problems      INTEGER NOT NULL,      -- deny + approval + warn
  last_scanned  TEXT NOT NULL,
  over_budget   INTEGER NOT NULL,
  review_overdue INTEGER NOT NULL,
  attested      INTEGER NOT NULL,
  attestation   TEXT,
  summary       TEXT NOT NULL,         -- JSON summaryOf(record) without findings: what a list row shows
  findings      TEXT NOT NULL          -- JSON { rule + NUL + level: n }: this app's part of the aggregates
);
CREATE INDEX IF NOT EXISTS apps_tier ON apps (tier, name);
CREATE INDEX IF NOT EXISTS apps_tier_rank ON apps (tier_rank, name);
CREATE INDEX IF NOT EXISTS apps_verdict ON apps (verdict_rank, name);
CREATE INDEX IF NOT EXISTS apps_owner ON apps (owner, name);
CREATE INDEX IF NOT EXISTS apps_platform ON apps (platform, name);
CREATE INDEX IF NOT EXISTS apps_scanned ON apps (last_scanned, name);
CREATE INDEX IF NOT EXISTS apps_problems ON apps (problems, name);
CREATE TABLE IF NOT EXISTS agg (
  metric TEXT NOT NULL,
  a      TEXT NOT NULL,
  b      TEXT NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (metric, a, b)
);
`;

/** Sort keys of GET /v1/catalog: API name -> SQL column. */
export const SORTS = {
  name: "name",
  owner: "owner",
  tier: "tier_rank",
  verdict: "verdict_rank",
  lastScanned: "last_scanned",
  problems: "problems",
};

/** Filters of GET /v1/catalog: API name -> SQL condition on one bound value. */
const FILTER_SQL = {
  tier: "tier = ?",
  owner: "owner = ?",
  verdict: "verdict = ?",
  platform: "platform = ?",
  overBudget: "over_budget = ?",
  reviewOverdue: "review_overdue = ?",
};

export class CatalogIndex extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(INDEX_SCHEMA);
    // Shards written before the findings column existed kept findings inside the summary.
    try {
      this.sql.exec("SELECT findings FROM apps LIMIT 0");
    } catch {
      this.sql.exec("ALTER TABLE apps ADD COLUMN findings TEXT NOT NULL DEFAULT '{}'");
    }
  }

  /** Stores an app's summary unless a newer version is already there; keeps the aggregates exact. */
  put(summary, version) {
    const old = this.sql.exec("SELECT version, summary, findings FROM apps WHERE name = ?", summary.name).toArray()[0];
    if (old && old.version >= version) return { applied: false };
    const { findings, ...listed } = summary;
    this.ctx.storage.transactionSync(() => {
      if (old) {
        const prior = JSON.parse(old.summary);
        this.count({ ...prior, findings: prior.findings ?? JSON.parse(old.findings) }, -1);
      }
      this.count(summary, +1);
      const c = summary.counts;
      this.sql.exec(
        `INSERT INTO apps (name, version, title, owner, platform, tier, tier_rank, verdict, verdict_rank,
           deny, approval, warn, info, problems, last_scanned, over_budget, review_overdue, attested,
           attestation, summary, findings)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET version = excluded.version, title = excluded.title,
           owner = excluded.owner, platform = excluded.platform, tier = excluded.tier,
           tier_rank = excluded.tier_rank, verdict = excluded.verdict,
           verdict_rank = excluded.verdict_rank, deny = excluded.deny, approval = excluded.approval,
           warn = excluded.warn, info = excluded.info, problems = excluded.problems,
           last_scanned = excluded.last_scanned, over_budget = excluded.over_budget,
           review_overdue = excluded.review_overdue, attested = excluded.attested,
           attestation = excluded.attestation, summary = excluded.summary,
           findings = excluded.findings`,
        summary.name, version, summary.title, summary.owner ?? "", summary.platform ?? "", summary.tier,
        TIERS.indexOf(summary.tier), summary.verdict, VERDICTS.indexOf(summary.verdict),
        c.deny ?? 0, c.approval ?? 0, c.warn ?? 0, c.info ?? 0,
        (c.deny ?? 0) + (c.approval ?? 0) + (c.warn ?? 0), summary.lastScanned ?? "",
        summary.overBudget ? 1 : 0, summary.reviewOverdue ? 1 : 0, summary.attested ? 1 : 0,
        summary.attestation, JSON.stringify(listed), JSON.stringify(findings ?? {}),
      );
    });
    return { applied: true };
  }

  /** Adds (sign +1) or removes (-1) one app's contribution to the running aggregates. */
  count(s, sign) {
    const add = (metric, a, b, n) => {
      this.sql.exec(
        `INSERT INTO agg (metric, a, b, n) VALUES (?, ?, ?, ?)
         ON CONFLICT(metric, a, b) DO UPDATE SET n = n + excluded.n`,
        metric, a, b, n * sign,
      );
    };
    add("apps", s.tier ?? "", s.verdict ?? "", 1);
    for (const [k, n] of Object.entries(s.findings ?? {})) {
      const [rule, level] = k.split("\u0000");
      add("findings", rule, level, n);
    }
    if (s.overBudget) add("overBudget", s.tier ?? "", "", 1);
    if (s.reviewOverdue) add("reviewOverdue", s.tier ?? "", "", 1);
    if (s.attested) add("attested", s.tier ?? "", "", 1);
  }

  /** The shard's aggregates: [{ metric, a, b, n }] with n > 0. */
  aggregates() {
    return this.sql.exec("SELECT metric, a, b, n FROM agg WHERE n != 0").toArray();
  }

  /**
   * One shard's part of a list page: up to `limit` summaries after `cursor` in (sort key, name)
   * order, with the filters applied, and how many apps of the shard match the filters.
   */
  list({ filters, sort, desc, cursor, limit }) {
    const col = SORTS[sort];
    const where = [];
    const args = [];
    for (const [k, v] of Object.entries(filters)) {
      where.push(FILTER_SQL[k]);
      args.push(v);
    }
    const total = this.sql
      .exec(`SELECT count(*) AS n FROM apps${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`, ...args)
      .one().n;
    const pageWhere = [...where];
    const pageArgs = [...args];
    // Descending sorts order ties by name descending too: one direction, so that every sort
    // walks its (column, name) index forwards or backwards instead of sorting the shard.
    const cmp = desc ? "<" : ">";
    const dir = desc ? "DESC" : "ASC";
    if (cursor) {
      if (col === "name") {
        pageWhere.push(`name ${cmp} ?`);
        pageArgs.push(cursor.name);
      } else {
        pageWhere.push(`(${col} ${cmp} ? OR (${col} = ? AND name ${cmp} ?))`);
        pageArgs.push(cursor.key, cursor.key, cursor.name);
      }
    }
    const order = col === "name" ? `name ${dir}` : `${col} ${dir}, name ${dir}`;
    const rows = this.sql
      .exec(`SELECT ${col === "name" ? "" : `${col} AS k, `}name, summary FROM apps
             ${pageWhere.length ? `WHERE ${pageWhere.join(" AND ")}` : ""}
             ORDER BY ${order} LIMIT ?`, ...pageArgs, limit)
      .toArray()
      // The summary stays JSON text: the worker parses only the rows that make its page.
      .map((r) => ({ key: col === "name" ? r.name : r.k, name: r.name, summary: r.summary }));
    return { total, rows };
  }

  /** Whether the shard lists this app. */
  has(name) {
    return this.sql.exec("SELECT 1 FROM apps WHERE name = ?", name).toArray().length > 0;
  }

  /** How many apps this shard holds (tests and the benchmark). */
  size() {
    return this.sql.exec("SELECT count(*) AS n FROM apps").one().n;
  }
}

// ---------------------------------------------------------------------------------------------
// Addressing

export function shardCount(env) {
  const n = Number(env.CATALOG_SHARDS ?? 8);
  return Number.isInteger(n) && n >= 1 && n <= 256 ? n : 8;
}

/** FNV-1a (32 bit) of the name: the shard is fixed for a name whatever isolate computes it. */
export function shardOf(name, n) {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % n;
}

export function indexShard(env, name) {
  const i = shardOf(name, shardCount(env));
  return env.CATALOG_INDEX.get(env.CATALOG_INDEX.idFromName(`index-${i}`));
}

export function allShards(env) {
  return Array.from({ length: shardCount(env) }, (_, i) =>
    env.CATALOG_INDEX.get(env.CATALOG_INDEX.idFromName(`index-${i}`)));
}

export function appObject(env, name) {
  return env.CATALOG_APPS.get(env.CATALOG_APPS.idFromName(name));
}
