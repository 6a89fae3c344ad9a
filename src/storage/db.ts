/**
 * Opening the one SQLite database of a process: WAL, foreign keys, busy timeout, and the
 * numbered forward-only migrations recorded in `PRAGMA user_version`. No module-level
 * handle: callers open it (cli.ts / createServer) and pass it down.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  readonly migrate?: boolean;
  readonly readonly?: boolean;
}

export function openDb(file: string, opts: OpenOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false });
  // 16 KiB pages (takes effect on a new database only): candle chunks are 512 KiB blobs, and
  // fewer, larger overflow pages load a million bars about twice as fast as 4 KiB pages.
  if (!opts.readonly) db.pragma('page_size = 16384');
  // incremental auto-vacuum (also new databases only; `tradelab gc --vacuum` converts older
  // ones): space freed by gc is given back in small steps instead of one long exclusive VACUUM
  if (!opts.readonly) db.pragma('auto_vacuum = INCREMENTAL');
  if (!opts.readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  cachePrepared(db);
  if (opts.migrate ?? true) migrate(db);
  return db;
}

/** Most distinct SQL texts kept compiled per connection (dynamic `IN (?, ?, …)` lists vary). */
const PREPARED_MAX = 256;

/**
 * Compiles each SQL text once per connection: better-sqlite3's `prepare` compiles on every
 * call, and the storage functions call it per use (about a tenth of a millisecond of the
 * main thread per optimisation trial). Reusing a statement is safe because every use runs
 * to completion synchronously and no caller switches a statement's mode (`pluck`, `raw`,
 * `expand`, `bind`) or keeps an `iterate` cursor open — tests/storage/db.test.ts checks the
 * sources for that.
 */
function cachePrepared(db: Db): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let st = cache.get(sql);
    if (st === undefined) {
      st = compile(sql);
      if (cache.size >= PREPARED_MAX) cache.delete(cache.keys().next().value as string);
    } else cache.delete(sql); // most recently used last: the least recently used goes first
    cache.set(sql, st);
    return st;
  }) as Db['prepare'];
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration above the current `user_version`, each in its own transaction
 * together with the version bump, so a crash leaves the schema at a whole version.
 * Refuses to open a database written by a newer tradelab (forward-only).
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, upTo?: number): number {
  checkMigrationList(migrations);
  const current = schemaVersion(db);
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  if (current > latest) {
    throw new Error(
      `database schema version ${current} is newer than this tradelab knows (${latest}); upgrade tradelab instead of opening it with an older one`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    if (upTo !== undefined && m.version > upTo) break;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return schemaVersion(db);
}

function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration #${i} has version ${m.version}; versions must be 1, 2, 3, … without gaps`);
    }
  });
}
