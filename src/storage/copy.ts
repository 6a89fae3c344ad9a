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

/** The SQLite store's tables, parents before children (foreign keys), self-references aside. */
function tablesInOrder(src: SqliteDb): string[] {
  const names = (sqliteStatement(src, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !SKIP.has(n));
  const parents = new Map(names.map((n) => [n, (src.pragma(`foreign_key_list("${n}")`) as { table: string }[]).map((f) => f.table).filter((p) => p !== n)]));
  const out: string[] = [];
  const visit = (n: string, path: string[]): void => {
    if (out.includes(n)) return;
    if (path.includes(n)) throw new Error(`foreign keys form a cycle: ${[...path, n].join(' → ')}`);
    for (const p of parents.get(n) ?? []) visit(p, [...path, n]);
    out.push(n);
  };
  for (const n of names) visit(n, []);
  return out;
}

/** Columns of `table` that reference the table itself (runs.parent_id): filled in a second pass. */
function selfReferences(src: SqliteDb, table: string): string[] {
  return (src.pragma(`foreign_key_list("${table}")`) as { table: string; from: string }[]).filter((f) => f.table === table).map((f) => f.from);
}

/** The first table of `tables` that holds a row in `dst` (migrations' own rows aside), if any. */
function firstNonEmpty(dst: PgSyncDb, tables: readonly string[]): string | undefined {
  return tables.find((t) => t !== 'champion_secret' && statement(dst, `SELECT 1 AS one FROM "${t}" LIMIT 1`).get() !== undefined);
}

export function copySqliteToPostgres(src: SqliteDb, dst: PgSyncDb, opts: CopyOptions = {}): CopiedTable[] {
  const tables = tablesInOrder(src);
  const present = new Set((statement(dst, "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()").all() as { t: string }[]).map((r) => r.t));
  const missing = tables.filter((t) => !present.has(t));
  if (missing.length > 0) throw new CopyRefused(`the PostgreSQL store has no table ${missing.join(', ')}: is it migrated by this tradelab version?`);
  // one snapshot of the source for the whole copy (a writer meanwhile cannot shift its pages)
  return readTransaction(src, () => writeTransaction(dst, () => {
    const busy = firstNonEmpty(dst, tables);
    if (busy) throw new CopyRefused(`the PostgreSQL store already holds data (table ${busy} has rows); copy into a new, empty database`);
    const copied: CopiedTable[] = [];
    for (const table of tables) {
      const cols = (src.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name);
      const later = selfReferences(src, table);
      dst.exec(`ALTER TABLE "${table}" DISABLE TRIGGER USER`);
      if (table === 'champion_secret') dst.exec('DELETE FROM champion_secret'); // the target's own key, replaced by the source's
      const insert = statement(dst, `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      // in pages, in primary-key order from the last key read (a table of candle columns may
      // not fit in memory at once; OFFSET paging would read every earlier row again)
      const info = src.pragma(`table_info("${table}")`) as { name: string; pk: number }[];
      const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      const keys = pk.length > 0 ? pk.map((c) => `"${c}"`) : ['rowid'];
      const keyOf = pk.length > 0 ? (r: Record<string, unknown>) => pk.map((c) => r[c]) : (r: Record<string, unknown>) => [r.tl_rowid];
      const select = `SELECT ${pk.length > 0 ? '' : 'rowid AS tl_rowid, '}* FROM "${table}"`;
      const first = sqliteStatement(src, `${select} ORDER BY ${keys.join(', ')} LIMIT ?`);
      const next = sqliteStatement(src, `${select} WHERE (${keys.join(', ')}) > (${keys.map(() => '?').join(', ')}) ORDER BY ${keys.join(', ')} LIMIT ?`);
      let rows = 0;
      let last: unknown[] | null = null;
      for (;;) {
        const got = (last === null ? first.all(PAGE_ROWS) : next.all(...last, PAGE_ROWS)) as Record<string, unknown>[];
        for (const row of got) insert.run(...cols.map((c) => (later.includes(c) ? null : row[c])));
        rows += got.length;
        if (got.length < PAGE_ROWS) break;
        last = keyOf(got[got.length - 1]);
      }
      for (const c of later) {
        const key = info.find((x) => x.pk === 1)?.name;
        if (!key) throw new Error(`table ${table} references itself but has no primary key`);
        const set = statement(dst, `UPDATE "${table}" SET "${c}" = ? WHERE "${key}" = ?`);
        for (const r of sqliteStatement(src, `SELECT "${key}" AS k, "${c}" AS v FROM "${table}" WHERE "${c}" IS NOT NULL`).all() as { k: unknown; v: unknown }[]) set.run(r.v, r.k);
      }
      dst.exec(`ALTER TABLE "${table}" ENABLE TRIGGER USER`);
      const count = (statement(dst, `SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
      if (count !== rows) throw new Error(`table ${table}: ${rows} row(s) read, ${count} in PostgreSQL`);
      const t = { table, rows };
      copied.push(t);
      opts.onTable?.(t);
    }
    // ids assigned by the target from now on follow the copied ones
    const seqs = statement(dst,
        `SELECT c.table_name AS t, c.column_name AS c FROM information_schema.columns c
          WHERE c.table_schema = current_schema() AND (c.is_identity = 'YES' OR c.column_default LIKE 'nextval(%')`,
      )
      .all() as { t: string; c: string }[];
    for (const s of seqs.filter((x) => tables.includes(x.t))) {
      statement(dst, `SELECT setval(pg_get_serial_sequence(?, ?), GREATEST(MAX("${s.c}"), 1), MAX("${s.c}") IS NOT NULL) AS v FROM "${s.t}"`).get(`"${s.t}"`, s.c);
    }
    return copied;
  }));
}
