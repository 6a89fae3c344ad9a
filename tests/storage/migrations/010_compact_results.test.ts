import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';
import { loadBacktestDetails, loadBacktestEquity, loadBacktestResult } from '../../../src/storage/run-results.js';

describe('migration 010 (compact results)', () => {
  it('keeps rows written before it as codec 0, readable as they were; details only with codec 1', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 9);
    const equity = new Float64Array([100, 101.5, 99.25]);
    const time = new Float64Array([0, 3_600_000, 7_200_000]);
    const trades = [{ direction: 'long', size: 1, entry_bar: 0, exit_bar: 2, pnl: -0.75 }];
    db.prepare("INSERT INTO runs (id, kind, status, spec, created_at) VALUES ('a', 'walk_forward', 'succeeded', '{}', 0)").run();
    db.prepare("INSERT INTO run_results (run_id, metrics, warnings, trades, open_trades, skipped, equity, equity_time, warmup, n_trades) VALUES ('a', '{\"trades\":1}', '[\"w\"]', ?, '[]', '[]', ?, ?, 0, 1)").run(
      JSON.stringify(trades),
      Buffer.from(equity.buffer),
      Buffer.from(time.buffer),
    );
    migrate(db, MIGRATIONS, 10);
    expect(schemaVersion(db)).toBe(10);
    expect(db.prepare("SELECT codec, details FROM run_results WHERE run_id = 'a'").get()).toEqual({ codec: 0, details: null });
    const r = loadBacktestResult(db, 'a')!;
    expect(r).toMatchObject({ metrics: { trades: 1 }, warnings: ['w'], trades, open_trades: [], skipped: [] });
    expect(r.equity).toEqual(equity);
    expect(r.equity_time).toEqual(time);
    expect(loadBacktestEquity(db, 'a')?.equity).toEqual(equity);
    expect(loadBacktestDetails(db, 'a')?.trades).toEqual(trades);
    expect(() => db.prepare("UPDATE run_results SET details = x'00' WHERE run_id = 'a'").run()).toThrow(/CHECK constraint/);
    expect(() => db.prepare("UPDATE run_results SET codec = 2 WHERE run_id = 'a'").run()).toThrow(/CHECK constraint/);
  });
});
