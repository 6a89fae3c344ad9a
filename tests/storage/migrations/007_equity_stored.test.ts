import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

describe('migration 007 (equity_stored)', () => {
  it('marks existing results as having their equity stored, and accepts only 0 or 1', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 6);
    db.prepare("INSERT INTO runs (id, kind, status, spec, created_at) VALUES ('a', 'backtest', 'succeeded', '{}', 0)").run();
    db.prepare("INSERT INTO run_results (run_id, metrics, warnings, trades, open_trades, skipped, equity, warmup, n_trades) VALUES ('a', '{}', '[]', '[]', '[]', '[]', x'00', 0, 0)").run();
    migrate(db, MIGRATIONS, 7);
    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare("SELECT equity_stored FROM run_results WHERE run_id = 'a'").get()).toEqual({ equity_stored: 1 });
    expect(() => db.prepare("UPDATE run_results SET equity_stored = 2 WHERE run_id = 'a'").run()).toThrow(/CHECK constraint/);
  });
});
