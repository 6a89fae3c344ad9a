/**
 * PostgreSQL migrations 005 and 006 against a fresh SQLite store: the same tables, columns
 * (order, types as mapped, NOT NULL, defaults), keys, foreign keys, indexes and triggers,
 * read from both catalogs; then the same SQL text run on both, which must give the same rows
 * (keys in the same order) or be refused by the same rule (a trigger with the same message).
 */
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type SqliteDb } from '../../../src/storage/db.js';
import { migratePg } from '../../../src/storage/pg/migrations/index.js';
import { postgresForFile } from '../../helpers/postgres.js';
import { APP_TABLES } from './schema.js';

const pg15 = postgresForFile();
const opened: SqliteDb[] = [];
afterAll(() => opened.forEach((d) => d.close()));

const fresh = (): SqliteDb => {
  const d = openDb(':memory:');
  opened.push(d);
  return d;
};

/** SQLite 0/1 flags (and champion_secret's one id) kept INTEGER; every other INTEGER is BIGINT. */
const INTEGER_COLUMNS = new Set(['datasets.is_synthetic', 'run_results.equity_stored', 'run_results.codec', 'audit_log.ok', 'champion_secret.id']);
const PG_TYPE: Record<string, string> = { TEXT: 'text', REAL: 'double precision', BLOB: 'bytea', INTEGER: 'bigint' };

interface SqliteColumn { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }

/** Each app table's columns as PostgreSQL should have them, from SQLite's PRAGMA table_info. */
function expectedColumns(lite: SqliteDb, t: string): unknown[] {
  const cols = lite.pragma(`table_info(${t})`) as SqliteColumn[];
  const rowid = cols.filter((c) => c.pk > 0).length === 1 ? cols.find((c) => c.pk === 1 && c.type === 'INTEGER') : undefined;
  return cols.map((c) => ({
    name: c.name,
    type: INTEGER_COLUMNS.has(`${t}.${c.name}`) ? 'integer' : PG_TYPE[c.type],
    // primary key columns of STRICT tables and rowids are never NULL in SQLite either
    notnull: c.notnull === 1 || c.pk > 0,
    dflt: c.dflt_value,
    identity: c === rowid && t !== 'champion_secret',
    collation: c.type === 'TEXT' ? 'C' : null,
  }));
}

function sqliteKeys(lite: SqliteDb, t: string): string[] {
  const cols = lite.pragma(`table_info(${t})`) as SqliteColumn[];
  const names = (index: string): string => (lite.pragma(`index_info(${index})`) as { seqno: number; name: string }[]).sort((a, b) => a.seqno - b.seqno).map((c) => c.name).join(', ');
  const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  const uniques = (lite.pragma(`index_list(${t})`) as { name: string; origin: string }[]).filter((i) => i.origin === 'u').map((i) => `UNIQUE (${names(i.name)})`);
  const fks = new Map<number, { table: string; from: string[]; to: string[]; on_update: string; on_delete: string }>();
  for (const f of lite.pragma(`foreign_key_list(${t})`) as { id: number; seq: number; table: string; from: string; to: string; on_update: string; on_delete: string }[]) {
    const k = fks.get(f.id) ?? { ...f, from: [], to: [] };
    k.from[f.seq] = f.from;
    k.to[f.seq] = f.to;
    fks.set(f.id, k);
  }
  const action = (on: string, a: string): string => (a === 'NO ACTION' ? '' : ` ON ${on} ${a}`);
  return [
    `${t} PRIMARY KEY (${pk.join(', ')})`,
    ...uniques.map((u) => `${t} ${u}`),
    ...[...fks.values()].map((k) => `${t} FOREIGN KEY (${k.from.join(', ')}) REFERENCES ${k.table}(${k.to.join(', ')})${action('UPDATE', k.on_update)}${action('DELETE', k.on_delete)}`),
  ].sort();
}

function sqliteIndexes(lite: SqliteDb, t: string): string[] {
  const list = lite.pragma(`index_list(${t})`) as { name: string; origin: string }[];
  return list.filter((i) => i.origin === 'c').map((i) => {
    const cols = (lite.pragma(`index_info(${i.name})`) as { seqno: number; name: string }[]).sort((a, b) => a.seqno - b.seqno).map((c) => c.name);
    const sql = (lite.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(i.name) as { sql: string }).sql;
    return `${t}.${i.name} (${cols.join(', ')})${/\sWHERE\s+(.*)$/s.exec(sql)?.[1].replace(/\s+/g, ' ').replace(/^/, ' WHERE ') ?? ''}`;
  }).sort();
}

describe('PostgreSQL app tables (migrations 005, 006)', () => {
  it('have the columns of a fresh SQLite store: names in order, types as mapped, NOT NULL, defaults, identities, byte order for text', async () => {
    const lite = fresh();
    const { pool } = await pg15.migrated(2);
    const { rows } = await pool.query<{ t: string }>(`
      SELECT table_name AS t, column_name AS name, data_type AS type, is_nullable = 'NO' AS notnull,
             replace(column_default, '::text', '') AS dflt, is_identity = 'YES' AS identity, collation_name AS collation
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name, ordinal_position`, [APP_TABLES]);
    for (const t of APP_TABLES) {
      expect(rows.filter((r) => r.t === t).map(({ t: _, ...c }) => c), t).toEqual(expectedColumns(lite, t));
    }
  });

  it('have its primary keys, unique constraints, foreign keys with their ON DELETE, indexes and triggers', async () => {
    const lite = fresh();
    const { pool } = await pg15.migrated(2);
    const keys = await pool.query<{ k: string }>(`
      SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) AS k FROM pg_constraint
       WHERE contype IN ('p', 'u', 'f') AND conrelid::regclass::text = ANY($1) ORDER BY 1`, [APP_TABLES]);
    expect(keys.rows.map((r) => r.k)).toEqual(APP_TABLES.flatMap((t) => sqliteKeys(lite, t)).sort());

    // explicitly created indexes only: not those of primary keys and unique constraints
    const indexes = await pool.query<{ i: string }>(`
      SELECT c.relname || '.' || i.relname || ' (' || (
               SELECT string_agg(a.attname, ', ' ORDER BY k.o) FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k (n, o)
                 JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n) || ')'
             || COALESCE(' WHERE ' || regexp_replace(pg_get_expr(x.indpred, x.indrelid), '^\\((.*)\\)$', '\\1'), '') AS i
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
       WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u', 'x'))
       ORDER BY 1`, [APP_TABLES]);
    const liteIndexes = APP_TABLES.flatMap((t) => sqliteIndexes(lite, t)).sort();
    expect(indexes.rows.map((r) => r.i)).toEqual(liteIndexes);
    expect(liteIndexes.length).toBe(11);

    // name, table and event (BEFORE UPDATE OF's columns too); every one a row trigger
    const event = (sql: string): string => /\bBEFORE\s+(INSERT|DELETE|UPDATE(?:\s+OF\s+[\w\s,]+?)?)\s+ON\s/i.exec(sql)![1].replace(/\s+/g, ' ');
    const triggers = await pool.query<{ t: string; name: string; def: string }>(`
      SELECT tgrelid::regclass::text AS t, tgname AS name, pg_get_triggerdef(oid) AS def FROM pg_trigger
       WHERE NOT tgisinternal AND tgrelid::regclass::text = ANY($1) ORDER BY 2`, [APP_TABLES]);
    const liteTriggers = lite.prepare("SELECT tbl_name AS t, name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (SELECT value FROM json_each(?)) ORDER BY name")
      .all(JSON.stringify(APP_TABLES)) as { t: string; name: string; sql: string }[];
    expect(triggers.rows.map((r) => `${r.t}.${r.name} ${event(r.def)}`)).toEqual(liteTriggers.map((r) => `${r.t}.${r.name} ${event(r.sql)}`));
    expect(liteTriggers.length).toBe(13);
    expect(triggers.rows.filter((r) => !r.def.includes('FOR EACH ROW'))).toEqual([]);
  });
});

type Refusal = 'trigger' | 'check' | 'foreign key' | 'unique';
const CODES: Record<Refusal, [sqlite: string, pg: string]> = {
  trigger: ['SQLITE_CONSTRAINT_TRIGGER', '23000'],
  check: ['SQLITE_CONSTRAINT_CHECK', '23514'],
  'foreign key': ['SQLITE_CONSTRAINT_FOREIGNKEY', '23503'],
  unique: ['SQLITE_CONSTRAINT_UNIQUE', '23505'],
};

let icuMade = 0;

/** A fresh migrated database whose default collation is ICU's en-US (sorts 'a' < 'B' < 'b', where bytes sort 'B' < 'a'). */
async function icuMigrated(): Promise<pg.Pool> {
  const name = `icu_${++icuMade}`;
  const admin = await pg15.pool(pg15.server.url, 1);
  await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.utf8'`);
  pg15.end([admin]);
  const pool = await pg15.pool(pg15.server.url.replace(/\/[^/]*$/, `/${name}`), 2);
  await migratePg(pool);
  return pool;
}

/** A fresh SQLite store and a fresh migrated PostgreSQL database (default: C collation), given the same statements. */
async function twin(opts: { icu?: boolean } = {}): Promise<{
  same(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  refused(why: Refusal, message: string | null, sql: string, ...params: unknown[]): Promise<void>;
}> {
  const lite = fresh();
  const pool = opts.icu ? await icuMigrated() : (await pg15.migrated(2)).pool;
  const toPg = (sql: string): string => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    /** Runs `sql` on both; they must return the same rows, their keys in the same order. */
    async same(sql, ...params) {
      const s = lite.prepare(sql);
      const mine = s.reader ? (s.all(...params) as Record<string, unknown>[]) : (s.run(...params), []);
      const { rows } = await pool.query(toPg(sql), params);
      expect(rows, sql).toEqual(mine);
      expect(rows.map((r) => Object.keys(r)), sql).toEqual(mine.map((r) => Object.keys(r)));
      return rows;
    },
    /** Both must refuse `sql` for the same reason (a trigger: with this same message). */
    async refused(why, message, sql, ...params) {
      const [liteCode, pgCode] = CODES[why];
      let e: (Error & { code?: string }) | undefined;
      try {
        lite.prepare(sql).run(...params);
      } catch (x) {
        e = x as Error & { code?: string };
      }
      const outcome = (code?: string, text?: string | null): object => (message === null ? { code } : { code, message: text });
      expect(outcome(e?.code, e?.message), sql).toEqual(outcome(liteCode, message));
      const p = await pool.query(toPg(sql), params).then(() => undefined, (x: Error & { code?: string }) => x);
      expect(outcome(p?.code, p?.message), sql).toEqual(outcome(pgCode, message));
    },
  };
}

type Twin = Awaited<ReturnType<typeof twin>>;
const T0 = 1_700_000_000_000; // epoch ms beyond INTEGER's range

const addDataset = (db: Twin, symbol: string, version: number, hash: string): Promise<Record<string, unknown>[]> =>
  db.same("INSERT INTO datasets (symbol, timeframe, version, content_hash, source, rows, first_time, last_time, created_at) VALUES (?, '1h', ?, ?, 'csv', 2, ?, ?, ?) RETURNING id", symbol, version, hash, T0, T0 + 3_600_000, T0);
const addColumn = (db: Twin, dataset: number, col: string, rows: number): Promise<Record<string, unknown>[]> =>
  db.same('INSERT INTO candle_columns (dataset_id, part, col, rows, data) VALUES (?, 0, ?, ?, ?)', dataset, col, rows, Buffer.alloc(8 * rows, 7));
/** A champion_versions insert as SQL and its parameters. */
const versionSql = (version: number, rollbackOf: number | null = null, strategy = 'sma'): [string, ...unknown[]] => [
  `INSERT INTO champion_versions (strategy, symbol, timeframe, version, params, metrics, evidence, dataset_hash, engine_version, promoted_at, promoted_by, reason, rollback_of)
   VALUES (?, 'BTC', '1h', ?, '{}', '{}', '{}', 'h', 'e1', ?, 'me', 'better', ?)`,
  strategy, version, T0 + version, rollbackOf,
];
const addVersion = (db: Twin, ...args: Parameters<typeof versionSql>): Promise<Record<string, unknown>[]> => db.same(...versionSql(...args));

describe('the same statements on SQLite and PostgreSQL', () => {
  it("datasets: ids by INSERT … RETURNING id, defaults, content immutable (UPDATE OF lists), meta writable, text in byte order whatever the database's collation", async () => {
    const db = await twin({ icu: true });
    expect(await addDataset(db, 'b', 1, 'h1')).toEqual([{ id: 1 }]);
    expect(await addDataset(db, 'B', 1, 'h2')).toEqual([{ id: 2 }]);
    await addDataset(db, 'a_', 1, 'h3');
    await addDataset(db, 'a', 1, 'h4');
    const message = 'dataset content is immutable; import a new version instead';
    await db.refused('trigger', message, "UPDATE datasets SET content_hash = 'x' WHERE id = 1");
    await db.refused('trigger', message, 'UPDATE datasets SET meta = ?, rows = rows WHERE id = 1', '{"a":1}'); // listed, even unchanged
    await db.same('UPDATE datasets SET meta = ?, source = ? WHERE id = 1', '{"note":"x"}', 'api');
    await db.refused('unique', null, "INSERT INTO datasets (symbol, timeframe, version, content_hash, source, rows, first_time, last_time, created_at) VALUES ('b', '1h', 2, 'h1', 'csv', 2, 0, 0, 0)");
    await db.refused('check', null, "INSERT INTO datasets (symbol, timeframe, version, content_hash, source, is_synthetic, rows, first_time, last_time, created_at) VALUES ('c', '1h', 1, 'h', 'csv', 2, 2, 0, 0, 0)");
    expect((await db.same('SELECT * FROM datasets ORDER BY symbol, timeframe, version')).map((r) => r.symbol)).toEqual(['B', 'a', 'a_', 'b']);
  });

  it('candle columns: immutable, 8 bytes a row, deleted with their dataset; a dataset a run uses is not', async () => {
    const db = await twin();
    await addDataset(db, 'BTC', 1, 'h1');
    await addDataset(db, 'ETH', 1, 'h2');
    await addColumn(db, 1, 'close', 3);
    await addColumn(db, 2, 'close', 3);
    await db.refused('trigger', 'candle columns are immutable', 'UPDATE candle_columns SET data = ? WHERE dataset_id = 1', Buffer.alloc(24));
    await db.refused('check', null, 'INSERT INTO candle_columns (dataset_id, part, col, rows, data) VALUES (1, 1, ?, 2, ?)', 'close', Buffer.alloc(12));
    await db.refused('check', null, 'INSERT INTO candle_columns (dataset_id, part, col, rows, data) VALUES (1, 1, ?, 1, ?)', 'vwap', Buffer.alloc(8));
    await db.refused('foreign key', null, 'INSERT INTO candle_columns (dataset_id, part, col, rows, data) VALUES (9, 0, ?, 1, ?)', 'open', Buffer.alloc(8));
    await db.same("INSERT INTO runs (id, kind, status, dataset_id, spec, created_at) VALUES ('r1', 'backtest', 'queued', 2, '{}', ?)", T0);
    await db.refused('foreign key', null, 'DELETE FROM datasets WHERE id = 2');
    await db.same('DELETE FROM datasets WHERE id = 1');
    expect(await db.same('SELECT * FROM candle_columns ORDER BY dataset_id, part, col')).toEqual([{ dataset_id: 2, part: 0, col: 'close', rows: 3, data: Buffer.alloc(24, 7) }]);
  });

  it("runs: deleting one sets its children's parent_id NULL and deletes its results; result checks", async () => {
    const db = await twin();
    const run = (id: string, parent: string | null): Promise<unknown> =>
      db.same("INSERT INTO runs (id, kind, status, spec, parent_id, created_at, owner) VALUES (?, 'batch', 'running', '{}', ?, ?, 'host:1')", id, parent, T0);
    const result = (id: string, codec: number, details: Buffer | null): Promise<unknown> =>
      db.same("INSERT INTO run_results (run_id, metrics, warnings, trades, open_trades, skipped, equity, warmup, n_trades, codec, details) VALUES (?, '{}', '[]', '[]', '[]', '[]', ?, 5, 0, ?, ?)", id, Buffer.alloc(16, 1), codec, details);
    await run('p', null);
    await run('c1', 'p');
    await run('c2', 'p');
    await result('p', 0, null);
    await result('c1', 1, Buffer.from('zz'));
    await db.refused('check', null, "INSERT INTO run_results (run_id, metrics, warnings, trades, open_trades, skipped, equity, warmup, n_trades, details) VALUES ('c2', '{}', '[]', '[]', '[]', '[]', ?, 0, 0, ?)", Buffer.alloc(8), Buffer.from('d'));
    await db.refused('check', null, "INSERT INTO runs (id, kind, status, spec, created_at) VALUES ('x', 'backtest', 'done', '{}', 0)");
    await db.same("DELETE FROM runs WHERE id = 'p'");
    await db.same('SELECT * FROM runs ORDER BY id');
    expect(await db.same('SELECT run_id, equity_stored, codec, details FROM run_results ORDER BY run_id')).toEqual([{ run_id: 'c1', equity_stored: 1, codec: 1, details: Buffer.from('zz') }]);
    expect(await db.same('SELECT id, parent_id FROM runs ORDER BY id')).toEqual([{ id: 'c1', parent_id: null }, { id: 'c2', parent_id: null }]);
  });

  it('ledger entries: append-only, never deleted, their family kept; result cache rows', async () => {
    const db = await twin();
    expect(await db.same("INSERT INTO ledger_families (strategy, dataset_hash, range_from, range_to, created_at, symbol, timeframe) VALUES ('sma', 'h', ?, ?, ?, 'BTC', '1h') RETURNING id", T0, T0 + 1, T0)).toEqual([{ id: 1 }]);
    const entry = "INSERT INTO ledger_entries (family_id, source_kind, source_id, params_hash, params, n_periods, periods_per_year, sharpe, block_moments, created_at) VALUES (?, 'trial', 's:1', 'ph', '{}', 250, 252.5, ?, ?, ?) RETURNING id";
    expect(await db.same(entry, 1, 1.25, Buffer.alloc(40, 3), T0)).toEqual([{ id: 1 }]);
    expect(await db.same(entry, 1, null, Buffer.alloc(40, 4), T0)).toEqual([{ id: 2 }]);
    await db.refused('trigger', 'ledger entries are append-only', 'UPDATE ledger_entries SET sharpe = 0 WHERE id = 1');
    await db.refused('trigger', 'ledger entries are append-only', 'DELETE FROM ledger_entries WHERE id = 2');
    await db.refused('foreign key', null, 'DELETE FROM ledger_families WHERE id = 1');
    await db.refused('check', null, "INSERT INTO ledger_entries (family_id, source_kind, source_id, params_hash, params, outcome, n_periods, periods_per_year, block_moments, created_at) VALUES (1, 'trial', 'x', 'p', '{}', 'lost', 1, 1, ?, 0)", Buffer.alloc(1));
    await db.same('SELECT * FROM ledger_families ORDER BY id');
    await db.same('SELECT * FROM ledger_entries ORDER BY id');
    await db.same("INSERT INTO result_cache (fingerprint, metrics, warnings, intermediate, created_at) VALUES ('f', '{}', '[]', '[]', ?)", T0);
    await db.same('SELECT * FROM result_cache');
  });

  it('champions: consecutive versions, rollbacks to an earlier one, history and pointer kept, the pointer only forward', async () => {
    const db = await twin();
    await addVersion(db, 1);
    await db.refused('trigger', 'champion versions are consecutive per (strategy, symbol, timeframe)', ...versionSql(3));
    await db.refused('trigger', 'rollback_of must name an earlier version of the same champion', ...versionSql(2, 7));
    await addVersion(db, 2);
    await addVersion(db, 3, 1);
    await addVersion(db, 1, null, 'rsi');
    await db.refused('trigger', 'champion history is append-only', "UPDATE champion_versions SET reason = 'x' WHERE version = 1");
    await db.refused('trigger', 'champion history is append-only', 'DELETE FROM champion_versions WHERE version = 3');
    const forward = 'the champion pointer only moves forward (a rollback is a new version)';
    await db.same("INSERT INTO champions (strategy, symbol, timeframe, version, updated_at) VALUES ('sma', 'BTC', '1h', 2, ?)", T0);
    await db.refused('foreign key', null, "INSERT INTO champions (strategy, symbol, timeframe, version, updated_at) VALUES ('rsi', 'BTC', '1h', 4, 0)");
    await db.refused('trigger', forward, "UPDATE champions SET version = 1 WHERE strategy = 'sma'");
    await db.refused('trigger', forward, "UPDATE champions SET version = 3, strategy = 'rsi' WHERE strategy = 'sma'");
    await db.same("UPDATE champions SET version = 3, updated_at = ? WHERE strategy = 'sma' AND version = 2", T0 + 1);
    await db.refused('trigger', 'champions are never deleted; promote or roll back instead', 'DELETE FROM champions');
    await db.same('SELECT * FROM champions');
    // PostgreSQL's identity used up the values of the refused inserts: compare without ids
    await db.same('SELECT strategy, version, rollback_of, promoted_at FROM champion_versions ORDER BY strategy, version');
  });

  it('the champion secret: 32 random bytes written by the migration, one row', async () => {
    const a = (await pg15.migrated(1)).pool;
    const b = (await pg15.migrated(1)).pool;
    const secret = async (p: pg.Pool): Promise<Buffer> => {
      const { rows } = await p.query<{ id: number; secret: Buffer }>('SELECT * FROM champion_secret');
      expect(rows.map((r) => [r.id, r.secret.length])).toEqual([[1, 32]]);
      return rows[0].secret;
    };
    expect((await secret(a)).equals(await secret(b))).toBe(false);
    await expect(a.query('INSERT INTO champion_secret (id, secret) VALUES (2, $1)', [Buffer.alloc(32)])).rejects.toMatchObject({ code: '23514' });
  });

  it('strategy definitions and the audit log: append-only; OAuth codes and tokens deleted with their client', async () => {
    const db = await twin();
    const def = "INSERT INTO strategy_definitions (name, version, hash, document, created_at) VALUES ('x', ?, ?, '{}', ?) RETURNING id";
    expect(await db.same(def, 1, 'h1', T0)).toEqual([{ id: 1 }]);
    await db.refused('unique', null, "INSERT INTO strategy_definitions (name, version, hash, document, created_at) VALUES ('x', 2, 'h1', '{}', 0)");
    await db.refused('trigger', 'strategy definitions are append-only', "UPDATE strategy_definitions SET source = 's'");
    await db.refused('trigger', 'strategy definitions are append-only', 'DELETE FROM strategy_definitions');
    await db.same('SELECT * FROM strategy_definitions');
    const audit = "INSERT INTO audit_log (at, client_id, tool, tier, run_id, ok) VALUES (?, 'c', 'backtest', ?, NULL, ?) RETURNING id";
    expect(await db.same(audit, T0, 'compute', 1)).toEqual([{ id: 1 }]);
    expect(await db.same(audit, T0 + 1, 'write', 0)).toEqual([{ id: 2 }]);
    await db.refused('trigger', 'the audit log is append-only', 'UPDATE audit_log SET ok = 0 WHERE id = 1');
    await db.refused('check', null, "INSERT INTO audit_log (at, client_id, tool, tier, ok) VALUES (0, 'c', 't', 'read', 1)");
    await db.same('DELETE FROM audit_log WHERE id = 1'); // retention may delete old entries
    await db.same('SELECT * FROM audit_log');
    await db.same("INSERT INTO oauth_clients (client_id, metadata, created_at) VALUES ('c', '{}', ?)", T0);
    await db.same("INSERT INTO oauth_codes (code_hash, client_id, redirect_uri, code_challenge, scopes, resource, created_at, expires_at, grant_id) VALUES ('k', 'c', 'u', 'ch', 's', 'r', ?, ?, 'g')", T0, T0 + 60_000);
    const token = "INSERT INTO oauth_tokens (token_hash, kind, client_id, grant_id, scopes, resource, created_at, expires_at, rotated_at) VALUES (?, ?, 'c', 'g', 's', 'r', 0, 1, ?)";
    await db.same(token, 't1', 'refresh', T0);
    await db.refused('check', null, token, 't2', 'access', T0);
    await db.same(token, 't2', 'access', null);
    await db.same('SELECT * FROM oauth_tokens ORDER BY token_hash');
    await db.same("DELETE FROM oauth_clients WHERE client_id = 'c'");
    expect(await db.same('SELECT (SELECT COUNT(*) FROM oauth_codes) + (SELECT COUNT(*) FROM oauth_tokens) AS n')).toEqual([{ n: 0 }]);
  });
});

