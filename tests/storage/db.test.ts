import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDb, schemaVersion } from '../../src/storage/db.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

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
    expect(db.prepare(sql)).toBe(db.prepare(sql));
    expect(db.prepare(sql).get()).toEqual({ n: 0 });
    db.prepare("INSERT INTO runs (id, kind, status, spec, created_at) VALUES ('a', 'backtest', 'running', '{}', 0)").run();
    expect(db.prepare(sql).get()).toEqual({ n: 1 });
    const other = openDb(':memory:');
    expect(other.prepare(sql)).not.toBe(db.prepare(sql));
    // a bounded cache: many distinct texts still work, the oldest is compiled again
    for (let i = 0; i < 300; i++) expect(db.prepare(`SELECT ${i} AS v`).get()).toEqual({ v: i });
    db.close();
    other.close();
  });

  it('are safe to share: no source switches a statement mode or keeps a cursor open', () => {
    const src = join(fileURLToPath(import.meta.url), '../../../src');
    const offenders: string[] = [];
    let files = 0;
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && ++files > 0 && /\.(pluck|raw|expand|iterate|safeIntegers)\(|\.prepare\([^)]*\)\s*\.bind\(/.test(readFileSync(p, 'utf8'))) offenders.push(p);
      }
    };
    walk(src);
    expect(files).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });
});
