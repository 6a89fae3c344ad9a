import { describe, expect, it } from 'vitest';
import type { Trade } from '../../src/engine/backtest/types.js';
import { getCachedResult, putCachedResult } from '../../src/storage/result-cache.js';
import {
  hasBacktestResult,
  loadBacktestDetails,
  loadBacktestEquity,
  loadBacktestResult,
  loadBacktestSummary,
  loadMetricsByRun,
  rewriteLegacyRow,
  saveBacktestResult,
  serializeBacktest,
  type StoredBacktest,
} from '../../src/storage/run-results.js';
import { createRun } from '../../src/storage/runs.js';
import { insertLegacyResult } from '../helpers/legacy-results.js';
import { eachStore } from '../helpers/stores.js';

const TRADE: Trade = { direction: 'long', size: 2, entry_bar: 1, exit_bar: 3, entry_time: 1_000, exit_time: 3_000, entry_price: 100.25, exit_price: 101.5, pnl: 2.4, return_pct: 1.19, fees: 0.1, exit_reason: 'signal' };
const RESULT: StoredBacktest = {
  metrics: { trades: 1, sharpe: 0.75 } as unknown as StoredBacktest['metrics'],
  warnings: ['short history'],
  trades: [TRADE],
  open_trades: [{ direction: 'short', size: 1, entry_bar: 4, entry_time: 4_000, entry_price: 99, mark_price: 98, unrealized_pnl: 1, fees: 0.05 }],
  skipped: [{ bar: 2, time: 2_000, side: 'long', reason: 'insufficient_cash' } as unknown as StoredBacktest['skipped'][number]],
  // every bit pattern comes back: −0, infinities, a subnormal
  equity: new Float64Array([1000, -0, Infinity, -Infinity, Number.MIN_VALUE, 1000.5]),
  equity_time: new Float64Array([0, 1_000, 2_000, 3_000, 4_000, 5_000]),
  warmup: 2,
};

const stores = eachStore();

describe.each(stores)('run results ($kind store)', (store) => {
  it('round-trips a result whole and in parts, with or without its curve', () => {
    const db = store.open();
    createRun(db, { id: 'bt_a', kind: 'backtest', status: 'succeeded', spec: {}, now: 1 });
    createRun(db, { id: 'bt_b', kind: 'backtest', status: 'succeeded', spec: {}, now: 2 });
    expect(hasBacktestResult(db, 'bt_a')).toBe(false);
    expect(loadBacktestResult(db, 'bt_a')).toBeUndefined();
    saveBacktestResult(db, 'bt_a', RESULT);
    saveBacktestResult(db, 'bt_b', { ...RESULT, equity_time: null }, { equity: false });
    expect(hasBacktestResult(db, 'bt_a')).toBe(true);
    expect(loadBacktestResult(db, 'bt_a')).toEqual(RESULT);
    expect(loadBacktestResult(db, 'bt_b')).toEqual({ ...RESULT, equity: null, equity_time: null });
    expect(loadBacktestDetails(db, 'bt_a')).toEqual({ trades: RESULT.trades, open_trades: RESULT.open_trades, skipped: RESULT.skipped });
    expect(loadBacktestEquity(db, 'bt_a')).toEqual({ metrics: RESULT.metrics, equity: RESULT.equity, equity_time: RESULT.equity_time });
    expect(loadBacktestEquity(db, 'bt_b')).toEqual({ metrics: RESULT.metrics, equity: null, equity_time: null });
    expect(loadBacktestSummary(db, 'bt_b')).toEqual({ metrics: RESULT.metrics, n_trades: 1 });
    expect(() => saveBacktestResult(db, 'bt_missing', RESULT)).toThrow(/FOREIGN KEY|foreign key/);
  });

  it('reads a result in the format before migration 010 and rewrites it compactly once', () => {
    const db = store.open();
    createRun(db, { id: 'bt_old', kind: 'backtest', status: 'succeeded', spec: {}, now: 1 });
    insertLegacyResult(db, 'bt_old', RESULT);
    expect(loadBacktestResult(db, 'bt_old')).toEqual(RESULT);
    const compact = serializeBacktest(RESULT);
    expect(rewriteLegacyRow(db, 'bt_old', compact)).toBe(true);
    expect(rewriteLegacyRow(db, 'bt_old', compact)).toBe(false); // already compact
    expect(rewriteLegacyRow(db, 'bt_gone', compact)).toBe(false);
    expect(loadBacktestResult(db, 'bt_old')).toEqual(RESULT);
  });

  it('caches evaluations by fingerprint; the first write wins', () => {
    const db = store.open();
    const r = { metrics: RESULT.metrics, warnings: [], intermediate: [[5, 0.5]] as [number, number][], ledger: null };
    expect(getCachedResult(db, 'fp')).toBeUndefined();
    putCachedResult(db, 'fp', r, 1);
    putCachedResult(db, 'fp', { ...r, warnings: ['later'] }, 2);
    expect(getCachedResult(db, 'fp')).toEqual(r);
  });

  it('loadMetricsByRun reads the metrics of stored results by run id, over the parameter limit of one query, skipping ids without a result', () => {
    const db = store.open();
    const ids: string[] = [];
    for (let i = 0; i < 1203; i++) {
      const run = createRun(db, { id: `bt_${i}`, kind: 'backtest', status: 'succeeded', spec: {}, now: i });
      ids.push(run.id);
      if (i % 3 !== 0) saveBacktestResult(db, run.id, { metrics: { trades: i, sharpe: i / 10 }, warnings: [], trades: [], open_trades: [], skipped: [], equity: new Float64Array([1, 2]), equity_time: null, warmup: 0 });
    }
    const got = loadMetricsByRun(db, [...ids, ...ids.slice(0, 10), 'bt_missing']);
    expect(got.size).toBe(802);
    expect(got.get('bt_1')).toEqual({ trades: 1, sharpe: 0.1 });
    expect(got.get('bt_1202')).toEqual({ trades: 1202, sharpe: 120.2 });
    expect(got.has('bt_0')).toBe(false);
    expect(got.has('bt_missing')).toBe(false);
    expect(loadMetricsByRun(db, []).size).toBe(0);
  });
});
