import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

describe('migration 009 (run owner start token)', () => {
  it('adds a nullable owner_start column to runs, keeping existing rows and their owner', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 8);
    db.prepare("INSERT INTO runs (id, kind, status, spec, created_at, owner) VALUES ('a', 'optimize', 'running', '{}', 0, 'host:42')").run();
    migrate(db, MIGRATIONS, 9);
    expect(schemaVersion(db)).toBe(9);
    expect(db.prepare("SELECT owner, owner_start FROM runs WHERE id = 'a'").get()).toEqual({ owner: 'host:42', owner_start: null });
    db.prepare("UPDATE runs SET owner_start = 'boot:123' WHERE id = 'a'").run();
    expect(db.prepare("SELECT owner_start FROM runs WHERE id = 'a'").get()).toEqual({ owner_start: 'boot:123' });
  });
});
