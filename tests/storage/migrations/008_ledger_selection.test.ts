import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

describe('migration 008 (ledger selection: market on families, outcomes, new source kinds)', () => {
  it('upgrades a version-7 database keeping every entry; walk-forward trials become wf_trial; the ledger stays append-only', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, 7);
    db.prepare(
      "INSERT INTO datasets (symbol, timeframe, version, content_hash, source, is_synthetic, rows, first_time, last_time, created_at, meta) VALUES ('BTC', '1h', 1, 'h1', 't', 0, 10, 0, 9, 0, '{}')",
    ).run();
    db.prepare("INSERT INTO ledger_families (strategy, dataset_hash, range_from, range_to, created_at) VALUES ('s', 'h1', 0, 9, 0)").run();
    db.prepare("INSERT INTO ledger_families (strategy, dataset_hash, range_from, range_to, created_at) VALUES ('s', 'gone', 0, 9, 0)").run();
    const ins = db.prepare(
      "INSERT INTO ledger_entries (family_id, source_kind, source_id, params_hash, params, n_periods, periods_per_year, sharpe, skew, kurtosis_raw, block_moments, created_at) VALUES (?, ?, ?, 'p', '{}', 10, 365, 0.1, 0, 3, ?, 0)",
    );
    ins.run(1, 'trial', 'opt_a#3', Buffer.alloc(0));
    ins.run(1, 'trial', 'wf_b#w2-7', Buffer.alloc(0));
    ins.run(1, 'trial', 'opt_a#fine-1', Buffer.alloc(0));
    ins.run(2, 'wf_window', 'wf_b#oos2', Buffer.alloc(0));
    migrate(db, MIGRATIONS, 8);
    expect(schemaVersion(db)).toBe(8);
    const fams = db.prepare('SELECT id, symbol, timeframe FROM ledger_families ORDER BY id').all();
    expect(fams).toEqual([
      { id: 1, symbol: 'BTC', timeframe: '1h' },
      { id: 2, symbol: null, timeframe: null }, // its dataset is not stored: no market to count it in
    ]);
    const rows = db.prepare('SELECT id, source_kind, source_id, outcome FROM ledger_entries ORDER BY id').all();
    expect(rows).toEqual([
      { id: 1, source_kind: 'trial', source_id: 'opt_a#3', outcome: 'complete' },
      { id: 2, source_kind: 'wf_trial', source_id: 'wf_b#w2-7', outcome: 'complete' },
      { id: 3, source_kind: 'trial', source_id: 'opt_a#fine-1', outcome: 'complete' },
      { id: 4, source_kind: 'wf_window', source_id: 'wf_b#oos2', outcome: 'complete' },
    ]);
    const v8 = db.prepare(
      "INSERT INTO ledger_entries (family_id, source_kind, source_id, params_hash, params, outcome, n_periods, periods_per_year, sharpe, skew, kurtosis_raw, block_moments, created_at) VALUES (1, ?, 'x', 'p', '{}', ?, 0, 0, NULL, NULL, NULL, ?, 0)",
    );
    for (const kind of ['holdout', 'wf_oos', 'wf_trial']) v8.run(kind, 'complete', Buffer.alloc(0));
    v8.run('trial', 'pruned', Buffer.alloc(0));
    expect(() => v8.run('guess', 'complete', Buffer.alloc(0))).toThrow(/CHECK/);
    expect(() => v8.run('trial', 'maybe', Buffer.alloc(0))).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE ledger_entries SET sharpe = 9').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM ledger_entries').run()).toThrow(/append-only/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ledger_entries' ORDER BY name").all()).toEqual([{ name: 'ledger_by_family' }, { name: 'ledger_by_source' }]);
  });
});
