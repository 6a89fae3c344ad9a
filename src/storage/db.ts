/**
 * Opening the one SQLite database of a process: WAL, foreign keys, busy timeout, and the
 * numbered forward-only migrations recorded in `PRAGMA user_version`. No module-level
 * handle: callers open it (cli.ts / createServer) and pass it down.
 *
 * Several processes may write one store at once (a CLI study beside a server, several
 * studies): every write transaction starts IMMEDIATE (writeTransaction), because in WAL mode
 * a DEFERRED one that reads first fails at once with SQLITE_BUSY_SNAPSHOT when another
 * connection committed since its read, and busy_timeout never applies to that upgrade.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { PgSyncDb, type Stmt } from './pg/sync-db.js';
import { cachedStatement } from './statement-cache.js';

export type { Stmt };
/** The embedded store's connection. */
export type SqliteDb = Database.Database;
/** A store's connection: the embedded SQLite file, or PostgreSQL (TRADELAB_DATABASE_URL). */
export type Db = SqliteDb | PgSyncDb;

export function isPostgres(db: Db): db is PgSyncDb {
  return db instanceof PgSyncDb;
}

/** SQL for the text of top-level key `key` of the JSON text in `expr` (SQLite's json_extract, PostgreSQL's ->>). */
export function jsonField(db: Db, expr: string, key: string): string {
  if (!/^\w+$/.test(key)) throw new Error(`jsonField: ${JSON.stringify(key)} is not a plain key`);
  return isPostgres(db) ? `(${expr}::json ->> '${key}')` : `json_extract(${expr}, '$.${key}')`;
}

/** `db` as SQLite, for what only the embedded store has (pragmas, VACUUM, its file); else a clear error naming `what`. */
export function sqliteOnly(db: Db, what: string): SqliteDb {
  if (isPostgres(db)) throw new Error(`${what} works on the embedded SQLite store only, not on PostgreSQL (${db.name})`);
  return db;
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  readonly migrate?: boolean;
  readonly readonly?: boolean;
  /**
   * false: no automatic checkpoint inside a commit (`wal_autocheckpoint = 0`); the caller
   * checkpoints with checkpointPassive outside its write lock (the batch workers).
   */
  readonly autoCheckpoint?: boolean;
}

export function openDb(file: string, opts: OpenOptions = {}): SqliteDb {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false });
  // first: the pragmas below and the migrations wait for other writers instead of failing
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // 16 KiB pages (takes effect on a new database only): candle columns are blobs of several
  // MiB (storage/candles.ts), read faster through fewer, larger overflow pages.
  if (!opts.readonly) db.pragma('page_size = 16384');
  // incremental auto-vacuum (also new databases only; `tradelab gc --vacuum` converts older
  // ones): space freed by gc is given back in small steps instead of one long exclusive VACUUM
  if (!opts.readonly) db.pragma('auto_vacuum = INCREMENTAL');
  if (!opts.readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  if (opts.autoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');
  if (opts.migrate ?? true) migrate(db);
  return db;
}

/**
 * Copies what it can of the write-ahead log into the database file without waiting for
 * readers or writers (PASSIVE: it never blocks them).
 */
export function checkpointPassive(db: SqliteDb): void {
  db.pragma('wal_checkpoint(PASSIVE)');
}

/** How long a writer waits for another connection's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Runs `fn` in a transaction that takes the write lock at BEGIN (BEGIN IMMEDIATE), waiting up
 * to the busy timeout for another writer to commit. Every write transaction of the project
 * goes through here (tests/storage/db.test.ts checks the sources): a DEFERRED transaction
 * that reads before it writes (a MAX(number) before an INSERT, a check before an update)
 * fails in WAL mode with SQLITE_BUSY_SNAPSHOT, without waiting, whenever another connection
 * wrote in between. Nested calls become savepoints of the outer transaction.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  if (isPostgres(db)) return db.transaction(fn);
  return db.transaction(fn).immediate();
}

/**
 * Runs `fn` in a read transaction of a SQLite store: every read in it sees one snapshot of the
 * database (WAL), whatever other connections commit meanwhile.
 */
export function readTransaction<T>(db: SqliteDb, fn: () => T): T {
  return db.transaction(fn).deferred();
}

/** Compiled statements per connection, most recently used last; dropped with the connection. */
const compiled = new WeakMap<SqliteDb, Map<string, Database.Statement>>();

/**
 * The compiled statement for `sql` on `db`, compiled on first use and kept (a bounded LRU per
 * connection): better-sqlite3's `prepare` compiles on every call, and the storage functions
 * run their queries per use (about a tenth of a millisecond of the main thread per
 * optimisation trial). Every query of src/storage goes through here. Reusing a statement is
 * safe because every use runs to completion synchronously and no caller switches a
 * statement's mode (`pluck`, `raw`, `expand`, `bind`) or keeps an `iterate` cursor open —
 * tests/storage/db.test.ts checks the sources for that.
 */
export function statement<P extends unknown[] = unknown[], R = unknown>(db: Db, sql: string): Stmt<P, R> {
  return isPostgres(db) ? db.prepare<P, R>(sql) : sqliteStatement<P, R>(db, sql);
}

/** statement() on SQLite, with better-sqlite3's full Statement (lastInsertRowid, …). */
export function sqliteStatement<P extends unknown[] = unknown[], R = unknown>(db: SqliteDb, sql: string): Database.Statement<P, R> {
  let cache = compiled.get(db);
  if (cache === undefined) compiled.set(db, (cache = new Map()));
  return cachedStatement(cache, sql, () => db.prepare(sql)) as Database.Statement<P, R>;
}

export function schemaVersion(db: SqliteDb): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration above the current `user_version`, each in its own transaction
 * together with the version bump, so a crash leaves the schema at a whole version.
 * Refuses to open a database written by a newer tradelab (forward-only). Processes opening
 * one store at the same time migrate it once: each step re-reads the version inside its
 * (immediate) transaction and skips what another process applied meanwhile.
 */
export function migrate(db: SqliteDb, migrations: readonly Migration[] = MIGRATIONS, upTo?: number): number {
  checkMigrationList(migrations);
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const refuseNewer = (current: number): void => {
    if (current > latest) {
      throw new Error(
        `database schema version ${current} is newer than this tradelab knows (${latest}); upgrade tradelab instead of opening it with an older one`,
      );
    }
  };
  refuseNewer(schemaVersion(db));
  for (const m of migrations) {
    if (upTo !== undefined && m.version > upTo) break;
    if (m.version <= schemaVersion(db)) continue;
    // foreign_keys can only change outside a transaction
    const keys = db.pragma('foreign_keys', { simple: true }) as number;
    if (m.foreign_keys_off) db.pragma('foreign_keys = OFF');
    try {
      writeTransaction(db, () => {
        const current = schemaVersion(db);
        refuseNewer(current);
        if (m.version <= current) return; // another process applied it
        m.up(db);
        const broken = m.foreign_keys_off ? (db.pragma('foreign_key_check') as unknown[]) : [];
        if (broken.length > 0) throw new Error(`migration ${m.version} (${m.name}) would leave ${broken.length} broken foreign key(s); nothing was changed`);
        db.pragma(`user_version = ${m.version}`);
      });
    } finally {
      if (m.foreign_keys_off) db.pragma(`foreign_keys = ${keys ? 'ON' : 'OFF'}`);
    }
  }
  return schemaVersion(db);
}

/** Migration versions are 1, 2, 3, … in order (the SQLite and PostgreSQL lists alike). */
export function checkMigrationList(migrations: readonly { readonly version: number }[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration #${i} has version ${m.version}; versions must be 1, 2, 3, … without gaps`);
    }
  });
}
