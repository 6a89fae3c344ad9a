/**
 * Copies an embedded SQLite store into an empty PostgreSQL store, every row of every table
 * (datasets and their bars, runs and results, the result cache, the trial ledger, champions
 * and the champion key, strategy definitions, the audit log, OAuth clients, and the studies in
 * Optuna's tables), ids kept, so a store that outgrew one machine moves whole: run ids,
 * trial numbers, champion versions and confirm tokens stay valid.
 *
 * One transaction: a failure leaves the target as it was. The target must hold no data yet
 * (a fresh database, migrated): nothing is merged. Its user triggers (append-only rules,
 * immutability of finished trials) are switched off for the copy, inside the transaction,
 * because the rows come in as they are, finished; foreign keys stay enforced, so tables go
 * parents first (a run's parent run before it). Sequences are then set past the copied ids.
 */
import { readTransaction, sqliteStatement, statement, writeTransaction, type SqliteDb } from './db.js';
import type { PgSyncDb } from './pg/sync-db.js';

/** Tables the migrations of both stores write alike (schema versions): not copied. */
const SKIP = new Set(['version_info', 'alembic_version']);
/** Rows read from SQLite at a time. */
const PAGE_ROWS = 256;

/** The target cannot take the copy (it holds data, or lacks a table): the caller's to fix. */
export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefused';
  }
}

export interface CopiedTable {
  readonly table: string;
  readonly rows: number;
}

export interface CopyOptions {
  /** Called after each table (progress for long copies). */
  readonly onTable?: (t: CopiedTable) => void;
}

/** What copying one table needs to know of it, read once from SQLite. */
interface TablePlan {
  readonly name: string;
  readonly cols: readonly string[];
  /** Primary-key columns in key order (none: the rowid pages the table). */
  readonly pk: readonly string[];
  /** Tables it references (parents), itself aside. */
  readonly parents: readonly string[];
  /** Its columns that reference the table itself (runs.parent_id): filled in a second pass. */
  readonly selfRefs: readonly string[];
}

function plan(src: SqliteDb, name: string): TablePlan {
  const info = src.pragma(`table_info("${name}")`) as { name: string; pk: number }[];
  const fks = src.pragma(`foreign_key_list("${name}")`) as { table: string; from: string }[];
  return {
    name,
    cols: info.map((c) => c.name),
    pk: info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
    parents: fks.filter((f) => f.table !== name).map((f) => f.table),
    selfRefs: fks.filter((f) => f.table === name).map((f) => f.from),
  };
}

/** The SQLite store's tables, parents before children (foreign keys). */
function tablesInOrder(src: SqliteDb): TablePlan[] {
  const plans = new Map(
    (sqliteStatement(src, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
      .filter((r) => !SKIP.has(r.name))
      .map((r) => [r.name, plan(src, r.name)] as const),
  );
  const out: TablePlan[] = [];
  const visit = (p: TablePlan, path: string[]): void => {
    if (out.includes(p)) return;
    if (path.includes(p.name)) throw new Error(`foreign keys form a cycle: ${[...path, p.name].join(' → ')}`);
    for (const parent of p.parents) {
      const q = plans.get(parent);
      if (q) visit(q, [...path, p.name]);
    }
    out.push(p);
  };
  for (const p of plans.values()) visit(p, []);
  return out;
}

/**
 * Copies one table's rows (its user triggers off meanwhile), in pages in primary-key order
 * from the last key read: a table of candle columns may not fit in memory at once, and OFFSET
 * paging would read every earlier row again. Returns the rows copied.
 */
function copyTable(src: SqliteDb, dst: PgSyncDb, t: TablePlan): number {
  const q = (c: string): string => `"${c}"`;
  dst.exec(`ALTER TABLE ${q(t.name)} DISABLE TRIGGER USER`);
  if (t.name === 'champion_secret') dst.exec('DELETE FROM champion_secret'); // the target's own key, replaced by the source's
  const insert = statement(dst, `INSERT INTO ${q(t.name)} (${t.cols.map(q).join(', ')}) VALUES (${t.cols.map(() => '?').join(', ')})`);
  const keys = t.pk.length > 0 ? t.pk.map(q) : ['rowid'];
  const keyOf = (r: Record<string, unknown>): unknown[] => (t.pk.length > 0 ? t.pk.map((c) => r[c]) : [r.tl_rowid]);
  const select = `SELECT ${t.pk.length > 0 ? '' : 'rowid AS tl_rowid, '}* FROM ${q(t.name)}`;
  const order = `ORDER BY ${keys.join(', ')} LIMIT ?`;
  const first = sqliteStatement(src, `${select} ${order}`);
  const next = sqliteStatement(src, `${select} WHERE (${keys.join(', ')}) > (${keys.map(() => '?').join(', ')}) ${order}`);
  let rows = 0;
  for (let last: unknown[] | null = null; ; ) {
    const got = (last === null ? first.all(PAGE_ROWS) : next.all(...last, PAGE_ROWS)) as Record<string, unknown>[];
    for (const row of got) insert.run(...t.cols.map((c) => (t.selfRefs.includes(c) ? null : row[c])));
    rows += got.length;
    if (got.length < PAGE_ROWS) break;
    last = keyOf(got[got.length - 1]);
  }
  for (const c of t.selfRefs) {
    const key = t.pk.length === 1 ? t.pk[0] : undefined;
    if (!key) throw new Error(`table ${t.name} references itself but has no single-column primary key`);
    const set = statement(dst, `UPDATE ${q(t.name)} SET ${q(c)} = ? WHERE ${q(key)} = ?`);
    for (const r of sqliteStatement(src, `SELECT ${q(key)} AS k, ${q(c)} AS v FROM ${q(t.name)} WHERE ${q(c)} IS NOT NULL`).all() as { k: unknown; v: unknown }[]) set.run(r.v, r.k);
  }
  dst.exec(`ALTER TABLE ${q(t.name)} ENABLE TRIGGER USER`);
  const count = (statement(dst, `SELECT COUNT(*) AS n FROM ${q(t.name)}`).get() as { n: number }).n;
  if (count !== rows) throw new Error(`table ${t.name}: ${rows} row(s) read, ${count} in PostgreSQL`);
  return rows;
}

/** Sets every sequence of `tables` past the largest id copied, so ids the target assigns follow them. */
function resetSequences(dst: PgSyncDb, tables: readonly string[]): void {
  const seqs = statement(dst,
      `SELECT c.table_name AS t, c.column_name AS c FROM information_schema.columns c
        WHERE c.table_schema = current_schema() AND (c.is_identity = 'YES' OR c.column_default LIKE 'nextval(%')`,
    )
    .all() as { t: string; c: string }[];
  for (const s of seqs.filter((x) => tables.includes(x.t))) {
    statement(dst, `SELECT setval(pg_get_serial_sequence(?, ?), GREATEST(MAX("${s.c}"), 1), MAX("${s.c}") IS NOT NULL) AS v FROM "${s.t}"`).get(`"${s.t}"`, s.c);
  }
}

/** The first table of `tables` that holds a row in `dst` (migrations' own rows aside), if any. */
function firstNonEmpty(dst: PgSyncDb, tables: readonly string[]): string | undefined {
  return tables.find((t) => t !== 'champion_secret' && statement(dst, `SELECT 1 AS one FROM "${t}" LIMIT 1`).get() !== undefined);
}

export function copySqliteToPostgres(src: SqliteDb, dst: PgSyncDb, opts: CopyOptions = {}): CopiedTable[] {
  const plans = tablesInOrder(src);
  const tables = plans.map((p) => p.name);
  const present = new Set((statement(dst, "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()").all() as { t: string }[]).map((r) => r.t));
  const missing = tables.filter((t) => !present.has(t));
  if (missing.length > 0) throw new CopyRefused(`the PostgreSQL store has no table ${missing.join(', ')}: is it migrated by this tradelab version?`);
  // one snapshot of the source for the whole copy (a writer meanwhile cannot shift its pages)
  return readTransaction(src, () =>
    writeTransaction(dst, () => {
      const busy = firstNonEmpty(dst, tables);
      if (busy) throw new CopyRefused(`the PostgreSQL store already holds data (table ${busy} has rows); copy into a new, empty database`);
      const copied = plans.map((p) => {
        const t = { table: p.name, rows: copyTable(src, dst, p) };
        opts.onTable?.(t);
        return t;
      });
      resetSequences(dst, tables);
      return copied;
    }),
  );
}
