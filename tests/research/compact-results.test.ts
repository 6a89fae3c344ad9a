/**
 * Stored backtests are compact (migration 010): no per-bar curve (recomputed on demand,
 * checked against the run's fingerprint and metrics), trades compressed; rows in the old
 * format stay readable.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/research/app.js';
import { backtest, type BacktestRequest } from '../../src/research/backtest.js';
import { UserError } from '../../src/research/errors.js';
import { loadRunEquity, loadRunResult } from '../../src/research/run-result.js';
import { runSection } from '../../src/research/run-sections.js';
import { loadBacktestResult } from '../../src/storage/run-results.js';
import { getRun } from '../../src/storage/runs.js';
import { freshRun } from '../helpers/fresh-run.js';
import { insertLegacyResult } from '../helpers/legacy-results.js';
import { seededApp } from './batch-fixtures.js';
import { sqliteOf } from '../helpers/sqlite.js';

const BARS = 10_000;
let app: App;
beforeEach(() => {
  app = seededApp({}, BARS);
});
afterEach(() => app.db.close());

const req = (fast: number, slow: number): BacktestRequest => ({ strategy: 'sma_cross', params: { fast, slow }, symbol: 'DEMO-BTC', timeframe: '1h', execution: { commission: 0.0005 } });

/** Bytes of every page (overflow pages included) of the tables and indexes a stored backtest writes. */
function storedBytes(a: App): number {
  const row = sqliteOf(a).prepare("SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name NOT IN ('candle_columns', 'sqlite_autoindex_candle_columns_1', 'datasets', 'sqlite_schema')").get() as { bytes: number };
  return row.bytes;
}

describe('compact stored backtests', () => {
  it('take several times fewer bytes than the old format (measured, same runs)', () => {
    const runs = 12;
    const old = seededApp({}, BARS);
    try {
      const base = [storedBytes(app), storedBytes(old)];
      let trades = 0;
      for (let i = 0; i < runs; i++) {
        const r = req(5 + i, 40 + 7 * i);
        const id = backtest(app, r).run_id as string;
        // the same run stored the old way: same runs row and ledger entry, the result as JSON text and raw bytes
        const oldId = backtest(old, r).run_id as string;
        sqliteOf(old).prepare('DELETE FROM run_results WHERE run_id = ?').run(oldId);
        const full = freshRun(old, r);
        trades += full.trades.length;
        insertLegacyResult(sqliteOf(old), oldId, { ...full, equity_time: null });
        expect(loadBacktestResult(app.db, id)?.trades).toEqual(full.trades);
      }
      expect(trades / runs).toBeGreaterThan(50); // enough trades that they weigh in, as in real use
      const perRun = (storedBytes(app) - base[0]) / runs;
      const perRunOld = (storedBytes(old) - base[1]) / runs;
      console.log(`bytes per stored backtest of ${BARS} bars, ${Math.round(trades / runs)} trades: ${Math.round(perRunOld)} old, ${Math.round(perRun)} compact (${(perRunOld / perRun).toFixed(1)}x)`);
      expect(perRunOld / perRun).toBeGreaterThan(4);
    } finally {
      old.db.close();
    }
  });

  it('recompute the equity curve bit for bit equal to a fresh engine run, and page it', () => {
    const out = backtest(app, req(10, 60));
    const id = out.run_id as string;
    expect(sqliteOf(app).prepare('SELECT codec, equity_stored, length(equity) AS bytes FROM run_results WHERE run_id = ?').get(id)).toEqual({ codec: 1, equity_stored: 0, bytes: 0 });
    const fresh = freshRun(app, req(10, 60)).equity;
    const loaded = loadRunResult(app, id)!.equity;
    expect(new Uint8Array(loaded.buffer, loaded.byteOffset, loaded.byteLength)).toEqual(new Uint8Array(fresh.buffer, fresh.byteOffset, fresh.byteLength));
    expect(loaded).not.toEqual(freshRun(app, req(11, 60)).equity); // another spec, another curve: the comparison has teeth
    const page = runSection(app, getRun(app.db, id)!, 'equity', BARS - 3, 10);
    expect(page.items).toEqual([0, 1, 2].map((k) => ({ bar: BARS - 3 + k, equity: fresh[BARS - 3 + k] })));
    expect(page.next_cursor).toBeNull();
  });

  it('answer an identical request from the store without recomputing the curve', () => {
    const first = backtest(app, req(8, 50));
    const again = backtest(app, req(8, 50));
    expect(again).toMatchObject({ cached: true, run_id: first.run_id });
    expect(again.result.equity).toBeNull();
    expect(again.result.metrics).toEqual(first.result.metrics);
    expect(again.result.trades).toEqual(first.result.trades);
  });

  it('refuse to recompute, naming the run and why, when the engine version or the dataset content changed', () => {
    const a = backtest(app, req(9, 55)).run_id as string;
    // a run stored by another engine version: its fingerprint is not the one its spec gives now
    sqliteOf(app).prepare('UPDATE runs SET fingerprint = ? WHERE id = ?').run('f'.repeat(64), a);
    expect(() => loadRunEquity(app, a)).toThrow(UserError);
    expect(() => loadRunEquity(app, a)).toThrow(new RegExp(`run ${a}'s equity curve was not stored .*cannot be recomputed: .*engine version or the dataset content changed`));
    const b = backtest(app, req(12, 70)).run_id as string;
    // the dataset's content is no longer what the run was computed from (only by damage: datasets are immutable)
    app.db.exec('DROP TRIGGER datasets_content_immutable');
    sqliteOf(app).prepare("UPDATE datasets SET content_hash = 'changed' WHERE symbol = 'DEMO-BTC'").run();
    expect(() => loadRunResult(app, b)).toThrow(/cannot be recomputed: .*engine version or the dataset content changed/);
    // what does not need the curve still works
    expect(runSection(app, getRun(app.db, b)!, 'trades', 0, 2).total).toBeGreaterThan(0);
  });

  it('read rows in the old format (curve stored as raw bytes) as they are', () => {
    const out = backtest(app, req(6, 45));
    const id = out.run_id as string;
    const full = freshRun(app, req(6, 45));
    sqliteOf(app).prepare('DELETE FROM run_results WHERE run_id = ?').run(id);
    const marked = full.equity.slice();
    marked[BARS - 1] = 12_345.678; // not what the engine gives: proves the stored curve is read, not recomputed
    insertLegacyResult(sqliteOf(app), id, { ...full, equity: marked, equity_time: null });
    expect(loadRunResult(app, id)?.equity).toEqual(marked);
    expect(loadRunResult(app, id)?.trades).toEqual(full.trades);
    expect(backtest(app, req(6, 45))).toMatchObject({ cached: true, run_id: id });
    expect(backtest(app, req(6, 45)).result.equity).toEqual(marked);
  });
});
