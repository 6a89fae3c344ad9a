import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

function freshV4(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, 4);
  expect(schemaVersion(db)).toBe(4);
  return db;
}

const INSERT = `INSERT INTO champion_versions (strategy, symbol, timeframe, version, params, metrics, source_run_id, source_trial, evidence,
  dataset_hash, engine_version, promoted_at, promoted_by, reason, rollback_of)
  VALUES (?, 'EUR/USD', '1h', ?, '{}', '{}', 'bt_x', NULL, '{}', 'h', '1.0.0', 0, 'test', 'why', ?)`;

describe('migration 005 (champion registry)', () => {
  it('upgrades a version-4 database; tables are STRICT and a per-database secret is created', () => {
    const db = freshV4();
    migrate(db, MIGRATIONS, 5);
    expect(schemaVersion(db)).toBe(5);
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name IN ('champion_versions', 'champions', 'champion_secret')").all() as { sql: string }[]).map((r) => r.sql);
    expect(sql).toHaveLength(3);
    for (const s of sql) expect(s).toMatch(/STRICT/);
    const { secret } = db.prepare('SELECT secret FROM champion_secret WHERE id = 1').get() as { secret: Buffer };
    expect(secret.length).toBe(32);
    // a second database gets a different secret
    const other = freshV4();
    migrate(other, MIGRATIONS, 5);
    expect((other.prepare('SELECT secret FROM champion_secret').get() as { secret: Buffer }).secret.equals(secret)).toBe(false);
    expect(() => db.prepare('INSERT INTO champion_secret VALUES (2, randomblob(32))').run()).toThrow(/CHECK/);
  });

  it('history is append-only, versions consecutive, rollback targets real earlier versions', () => {
    const db = freshV4();
    migrate(db, MIGRATIONS, 5);
    const ins = db.prepare(INSERT);
    ins.run('sma_cross', 1, null);
    expect(() => ins.run('sma_cross', 3, null)).toThrow(/consecutive/);
    expect(() => ins.run('sma_cross', 1, null)).toThrow(/consecutive|UNIQUE/);
    ins.run('sma_cross', 2, null);
    expect(() => ins.run('sma_cross', 3, 3)).toThrow(/CHECK|rollback_of/);
    expect(() => ins.run('sma_cross', 3, 7)).toThrow(/CHECK|rollback_of/);
    expect(() => ins.run('ema_cross', 1, null)).not.toThrow(); // another key starts at 1
    ins.run('sma_cross', 3, 1);
    expect(() => db.prepare("UPDATE champion_versions SET reason = 'edited'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM champion_versions').run()).toThrow(/append-only/);
    expect((db.prepare('SELECT COUNT(*) AS n FROM champion_versions').get() as { n: number }).n).toBe(4);
  });

  it('the champion pointer references an existing version and only moves forward', () => {
    const db = freshV4();
    migrate(db, MIGRATIONS, 5);
    const ins = db.prepare(INSERT);
    ins.run('sma_cross', 1, null);
    const point = db.prepare("INSERT INTO champions (strategy, symbol, timeframe, version, updated_at) VALUES ('sma_cross', 'EUR/USD', '1h', ?, 0)");
    expect(() => point.run(2)).toThrow(/FOREIGN KEY/);
    point.run(1);
    expect(() => point.run(1)).toThrow(/UNIQUE|PRIMARY/);
    ins.run('sma_cross', 2, null);
    expect(db.prepare("UPDATE champions SET version = 2 WHERE strategy = 'sma_cross' AND version = 1").run().changes).toBe(1);
    expect(() => db.prepare("UPDATE champions SET version = 1 WHERE strategy = 'sma_cross'").run()).toThrow(/forward/);
    expect(() => db.prepare('DELETE FROM champions').run()).toThrow(/never deleted/);
    // the compare-and-set with a stale expected version changes nothing
    expect(db.prepare("UPDATE champions SET version = 2 WHERE strategy = 'sma_cross' AND version = 1").run().changes).toBe(0);
  });
});
