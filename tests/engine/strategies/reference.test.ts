/**
 * sma_cross reproduces backtesting.py's SmaCross on its own GOOG test data (EXECUTION.md §5,
 * pinned in backtesting.py's TestBacktest.test_compute_stats), through the real simulator.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION, type ExecutionSpec } from '../../../src/engine/backtest/types.js';
import type { Candles } from '../../../src/engine/data/candles.js';
import { getStrategy } from '../../../src/engine/strategies/registry.js';
import { describeShared, readSharedBars } from '../../helpers/shared-data.js';
import { REFERENCE_TRADE_METRICS } from '../../helpers/reference-case.js';

/**
 * The pinned numbers that follow from the trades and the equity curve, i.e. from the signals.
 * (The annualised ones — return_ann, volatility, Sharpe, Sortino, Calmar — depend only on the
 * metrics' period sampling and are pinned by the metrics tests.)
 */
const EXPECTED = REFERENCE_TRADE_METRICS;

describeShared('sma_cross reproduces backtesting.py SmaCross on GOOG', 'goog_1d.csv', () => {
  const bars = readSharedBars('goog_1d.csv');
  const candles: Candles = { symbol: 'GOOG', timeframe: '1d', ...bars };
  const def = getStrategy('sma_cross');
  const params = def.params.parse({ fast: 10, slow: 30, direction: 'long_short' });

  it('crosses: one entry per trade, alternating sides, warm-up 29', () => {
    const s = def.signals(candles, params, {});
    expect(s.warmup).toBe(29);
    const entries = Array.from(s.entry).flatMap((v, t) => (v !== 0 ? [v] : []));
    // always in the market after the first cross: each cross opens one of the 66 trades
    expect(entries).toHaveLength(66);
    for (let i = 1; i < entries.length; i++) expect(entries[i]).toBe(-entries[i - 1]);
  });

  it('every pinned trade and equity number within 1e-6 relative, through runBacktest', () => {
    const spec: ExecutionSpec = { ...DEFAULT_EXECUTION, profile: 'backtesting.py', cash: 10_000, commission: 0, finalize_trades: true };
    const r = runBacktest(candles, def, params, spec);
    for (const [key, want] of Object.entries(EXPECTED)) {
      const got = r.metrics[key];
      expect(got, key).not.toBeNull();
      expect(Math.abs((got as number) - want) / Math.abs(want), `${key}: ${got} vs ${want}`).toBeLessThan(1e-6);
    }
  });
});
