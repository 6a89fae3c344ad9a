/**
 * Runs without a drawdown episode, against numbers printed by backtesting.py 0.6.6 itself
 * (`python3 scripts/btpy-pin.py <backtesting.py 0.6.6 checkout> ../shared/data/goog_1d.csv`,
 * cases rise / rise_fee / rise_fin / flat; Debian bookworm python3-numpy 1.24.2 and
 * python3-pandas 1.5.3, bokeh stubbed out). backtesting.py reports `Avg. Drawdown [%]` and
 * both drawdown durations as NaN when equity never falls below its running peak, and
 * `Max. Drawdown [%]` as −0.0: we report null with a warning, and 0.
 *
 * Data: tests/helpers/no-drawdown-case.ts. On RISING_CLOSE a long-only SMA(3)/SMA(6) cross
 * buys once on the way up and holds to the end (open trade); equity never falls below its
 * running peak. On FALLING_CLOSE it never buys.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION, type Candles, type ExecutionSpec } from '../../../src/engine/backtest/types.js';
import { getStrategy } from '../../../src/engine/strategies/registry.js';
import { caseBar, FALLING_CLOSE, RISING_CLOSE } from '../../helpers/no-drawdown-case.js';

const NO_EPISODE = ['avg_drawdown_pct', 'max_drawdown_duration_days', 'avg_drawdown_duration_days'] as const;

function series(close: readonly number[]): Candles {
  const rows = close.map((_, i) => caseBar(close, i));
  const col = (k: number): Float64Array => Float64Array.from(rows, (r) => r[k]);
  return { symbol: 'TEST', timeframe: '1d', time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: new Float64Array(close.length).fill(1) };
}

const rise = series(RISING_CLOSE);
const fall = series(FALLING_CLOSE);
const strategy = getStrategy('sma_cross');
const params = { fast: 3, slow: 6, direction: 'long_only' };

function run(c: Candles, over: Partial<ExecutionSpec>) {
  const spec: ExecutionSpec = { ...DEFAULT_EXECUTION, cash: 10_000, commission: 0, profile: 'backtesting.py', ...over };
  return runBacktest(c, strategy, params, spec);
}

function expectRel(got: number | null | undefined, want: number, key: string): void {
  expect(got, key).toBeTypeOf('number');
  expect(Math.abs((got as number) - want) / Math.abs(want), `${key}: got ${got}, want ${want}`).toBeLessThanOrEqual(1e-6);
}

function expectNoEpisode(r: ReturnType<typeof run>, why: string): void {
  expect(r.metrics.max_drawdown_pct).toBe(0);
  for (const k of NO_EPISODE) {
    expect(r.metrics[k], k).toBeNull();
    expect(r.warnings, k).toContain(`${k}: ${why}`);
  }
}

const NEVER_FELL = 'no drawdown (equity never fell below its running peak)';

describe('no drawdown, backtesting.py profile (numbers from backtesting.py 0.6.6)', () => {
  const cases = {
    rise: [{}, { equity_final: 17160.4, return_ann_pct: 2724.163849570325, volatility_ann_pct: 412.2084845582288, cagr_pct: 2730.6335497015957, sharpe: 6.6087039729176364, alpha_pct: 44.56414547172008, beta: 0.5007380468199986 }],
    rise_fee: [{ commission: 0.002 }, { equity_final: 17140.486600000004, return_ann_pct: 2703.9503269254246, volatility_ann_pct: 407.55835526863785, cagr_pct: 2710.3598943811157, sharpe: 6.634510842363038, alpha_pct: 44.46989583799322, beta: 0.49879574374086666 }],
  } as const;
  for (const [name, [over, want]] of Object.entries(cases)) {
    it(`${name}: one open trade, equity only rises; avg drawdown and durations null, max drawdown 0`, () => {
      const r = run(rise, over);
      expect(r.trades).toHaveLength(0);
      expect(r.open_trades).toHaveLength(1);
      for (const [k, v] of Object.entries(want)) expectRel(r.metrics[k], v, k);
      expectNoEpisode(r, NEVER_FELL);
      expect(r.metrics.calmar).toBeNull();
      // backtesting.py shows no Commissions [$] (0): the only trade is still open
      expect(r.metrics.commissions).toBe(0);
    });
  }

  it('flat: no trade, equity constant; the same nulls, Sharpe undefined', () => {
    const r = run(fall, {});
    expect(r.trades).toHaveLength(0);
    expect(r.open_trades).toHaveLength(0);
    expect(r.metrics).toMatchObject({ equity_final: 10_000, return_pct: 0, return_ann_pct: 0, volatility_ann_pct: 0, cagr_pct: 0, alpha_pct: 0, beta: 0, sharpe: null });
    expectRel(r.metrics.buy_hold_return_pct, -27.692307692307693, 'buy_hold_return_pct');
    expectNoEpisode(r, NEVER_FELL);
  });

  it('rise_fin: a drawdown only on the last bar (finalize exit fee) is no episode, yet its depth is the average', () => {
    const r = run(rise, { commission: 0.002, finalize_trades: true });
    expect(r.trades).toHaveLength(1);
    const want = { equity_final: 16907.750200000002, commissions: 53.74980000000001, max_drawdown_pct: -0.19972391487820262, avg_drawdown_pct: -0.19972391487820262, calmar: 12399.891974780856, sortino: 4985.370910807226, exposure_pct: 60 };
    for (const [k, v] of Object.entries(want)) expectRel(r.metrics[k], v, k);
    // backtesting.py prints the drawdown fraction 0.0019972… as both "durations" (a float,
    // not a Timedelta): not a duration, so we report null and say why
    for (const k of ['max_drawdown_duration_days', 'avg_drawdown_duration_days']) {
      expect(r.metrics[k], k).toBeNull();
      expect(r.warnings.some((w) => w.startsWith(`${k}: the only drawdown starts on the last bar`)), k).toBe(true);
    }
  });
});

describe('no drawdown, default profile', () => {
  for (const [name, c, over] of [['rise', rise, {}], ['rise_fee', rise, { commission: 0.002 }], ['flat', fall, {}], ['rise_fin', rise, { commission: 0.002, finalize_trades: true }]] as const) {
    it(`${name}: avg drawdown and both durations null with a warning, max drawdown 0, score still finite`, () => {
      const r = run(c, { ...over, profile: 'default' });
      expectNoEpisode(r, NEVER_FELL);
      expect(Number.isFinite(r.metrics.score)).toBe(true);
      expect(r.warnings.some((w) => w.startsWith('score: degenerate'))).toBe(true);
    });
  }
});
