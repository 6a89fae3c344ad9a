import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

describe('migration 002 (runs)', () => {
  it('upgrades a version-1 database and enforces kinds, statuses and cascades', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, 1);
    expect(schemaVersion(db)).toBe(1);
    migrate(db, MIGRATIONS, 2);
    expect(schemaVersion(db)).toBe(2);
    const ins = db.prepare("INSERT INTO runs (id, kind, status, spec, created_at) VALUES (?, ?, ?, '{}', 0)");
    ins.run('a', 'backtest', 'succeeded');
    expect(() => ins.run('b', 'nonsense', 'succeeded')).toThrow(/CHECK/);
    expect(() => ins.run('c', 'backtest', 'done')).toThrow(/CHECK/);
    const e = Buffer.alloc(8);
    db.prepare("INSERT INTO run_results VALUES ('a', '{}', '[]', '[]', '[]', '[]', ?, NULL, 0, 0)").run(e);
    db.prepare("DELETE FROM runs WHERE id = 'a'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_results').get()).toEqual({ n: 0 });
  });
});
