/**
 * Storage side of retention (`tradelab gc`, research/retention.ts decides what goes): the
 * run forest, what champions reference, whole run trees deleted in one immediate
 * transaction each, old optimizer cache entries, and giving free pages back to the file
 * system. The trial ledger, studies, champions and datasets are never touched here.
 */
import { jsonField, sqliteOnly, statement, type Db } from './db.js';
import type { RunKind, RunStatus } from './runs.js';

/** One run as retention sees it. `study`: the study an optimize run ran (else null). */
export interface RunNode {
  readonly id: string;
  readonly parent_id: string | null;
  readonly kind: RunKind;
  readonly status: RunStatus;
  readonly created_at: number;
  readonly study: string | null;
  /** Stored bytes of the run's row and result (text and blob lengths; page overhead not included). */
  readonly bytes: number;
}

const RUN_BYTES = `COALESCE(length(r.id), 0) + COALESCE(length(r.spec), 0) + COALESCE(length(r.summary), 0) + COALESCE(length(r.progress), 0) + COALESCE(length(r.error), 0)`;
const RESULT_BYTES = `COALESCE(length(x.metrics) + length(x.warnings) + length(x.trades) + length(x.open_trades) + length(x.skipped) + COALESCE(length(x.details), 0) + length(x.equity) + COALESCE(length(x.equity_time), 0), 0)`;

export function listRunNodes(db: Db): RunNode[] {
  return statement(db,
      `SELECT r.id, r.parent_id, r.kind, r.status, r.created_at,
              CASE WHEN r.kind = 'optimize' THEN COALESCE(${jsonField(db, 'r.summary', 'study_name')}, ${jsonField(db, 'r.spec', 'study_name')}) END AS study,
              ${RUN_BYTES} + ${RESULT_BYTES} AS bytes
       FROM runs r LEFT JOIN run_results x ON x.run_id = r.id`,
    )
    .all() as RunNode[];
}

/**
 * A run and all its descendants (children, their children, …), read now. The recursion starts
 * from the run's row, not a bare `SELECT ?`: PostgreSQL refuses a parameter whose collation
 * (the database's) differs from runs.id's ("C") in a recursive term.
 */
export function runTree(db: Db, rootId: string): { id: string; status: RunStatus }[] {
  return statement(db,
      `WITH RECURSIVE t(id) AS (SELECT id FROM runs WHERE id = ? UNION SELECT r.id FROM runs r JOIN t ON r.parent_id = t.id)
       SELECT runs.id, runs.status FROM t JOIN runs ON runs.id = t.id`,
    )
    .all(rootId) as { id: string; status: RunStatus }[];
}

/** Deletes these runs (their results go with them, ON DELETE CASCADE). Call inside a transaction. */
export function deleteRunRows(db: Db, ids: readonly string[]): number {
  const del = statement(db, 'DELETE FROM runs WHERE id = ?');
  let n = 0;
  for (const id of ids) n += del.run(id).changes;
  return n;
}

/** The newest champion version row id: when it moves, the referenced runs must be read again. */
export function championMark(db: Db): number {
  return (statement(db, 'SELECT COALESCE(MAX(id), 0) AS m FROM champion_versions').get() as { m: number }).m;
}

/** Adds to `out` every string inside the JSON text `json` that is one of the `known` run ids. */
function mentions(json: string | null, known: ReadonlySet<string>, out: Set<string>): void {
  if (json === null) return;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (known.has(v)) out.add(v);
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x);
    } else if (v !== null && typeof v === 'object') {
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(JSON.parse(json));
}

/**
 * The runs (of `known`) that champion versions refer to: source runs and any run id in their
 * metrics or evidence (evidence run, candidate run, …), of every version, current or not.
 */
export function championRunIds(db: Db, known: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const rows = statement(db, 'SELECT source_run_id, metrics, evidence FROM champion_versions').all() as { source_run_id: string | null; metrics: string; evidence: string }[];
  for (const r of rows) {
    if (r.source_run_id !== null && known.has(r.source_run_id)) out.add(r.source_run_id);
    mentions(r.metrics, known, out);
    mentions(r.evidence, known, out);
  }
  return out;
}

const PAGE = 1_000;

/**
 * Which other runs each run's spec and summary name (an optimize run's best or holdout run
 * answered from the store, a batch item's `cached_from`, a scenario's member runs, …), read
 * a page of runs at a time.
 */
export function runMentions(db: Db, known: ReadonlySet<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let after = '';
  for (;;) {
    const rows = statement(db, 'SELECT id, spec, summary FROM runs WHERE id > ? ORDER BY id LIMIT ?').all(after, PAGE) as { id: string; spec: string; summary: string | null }[];
    for (const r of rows) {
      const m = new Set<string>();
      mentions(r.spec, known, m);
      mentions(r.summary, known, m);
      m.delete(r.id);
      if (m.size > 0) out.set(r.id, m);
    }
    if (rows.length < PAGE) return out;
    after = rows[rows.length - 1].id;
  }
}

/** Whether a run created or finished at or after `since`, outside `ids`, names one of `ids` in its spec or summary. */
export function mentionedSince(db: Db, ids: readonly string[], since: number): boolean {
  const inside = new Set(ids);
  const rows = statement(db, "SELECT id, spec, summary FROM runs WHERE created_at >= ? OR finished_at >= ? OR status IN ('queued', 'running')")
    .all(since, since) as { id: string; spec: string; summary: string | null }[];
  for (const r of rows) {
    if (inside.has(r.id)) continue;
    const m = new Set<string>();
    mentions(r.spec, inside, m);
    mentions(r.summary, inside, m);
    if (m.size > 0) return true;
  }
  return false;
}

/** Optimizer result-cache entries created before `before` (epoch ms): count and stored bytes. */
export function cacheEntriesBefore(db: Db, before: number): { entries: number; bytes: number } {
  return statement(db, 'SELECT COUNT(*) AS entries, COALESCE(SUM(length(fingerprint) + length(metrics) + length(warnings) + length(intermediate) + COALESCE(length(ledger), 0)), 0) AS bytes FROM result_cache WHERE created_at < ?')
    .get(before) as { entries: number; bytes: number };
}

export function deleteCacheBefore(db: Db, before: number): number {
  return statement(db, 'DELETE FROM result_cache WHERE created_at < ?').run(before).changes;
}

/** Results stored before migration 010 (codec 0): their run ids and stored bytes. */
export function legacyResults(db: Db): { run_id: string; kind: RunKind; bytes: number }[] {
  return statement(db, `SELECT x.run_id, r.kind, ${RESULT_BYTES} AS bytes FROM run_results x JOIN runs r ON r.id = x.run_id WHERE x.codec = 0 ORDER BY x.run_id`)
    .all() as { run_id: string; kind: RunKind; bytes: number }[];
}

export interface VacuumOutcome {
  /** 'incremental': free pages given back in small steps; 'full': a VACUUM (which also turned incremental auto-vacuum on). */
  readonly mode: 'incremental' | 'full';
  readonly pages_before: number;
  readonly pages_after: number;
}

/** Pages per incremental step: 32 MB of 16 KiB pages, so other writers wait briefly between steps. */
const STEP_PAGES = 2_048;

/**
 * Gives free pages back to the file system. A store with incremental auto-vacuum frees them
 * in small transactions; an older store gets one VACUUM (it holds the write lock while it
 * copies the database, so run it when no server is writing), which converts it to
 * incremental auto-vacuum for next time. The write-ahead log is then truncated.
 */
export function vacuumStore(store: Db): VacuumOutcome {
  const db = sqliteOnly(store, 'gc --vacuum (PostgreSQL gives space back with its own autovacuum)');
  const pages = (): number => db.pragma('page_count', { simple: true }) as number;
  const pages_before = pages();
  let mode: VacuumOutcome['mode'];
  if ((db.pragma('auto_vacuum', { simple: true }) as number) === 2) {
    mode = 'incremental';
    while ((db.pragma('freelist_count', { simple: true }) as number) > 0) {
      const before = pages();
      db.pragma(`incremental_vacuum(${STEP_PAGES})`);
      if (pages() >= before) break; // nothing more could be freed (e.g. another connection holds pages)
    }
  } else {
    mode = 'full';
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { mode, pages_before, pages_after: pages() };
}
