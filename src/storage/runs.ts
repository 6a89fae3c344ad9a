/**
 * Run repository: every backtest, batch, optimisation, walk-forward and analysis is a run
 * with an id, a status and a compact summary. Backtest payloads (trades, equity) live in
 * `run_results` and are read page by page.
 */
import { randomBytes } from 'node:crypto';
import { statement, type Db } from './db.js';
import { ownerAlive, PROCESS_OWNER, PROCESS_START } from './process-identity.js';

export const RUN_KINDS = ['backtest', 'batch', 'optimize', 'walk_forward', 'analysis'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunProgress {
  readonly done: number;
  readonly total: number | null;
  readonly message?: string;
}

export interface RunRow {
  readonly id: string;
  readonly kind: RunKind;
  readonly status: RunStatus;
  readonly fingerprint: string | null;
  readonly dataset_id: number | null;
  readonly strategy: string | null;
  readonly spec: Record<string, unknown>;
  readonly summary: Record<string, unknown> | null;
  readonly progress: RunProgress | null;
  readonly error: string | null;
  readonly parent_id: string | null;
  readonly created_at: number;
  readonly started_at: number | null;
  readonly finished_at: number | null;
}

interface RawRun {
  id: string;
  kind: RunKind;
  status: RunStatus;
  fingerprint: string | null;
  dataset_id: number | null;
  strategy: string | null;
  spec: string;
  summary: string | null;
  progress: string | null;
  error: string | null;
  parent_id: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const PREFIX: Record<RunKind, string> = { backtest: 'bt', batch: 'bb', optimize: 'opt', walk_forward: 'wf', analysis: 'an' };

/** Time-sortable, collision-resistant id such as `bt_lq3k9x2a_5f1c9e`. */
export function newRunId(kind: RunKind, now: number): string {
  return `${PREFIX[kind]}_${now.toString(36)}_${randomBytes(4).toString('hex')}`;
}

function parse(r: RawRun): RunRow {
  return {
    ...r,
    spec: JSON.parse(r.spec) as Record<string, unknown>,
    summary: r.summary === null ? null : (JSON.parse(r.summary) as Record<string, unknown>),
    progress: r.progress === null ? null : (JSON.parse(r.progress) as RunProgress),
  };
}

export interface NewRun {
  readonly id?: string;
  readonly kind: RunKind;
  readonly status?: RunStatus;
  readonly fingerprint?: string | null;
  readonly dataset_id?: number | null;
  readonly strategy?: string | null;
  readonly spec: Record<string, unknown>;
  readonly parent_id?: string | null;
  readonly now: number;
}

export { PROCESS_OWNER, PROCESS_START, PROCESS_TRIAL_OWNER, trialOwnerAlive } from './process-identity.js';

export function createRun(db: Db, r: NewRun): RunRow {
  const id = r.id ?? newRunId(r.kind, r.now);
  const status = r.status ?? 'queued';
  statement(db,
    `INSERT INTO runs (id, kind, status, fingerprint, dataset_id, strategy, spec, parent_id, created_at, started_at, owner, owner_start)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, r.kind, status, r.fingerprint ?? null, r.dataset_id ?? null, r.strategy ?? null, JSON.stringify(r.spec), r.parent_id ?? null, r.now, status === 'running' ? r.now : null, PROCESS_OWNER, PROCESS_START);
  return getRun(db, id) as RunRow;
}

export interface RunPatch {
  readonly status?: RunStatus;
  readonly summary?: Record<string, unknown> | null;
  readonly progress?: RunProgress | null;
  readonly error?: string | null;
  readonly started_at?: number;
  readonly finished_at?: number;
}

export function updateRun(db: Db, id: string, patch: RunPatch): void {
  const sets: string[] = [];
  const vals: (string | number | null)[] = [];
  const put = (col: string, v: string | number | null): void => {
    sets.push(`${col} = ?`);
    vals.push(v);
  };
  if (patch.status !== undefined) put('status', patch.status);
  if (patch.summary !== undefined) put('summary', patch.summary === null ? null : JSON.stringify(patch.summary));
  if (patch.progress !== undefined) put('progress', patch.progress === null ? null : JSON.stringify(patch.progress));
  if (patch.error !== undefined) put('error', patch.error);
  if (patch.started_at !== undefined) put('started_at', patch.started_at);
  if (patch.finished_at !== undefined) put('finished_at', patch.finished_at);
  if (sets.length === 0) return;
  statement(db, `UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...vals, id);
}

export function getRun(db: Db, id: string): RunRow | undefined {
  const r = statement(db, 'SELECT * FROM runs WHERE id = ?').get(id) as RawRun | undefined;
  return r ? parse(r) : undefined;
}

/** The newest succeeded run with this fingerprint (the result cache). */
export function findRunByFingerprint(db: Db, fingerprint: string): RunRow | undefined {
  const r = statement(db, "SELECT * FROM runs WHERE fingerprint = ? AND status = 'succeeded' ORDER BY created_at DESC LIMIT 1")
    .get(fingerprint) as RawRun | undefined;
  return r ? parse(r) : undefined;
}

export interface ListRunsQuery {
  readonly kind?: RunKind;
  readonly status?: RunStatus;
  readonly strategy?: string;
  readonly parent_id?: string;
  readonly limit: number;
  readonly offset: number;
}

export function listRuns(db: Db, q: ListRunsQuery): { runs: RunRow[]; total: number } {
  const where: string[] = [];
  const vals: (string | number)[] = [];
  if (q.kind) (where.push('kind = ?'), vals.push(q.kind));
  if (q.status) (where.push('status = ?'), vals.push(q.status));
  if (q.strategy) (where.push('strategy = ?'), vals.push(q.strategy));
  if (q.parent_id) (where.push('parent_id = ?'), vals.push(q.parent_id));
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const { n } = statement(db, `SELECT COUNT(*) AS n FROM runs ${w}`).get(...vals) as { n: number };
  const rows = statement(db, `SELECT * FROM runs ${w} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`)
    .all(...vals, q.limit, q.offset) as RawRun[];
  return { runs: rows.map(parse), total: n };
}

/**
 * Marks runs left `queued`/`running` by a process that no longer exists as failed (called
 * at start-up). Runs of live processes (a server running beside this CLI) are left alone;
 * a live process that merely reuses a dead owner's PID does not keep its runs alive.
 */
export function markInterruptedRuns(db: Db, now: number): number {
  const rows = statement(db, "SELECT id, owner, owner_start FROM runs WHERE status IN ('queued', 'running')").all() as { id: string; owner: string | null; owner_start: string | null }[];
  const mark = statement(db, "UPDATE runs SET status = 'failed', error = 'interrupted: the process running it stopped before it finished', finished_at = ? WHERE id = ? AND status IN ('queued', 'running')");
  let n = 0;
  for (const r of rows) if (!ownerAlive(r.owner, r.owner_start)) n += mark.run(now, r.id).changes;
  return n;
}

export function deleteRun(db: Db, id: string): boolean {
  return statement(db, 'DELETE FROM runs WHERE id = ?').run(id).changes > 0;
}
