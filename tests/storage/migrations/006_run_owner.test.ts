import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

describe('migration 006 (run owner)', () => {
  it('adds a nullable owner column to runs, keeping existing rows', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 5);
    db.prepare("INSERT INTO runs (id, kind, status, spec, created_at) VALUES ('a', 'backtest', 'running', '{}', 0)").run();
    migrate(db, MIGRATIONS, 6);
    expect(schemaVersion(db)).toBe(6);
    expect(db.prepare("SELECT owner FROM runs WHERE id = 'a'").get()).toEqual({ owner: null });
  });
});
