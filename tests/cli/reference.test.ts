/**
 * The public reference case (EXECUTION.md §5) through the exact CLI command of the
 * contract: backtesting.py 0.6.6's pinned numbers, relative tolerance 1e-6, exact trade count.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeShared, REPO_ROOT, sharedDataPath } from '../helpers/shared-data.js';

const EXPECTED: Record<string, number> = {
  trades: 66,
  return_pct: 414.2298999999996,
  equity_final: 51422.98999999996,
  equity_peak: 75787.44,
  exposure_pct: 96.74115456238361,
  buy_hold_return_pct: 522.0601851851852,
  return_ann_pct: 21.191099249053224,
  volatility_ann_pct: 36.49716090702389,
  cagr_pct: 21.160245705962623,
  sharpe: 0.5806232244485349,
  sortino: 1.085343435248866,
  calmar: 0.44166409202994616,
  alpha_pct: 394.3739114202746,
  beta: 0.03803390709192207,
  max_drawdown_pct: -47.98012705007588,
  avg_drawdown_pct: -5.925851581948801,
  max_drawdown_duration_days: 584,
  avg_drawdown_duration_days: 41,
  win_rate_pct: 46.96969696969697,
  best_trade_pct: 53.59595229490424,
  worst_trade_pct: -18.39887353835481,
  avg_trade_pct: 2.531715975158555,
  max_trade_duration_days: 183,
  avg_trade_duration_days: 46,
  profit_factor: 2.167945974262033,
  expectancy_pct: 3.274807806674883,
  sqn: 1.07661873566977,
  kelly: 0.1518705127029717,
};

describeShared('CLI reference case (EXECUTION.md §5)', 'goog_1d.csv', () => {
  it('reproduces every pinned backtesting.py number through `tradelab backtest --json`', () => {
    const out = execFileSync(
      process.execPath,
      [
        join(REPO_ROOT, 'bin', 'tradelab.js'),
        'backtest',
        '--csv',
        sharedDataPath('goog_1d.csv'),
        '--strategy',
        'sma_cross',
        '--params',
        '{"fast":10,"slow":30,"direction":"long_short"}',
        '--profile',
        'backtesting.py',
        '--cash',
        '10000',
        '--commission',
        '0',
        '--finalize-trades',
        '--json',
      ],
      { encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: '/nonexistent-not-used' } },
    );
    const r = JSON.parse(out) as { metrics: Record<string, number>; trades: unknown[]; warnings: string[] };
    expect(Object.keys(r).sort()).toEqual(['metrics', 'trades', 'warnings']);
    expect(r.trades).toHaveLength(66);
    for (const [k, want] of Object.entries(EXPECTED)) {
      const got = r.metrics[k];
      expect(typeof got, k).toBe('number');
      expect(Math.abs(got - want) / Math.abs(want), `${k}: got ${got}, want ${want}`).toBeLessThanOrEqual(1e-6);
    }
  });
});
