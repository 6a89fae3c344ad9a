/** computeMetrics end to end on hand-built equity curves: nulls with reasons, calendars, profiles. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXECUTION, type ExecutionSpec } from '../../../src/engine/backtest/types.js';
import { computeMetrics } from '../../../src/engine/metrics/compute.js';
import { allFiniteOrNull, candlesFrom, DAY, dailyTimes, equityFromReturns, fakeSim, HOUR, MONDAY, trade } from './fixtures.js';

const DEFAULT: ExecutionSpec = { ...DEFAULT_EXECUTION, cash: 1000 };
const BTPY: ExecutionSpec = { ...DEFAULT, profile: 'backtesting.py' };
const KEYS = [
  'return_pct', 'equity_final', 'equity_peak', 'buy_hold_return_pct', 'return_ann_pct', 'cagr_pct', 'volatility_ann_pct',
  'sharpe', 'sortino', 'calmar', 'alpha_pct', 'beta', 'max_drawdown_pct', 'avg_drawdown_pct', 'max_drawdown_duration_days',
  'avg_drawdown_duration_days', 'trades', 'win_rate_pct', 'best_trade_pct', 'worst_trade_pct', 'avg_trade_pct',
  'expectancy_pct', 'profit_factor', 'sqn', 'kelly', 'max_trade_duration_days', 'avg_trade_duration_days', 'exposure_pct',
  'commissions', 'score',
];

describe('a run without trades', () => {
  const n = 50;
  const time = dailyTimes(n, true);
  const close = Float64Array.from({ length: n }, (_, i) => 100 + Math.sin(i));
  const sim = fakeSim(new Float64Array(n).fill(1000));

  for (const spec of [DEFAULT, BTPY]) {
    it(`${spec.profile}: every key present, undefined ones null with a reason, nothing NaN/Infinity`, () => {
      const { metrics, warnings } = computeMetrics(candlesFrom(time, close), sim, spec);
      for (const k of KEYS) expect(metrics, k).toHaveProperty(k);
      expect(allFiniteOrNull(metrics)).toBe(true);
      expect(metrics.trades).toBe(0);
      expect(metrics.return_pct).toBe(0);
      expect(metrics.max_drawdown_pct).toBe(0);
      for (const k of ['sharpe', 'win_rate_pct', 'profit_factor', 'sqn', 'kelly', 'avg_trade_pct', 'calmar', 'sortino']) {
        expect(metrics[k], k).toBeNull();
        expect(warnings.some((w) => w.startsWith(`${k}:`)), `warning for ${k}`).toBe(true);
      }
      expect(metrics.score).toBe(0);
    });
  }
});

describe('calendar-aware annualisation (default profile)', () => {
  const returns = Array.from({ length: 120 }, (_, i) => [0.01, -0.004, 0.006, -0.008, 0.003][i % 5]);
  const eq = equityFromReturns(returns);
  const closes = Float64Array.from(eq, (v) => v / 10);

  it('the same daily returns on a 24/7 calendar give √(365/252) times the weekday Sharpe', () => {
    const wk = computeMetrics(candlesFrom(dailyTimes(eq.length, true), closes), fakeSim(eq), DEFAULT).metrics;
    const all = computeMetrics(candlesFrom(dailyTimes(eq.length, false), closes), fakeSim(eq), DEFAULT).metrics;
    expect(wk.periods_per_year).toBe(252);
    expect(all.periods_per_year).toBe(365);
    expect((all.sharpe as number) / (wk.sharpe as number)).toBeCloseTo(Math.sqrt(365 / 252), 12);
  });

  it('Sharpe and Sortino match the hand formulas on the sampled returns', () => {
    const m = computeMetrics(candlesFrom(dailyTimes(eq.length, true), closes), fakeSim(eq), DEFAULT).metrics;
    const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
    const sd = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / (returns.length - 1));
    const down = Math.sqrt(returns.reduce((a, b) => a + Math.min(b, 0) ** 2, 0) / returns.length);
    expect(m.sharpe as number).toBeCloseTo((mean / sd) * Math.sqrt(252), 8);
    expect(m.sortino as number).toBeCloseTo((mean / down) * Math.sqrt(252), 8);
    expect(m.volatility_ann_pct as number).toBeCloseTo(sd * Math.sqrt(252) * 100, 8);
  });

  it('intraday bars are sampled at day ends before computing returns', () => {
    // 4 bars per day; only the last bar of each day matters
    const n = 4 * eq.length;
    const time = Float64Array.from({ length: n }, (_, i) => MONDAY + Math.floor(i / 4) * DAY + (i % 4) * HOUR);
    const intraday = Float64Array.from({ length: n }, (_, i) => ((i % 4) === 3 ? eq[Math.floor(i / 4)] : 5000 + i));
    const daily = computeMetrics(candlesFrom(dailyTimes(eq.length, false), closes), fakeSim(eq), DEFAULT).metrics;
    const m = computeMetrics(candlesFrom(time, Float64Array.from(intraday, (v) => v / 10)), fakeSim(intraday), DEFAULT).metrics;
    expect(m.sharpe as number).toBeCloseTo(daily.sharpe as number, 10);
  });
});

describe('cagr, buy & hold, durations', () => {
  it('CAGR over calendar years of 365.25 days', () => {
    const time = Float64Array.from([MONDAY, MONDAY + 730 * DAY]);
    const m = computeMetrics(candlesFrom(time, [100, 110]), fakeSim(Float64Array.from([1000, 1210])), DEFAULT).metrics;
    expect(m.cagr_pct as number).toBeCloseTo((1.21 ** (365.25 / 730) - 1) * 100, 10);
  });

  it('buy & hold is measured from the warm-up bar', () => {
    const time = dailyTimes(4, true);
    const m = computeMetrics(candlesFrom(time, [50, 100, 120, 150]), fakeSim(new Float64Array(4).fill(1000), [], [], 1), DEFAULT).metrics;
    expect(m.buy_hold_return_pct as number).toBeCloseTo(50, 12);
  });

  it('backtesting.py rounds durations up to the data resolution; default keeps them exact', () => {
    const n = 48;
    const time = Float64Array.from({ length: n }, (_, i) => MONDAY + i * HOUR);
    const trades = [
      trade({ return_pct: 1, pnl: 10, entry_bar: 1, exit_bar: 2, entry_time: time[1], exit_time: time[2] }),
      trade({ return_pct: -1, pnl: -10, entry_bar: 3, exit_bar: 5, entry_time: time[3], exit_time: time[5] }),
    ];
    const eq = new Float64Array(n).fill(1000);
    const c = candlesFrom(time, new Float64Array(n).fill(100));
    expect(computeMetrics(c, fakeSim(eq, trades), DEFAULT).metrics.avg_trade_duration_days).toBeCloseTo(1.5 / 24, 14);
    expect(computeMetrics(c, fakeSim(eq, trades), BTPY).metrics.avg_trade_duration_days).toBeCloseTo(2 / 24, 14);
  });
});

describe('trades, open trades and fees', () => {
  it('open trades stay out of trade stats; their fees count in commissions (default) or not (backtesting.py)', () => {
    const time = dailyTimes(10, true);
    const eq = Float64Array.from([1000, 1000, 1010, 1020, 1015, 1030, 1030, 1040, 1035, 1050]);
    const closed = [trade({ return_pct: 3, pnl: 30, fees: 2, entry_bar: 1, exit_bar: 5 })];
    const open = [{ direction: 'long' as const, size: 1, entry_bar: 6, entry_time: time[6], entry_price: 100, mark_price: 102, unrealized_pnl: 1.5, fees: 0.5 }];
    const m = computeMetrics(candlesFrom(time, eq), fakeSim(eq, closed, open), DEFAULT).metrics;
    expect(m.trades).toBe(1);
    expect(m.open_trades).toBe(1);
    expect(m.commissions).toBeCloseTo(2.5, 12);
    expect(m.exposure_pct).toBeCloseTo(50, 12); // bars 1..5 of 10
    // backtesting.py's Commissions [$] = Σ over closed trades of (entry + exit) fees
    const b = computeMetrics(candlesFrom(time, eq), fakeSim(eq, closed, open), BTPY).metrics;
    expect(b.commissions).toBe(2);
    expect(b.trades).toBe(1);
  });

  it('a never-losing run gets a capped score and a warning', () => {
    const n = 60;
    const eq = Float64Array.from({ length: n }, (_, i) => 1000 * (1 + 0.002 * i + 0.0001 * (i % 3)));
    const time = dailyTimes(n, true);
    const { metrics, warnings } = computeMetrics(candlesFrom(time, eq), fakeSim(eq, [trade({ return_pct: 12, pnl: 120 })]), DEFAULT);
    expect(metrics.max_drawdown_pct).toBe(0);
    expect(metrics.sharpe as number).toBeGreaterThan(20); // steady gains: a huge raw Sharpe
    expect(metrics.score as number).toBeLessThan(5);
    expect(warnings.some((w) => w.startsWith('score: degenerate'))).toBe(true);
  });

  it('a bankrupt curve yields no NaN or Infinity', () => {
    const time = dailyTimes(6, true);
    const eq = Float64Array.from([1000, 900, 400, 0, 0, 0]);
    const sim = { ...fakeSim(eq, [trade({ return_pct: -100, pnl: -1000, exit_reason: 'liquidation' })]), bankrupt_at: 3 };
    for (const spec of [DEFAULT, BTPY]) {
      const { metrics, warnings } = computeMetrics(candlesFrom(time, [100, 90, 40, 30, 30, 30]), sim, spec);
      expect(allFiniteOrNull(metrics)).toBe(true);
      expect(metrics.return_pct).toBe(-100);
      expect(metrics.max_drawdown_pct).toBe(-100);
      expect(warnings.some((w) => w.includes('equity reached 0'))).toBe(true);
      expect(metrics.cagr_pct).toBe(-100);
    }
    // default: a total loss annualises to −100 % (backtesting.py's geometric mean gives 0 there)
    expect(computeMetrics(candlesFrom(time, [100, 90, 40, 30, 30, 30]), sim, DEFAULT).metrics.return_ann_pct).toBe(-100);
  });
});
