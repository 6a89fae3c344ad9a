/**
 * Champion repository: the append-only version history per (strategy, symbol, timeframe),
 * the current-version pointer, and the per-database token secret. A new version and the
 * pointer move are written in ONE immediate transaction that first checks the expected
 * incumbent version, so racing writers cannot both win and a failure midway changes nothing.
 */
import { statement, writeTransaction, type Db } from './db.js';

export interface ChampionKey {
  readonly strategy: string;
  readonly symbol: string;
  readonly timeframe: string;
}

export interface ChampionVersion extends ChampionKey {
  readonly version: number;
  readonly params: Record<string, unknown>;
  readonly metrics: Record<string, unknown>;
  readonly source_run_id: string | null;
  readonly source_trial: number | null;
  /** OOS run, DSR, PBO, gate report, gate overrides and overrides with reasons. */
  readonly evidence: Record<string, unknown>;
  readonly dataset_hash: string;
  readonly engine_version: string;
  readonly promoted_at: number;
  readonly promoted_by: string;
  readonly reason: string;
  readonly rollback_of: number | null;
}

export type NewChampionVersion = Omit<ChampionVersion, 'version'>;

interface RawVersion extends Omit<ChampionVersion, 'params' | 'metrics' | 'evidence'> {
  params: string;
  metrics: string;
  evidence: string;
}

const COLUMNS = 'strategy, symbol, timeframe, version, params, metrics, source_run_id, source_trial, evidence, dataset_hash, engine_version, promoted_at, promoted_by, reason, rollback_of';

function parse(r: RawVersion): ChampionVersion {
  return {
    ...r,
    params: JSON.parse(r.params) as Record<string, unknown>,
    metrics: JSON.parse(r.metrics) as Record<string, unknown>,
    evidence: JSON.parse(r.evidence) as Record<string, unknown>,
  };
}

/** The write lost a race: the current version is not the one the caller expected. */
export class ChampionChangedError extends Error {
  constructor(
    readonly key: ChampionKey,
    readonly expected: number | null,
    readonly actual: number | null,
  ) {
    super(`champion ${key.strategy} ${key.symbol} ${key.timeframe} is at version ${actual ?? 'none'}, expected ${expected ?? 'none'}`);
    this.name = 'ChampionChangedError';
  }
}

export function currentVersion(db: Db, key: ChampionKey): number | null {
  const r = statement(db, 'SELECT version FROM champions WHERE strategy = ? AND symbol = ? AND timeframe = ?').get(key.strategy, key.symbol, key.timeframe) as
    | { version: number }
    | undefined;
  return r?.version ?? null;
}

export function getChampionVersion(db: Db, key: ChampionKey, version: number): ChampionVersion | undefined {
  const r = statement(db, `SELECT ${COLUMNS} FROM champion_versions WHERE strategy = ? AND symbol = ? AND timeframe = ? AND version = ?`)
    .get(key.strategy, key.symbol, key.timeframe, version) as RawVersion | undefined;
  return r ? parse(r) : undefined;
}

export function getCurrentChampion(db: Db, key: ChampionKey): ChampionVersion | undefined {
  const v = currentVersion(db, key);
  return v === null ? undefined : getChampionVersion(db, key, v);
}

/** Versions of one key, newest first. */
export function championVersions(db: Db, key: ChampionKey, limit: number, offset: number): { versions: ChampionVersion[]; total: number } {
  const args = [key.strategy, key.symbol, key.timeframe] as const;
  const { n } = statement(db, 'SELECT COUNT(*) AS n FROM champion_versions WHERE strategy = ? AND symbol = ? AND timeframe = ?').get(...args) as { n: number };
  const rows = statement(db, `SELECT ${COLUMNS} FROM champion_versions WHERE strategy = ? AND symbol = ? AND timeframe = ? ORDER BY version DESC LIMIT ? OFFSET ?`)
    .all(...args, limit, offset) as RawVersion[];
  return { versions: rows.map(parse), total: n };
}

export interface ChampionFilter {
  readonly strategy?: string;
  readonly symbol?: string;
  readonly timeframe?: string;
}

/** Current champions (the pointed-to versions), filtered, ordered by key. */
export function listCurrentChampions(db: Db, f: ChampionFilter, limit: number, offset: number): { champions: ChampionVersion[]; total: number } {
  const where: string[] = [];
  const vals: string[] = [];
  for (const k of ['strategy', 'symbol', 'timeframe'] as const) {
    const v = f[k];
    if (v !== undefined) (where.push(`c.${k} = ?`), vals.push(v));
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const { n } = statement(db, `SELECT COUNT(*) AS n FROM champions c ${w}`).get(...vals) as { n: number };
  const rows = statement(db,
      `SELECT ${COLUMNS.split(', ').map((c) => `v.${c}`).join(', ')} FROM champions c
       JOIN champion_versions v ON v.strategy = c.strategy AND v.symbol = c.symbol AND v.timeframe = c.timeframe AND v.version = c.version
       ${w} ORDER BY c.strategy, c.symbol, c.timeframe LIMIT ? OFFSET ?`,
    )
    .all(...vals, limit, offset) as RawVersion[];
  return { champions: rows.map(parse), total: n };
}

/** Fault-injection points for tests (never set in production code paths). */
export interface ChampionWriteHooks {
  /** Called inside the transaction after the history row, before the pointer moves. */
  readonly afterHistoryInsert?: () => void;
}

/**
 * Appends the next version and moves the pointer to it, in one immediate transaction
 * (the write lock is taken before the check): refuses with ChampionChangedError when the
 * current version is not `expected` (null = no champion yet). Any exception rolls back both.
 */
export function appendChampionVersion(db: Db, v: NewChampionVersion, expected: number | null, hooks: ChampionWriteHooks = {}): ChampionVersion {
  const key: ChampionKey = { strategy: v.strategy, symbol: v.symbol, timeframe: v.timeframe };
  return writeTransaction(db, (): ChampionVersion => {
    const actual = currentVersion(db, key);
    if (actual !== expected) throw new ChampionChangedError(key, expected, actual);
    const { m } = statement(db, 'SELECT COALESCE(MAX(version), 0) AS m FROM champion_versions WHERE strategy = ? AND symbol = ? AND timeframe = ?')
      .get(key.strategy, key.symbol, key.timeframe) as { m: number };
    const version = m + 1;
    statement(db, `INSERT INTO champion_versions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      v.strategy,
      v.symbol,
      v.timeframe,
      version,
      JSON.stringify(v.params),
      JSON.stringify(v.metrics),
      v.source_run_id,
      v.source_trial,
      JSON.stringify(v.evidence),
      v.dataset_hash,
      v.engine_version,
      v.promoted_at,
      v.promoted_by,
      v.reason,
      v.rollback_of,
    );
    hooks.afterHistoryInsert?.();
    const moved =
      expected === null
        ? statement(db, 'INSERT INTO champions (strategy, symbol, timeframe, version, updated_at) VALUES (?, ?, ?, ?, ?)').run(key.strategy, key.symbol, key.timeframe, version, v.promoted_at)
        : statement(db, 'UPDATE champions SET version = ?, updated_at = ? WHERE strategy = ? AND symbol = ? AND timeframe = ? AND version = ?')
            .run(version, v.promoted_at, key.strategy, key.symbol, key.timeframe, expected);
    if (moved.changes !== 1) throw new ChampionChangedError(key, expected, currentVersion(db, key));
    return { ...v, version };
  });
}

/** The random per-database key for confirm-token HMACs (created by migration 005). */
export function championSecret(db: Db): Buffer {
  const r = statement(db, 'SELECT secret FROM champion_secret WHERE id = 1').get() as { secret: Buffer } | undefined;
  if (!r) throw new Error('champion_secret is missing; the database was not migrated to version 5');
  return r.secret;
}
