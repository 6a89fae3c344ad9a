import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

describe('migration 012 (strategy definitions)', () => {
  it('adds an append-only, versioned, content-hashed table', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 11);
    migrate(db, MIGRATIONS, 12);
    expect(schemaVersion(db)).toBe(12);
    const ins = db.prepare("INSERT INTO strategy_definitions (name, version, hash, document, created_at) VALUES (?, ?, ?, '{}', 0)");
    ins.run('a', 1, 'h1');
    ins.run('a', 2, 'h2');
    expect(() => ins.run('a', 2, 'h3')).toThrow(/UNIQUE/);
    expect(() => ins.run('a', 3, 'h1')).toThrow(/UNIQUE/);
    expect(() => ins.run('a', 0, 'h4')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE strategy_definitions SET document = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM strategy_definitions').run()).toThrow(/append-only/);
  });
});
