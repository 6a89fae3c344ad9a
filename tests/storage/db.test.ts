import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
