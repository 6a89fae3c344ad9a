import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

describe('migration 004 (trial ledger and result cache)', () => {
  it('upgrades a version-3 database; ledger entries are append-only', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, 3);
    expect(schemaVersion(db)).toBe(3);
    migrate(db, MIGRATIONS, 4);
    expect(schemaVersion(db)).toBe(4);
    db.prepare("INSERT INTO ledger_families (strategy, dataset_hash, range_from, range_to, created_at) VALUES ('s', 'h', 0, 1, 0)").run();
    const ins = db.prepare(
      "INSERT INTO ledger_entries (family_id, source_kind, source_id, params_hash, params, n_periods, periods_per_year, sharpe, skew, kurtosis_raw, block_moments, created_at) VALUES (?, ?, 'x', 'p', '{}', 10, 365, 0.1, 0, 3, ?, 0)",
    );
    ins.run(1, 'trial', Buffer.alloc(0));
    expect(() => ins.run(1, 'guess', Buffer.alloc(0))).toThrow(/CHECK/);
    expect(() => ins.run(99, 'trial', Buffer.alloc(0))).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare('UPDATE ledger_entries SET sharpe = 9').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM ledger_entries').run()).toThrow(/append-only/);
    db.prepare("INSERT INTO result_cache VALUES ('fp', '{}', '[]', '[]', NULL, 0)").run();
    expect(() => db.prepare("INSERT INTO result_cache VALUES ('fp', '{}', '[]', '[]', NULL, 0)").run()).toThrow(/UNIQUE|PRIMARY/);
  });
});
