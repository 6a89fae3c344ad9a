import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointPassive, migrate, openDb, schemaVersion, statement, writeTransaction } from '../../src/storage/db.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Every TypeScript source under src/, with its text. */
function sources(dir = join(fileURLToPath(import.meta.url), '../../../src')): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [{ path: p, text: readFileSync(p, 'utf8') }] : [];
  });
}

describe('openDb', () => {
  it('opens a file in WAL mode with foreign keys and all migrations applied', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradelab-db-'));
    dirs.push(dir);
    const db = openDb(join(dir, 'sub', 'tradelab.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });
  it('is idempotent and refuses a database from a newer version', () => {
    const db = openDb(':memory:');
    expect(migrate(db)).toBe(MIGRATIONS.length);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    expect(() => migrate(db)).toThrow(/newer/);
  });
  it('rejects a migration list with gaps', () => {
    const db = openDb(':memory:', { migrate: false });
    expect(() => migrate(db, [{ version: 2, name: 'x', up: () => undefined }])).toThrow(/without gaps/);
  });
});

describe('checkpoints', () => {
  it('autoCheckpoint: false leaves the write-ahead log to checkpointPassive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradelab-db-'));
    dirs.push(dir);
    const file = join(dir, 'c.db');
    openDb(file).close();
    const db = openDb(file, { migrate: false, autoCheckpoint: false });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(openDb(':memory:').pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    statement(db, "INSERT INTO runs (id, kind, status, spec, created_at) VALUES ('a', 'backtest', 'running', '{}', 0)").run();
    checkpointPassive(db);
    // everything in the log is in the database file now
    const after = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    expect(after[0].log).toBeGreaterThan(0);
    expect(after[0].checkpointed).toBe(after[0].log);
    db.close();
  });
});

describe('page size', () => {
  it('creates new databases with 16 KiB pages (for the candle blobs)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradelab-db-'));
    dirs.push(dir);
    const db = openDb(join(dir, 'p.db'));
    expect(db.pragma('page_size', { simple: true })).toBe(16384);
    db.close();
  });
});

describe('prepared statements', () => {
  it('are compiled once per connection and give the same results', () => {
    const db = openDb(':memory:');
    const sql = 'SELECT COUNT(*) AS n FROM runs';
    expect(statement(db, sql)).toBe(statement(db, sql));
    expect(statement(db, sql).get()).toEqual({ n: 0 });
    statement(db, "INSERT INTO runs (id, kind, status, spec, created_at) VALUES ('a', 'backtest', 'running', '{}', 0)").run();
    expect(statement(db, sql).get()).toEqual({ n: 1 });
    const other = openDb(':memory:');
    expect(statement(other, sql)).not.toBe(statement(db, sql));
    // a bounded cache: many distinct texts still work, the oldest is compiled again
    const first = statement(db, 'SELECT 0 AS v');
    for (let i = 0; i < 300; i++) expect(statement(db, `SELECT ${i} AS v`).get()).toEqual({ v: i });
    expect(statement(db, 'SELECT 0 AS v')).not.toBe(first);
    // the library's own prepare is left as it is: it compiles anew on every call
    expect(db.prepare(sql)).not.toBe(db.prepare(sql));
    db.close();
    other.close();
  });

  it('are cached by a function of ours: no source replaces a method of the library\'s objects', () => {
    const files = sources();
    expect(files.filter((f) => /\.(prepare|exec|pragma|transaction)\s*=[^=]/.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('are safe to share: no source switches a statement mode or keeps a cursor open', () => {
    const files = sources();
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => /\.(pluck|raw|expand|iterate|safeIntegers)\(|\.prepare\([^)]*\)\s*\.bind\(/.test(f.text)).map((f) => f.path)).toEqual([]);
  });
});

describe('write transactions with several writers', () => {
  const file = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'tradelab-db-'));
    dirs.push(dir);
    return join(dir, 'w.db');
  };

  it('a DEFERRED read-then-write fails at once when another connection wrote since the read; an immediate one does not', () => {
    const f = file();
    const a = openDb(f);
    const b = openDb(f);
    const next = (db: typeof a): number => (db.prepare('SELECT COALESCE(MAX(number) + 1, 0) AS n FROM trials WHERE study_id = 1').get() as { n: number }).n;
    const insert = (db: typeof a, n: number): void => void db.prepare("INSERT INTO trials (number, study_id, state, datetime_start) VALUES (?, 1, 'RUNNING', 0)").run(n);
    a.prepare("INSERT INTO studies (study_id, study_name, datetime_start) VALUES (1, 's', 0)").run();
    // the cause of issue 16's "database is locked": the read took a snapshot, b committed after it
    const deferred = a.transaction(() => {
      const n = next(a);
      insert(b, next(b));
      insert(a, n);
    });
    expect(() => deferred()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY_SNAPSHOT' }));
    // immediate: the lock is taken before the read, so the read is the latest state
    writeTransaction(a, () => insert(a, next(a)));
    writeTransaction(b, () => insert(b, next(b)));
    expect(a.prepare('SELECT number FROM trials ORDER BY number').all()).toEqual([{ number: 0 }, { number: 1 }, { number: 2 }]);
    a.close();
    b.close();
  });

  it('migrating a store that another connection migrated meanwhile skips what is done', () => {
    const f = file();
    const a = openDb(f, { migrate: false });
    const b = openDb(f, { migrate: false });
    expect(migrate(a, MIGRATIONS, 3)).toBe(3);
    expect(migrate(b)).toBe(MIGRATIONS.length);
    expect(migrate(a)).toBe(MIGRATIONS.length);
    expect(a.pragma('integrity_check', { simple: true })).toBe('ok');
    a.close();
    b.close();
  });

  it('every write transaction in the sources goes through writeTransaction (BEGIN IMMEDIATE)', () => {
    const files = sources();
    expect(files.filter((f) => f.text.includes('writeTransaction(')).length).toBeGreaterThanOrEqual(6);
    expect(files.filter((f) => !f.path.endsWith(join('storage', 'db.ts')) && f.text.includes('.transaction(')).map((f) => f.path)).toEqual([]);
  });
});
