/**
 * Each built-in strategy re-expressed in the language (config/strategies/<name>_lang.yaml)
 * gives identical trades, open trades, skipped orders, equity curves and metrics — bit for
 * bit — on the real data of ../shared/data and on synthetic series, for several parameter
 * sets, every direction, both execution profiles, and with costs, stops and a holding limit.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION, type BacktestResult, type Candles, type ExecutionSpec } from '../../../../src/engine/backtest/types.js';
import { generateSynthetic } from '../../../../src/engine/data/synthetic.js';
import { Scratch } from '../../../../src/engine/backtest/scratch.js';
import { getStrategy } from '../../../../src/engine/strategies/registry.js';
import { MapIndicatorCache, type StrategyContext } from '../../../../src/engine/strategies/types.js';
import { describeShared, readSharedBars } from '../../../helpers/shared-data.js';
import { randomWalk } from '../helpers.js';
import { compiled, configText } from './helpers.js';

type P = Record<string, number>;

export const PARAM_SETS: Record<string, P[]> = {
  sma_cross: [{ fast: 10, slow: 30 }, { fast: 5, slow: 20 }, { fast: 20, slow: 100 }],
  ema_cross: [{ fast: 8, slow: 21 }, { fast: 12, slow: 26 }, { fast: 3, slow: 50 }],
  rsi_reversion: [{ period: 14, lower: 30, upper: 70 }, { period: 7, lower: 25, upper: 75 }, { period: 21, lower: 40, upper: 60 }],
  bollinger_reversion: [{ period: 20, k: 2 }, { period: 10, k: 1.5 }, { period: 40, k: 2.5 }],
  macd_trend: [{ fast: 12, slow: 26, signal: 9 }, { fast: 5, slow: 35, signal: 5 }, { fast: 8, slow: 17, signal: 9 }],
  donchian_breakout: [{ entry_period: 20, exit_period: 10 }, { entry_period: 10, exit_period: 30 }, { entry_period: 55, exit_period: 20 }],
};

const DIRECTIONS = ['long_only', 'short_only', 'long_short'] as const;

const SPECS: Record<string, ExecutionSpec> = {
  default: DEFAULT_EXECUTION,
  'backtesting.py': { ...DEFAULT_EXECUTION, profile: 'backtesting.py', finalize_trades: true },
  'costs, stops, holding limit': { ...DEFAULT_EXECUTION, commission: 0.001, slippage_bps: 5, stop_loss: 0.03, take_profit: 0.06, trailing_stop: 0.04, max_hold_bars: 50, fraction: 0.8 },
};

/** The result as plain data (copies the equity: with a Scratch it is a view into a reused buffer). */
function essence(r: BacktestResult) {
  return { trades: r.trades, open_trades: r.open_trades, skipped: r.skipped, equity: Array.from(r.equity), metrics: r.metrics, warnings: r.warnings, warmup: r.warmup };
}

/** Runs every strategy × parameter set × direction × spec on `candles`; returns how many runs traded. */
function compareAll(candles: Candles, ctx: () => StrategyContext = () => ({})): { runs: number; traded: number } {
  let runs = 0;
  let traded = 0;
  for (const [name, sets] of Object.entries(PARAM_SETS)) {
    const builtin = getStrategy(name);
    const lang = compiled(configText(`${name}_lang.yaml`));
    for (const p of sets) {
      for (const direction of DIRECTIONS) {
        const bp = builtin.params.parse({ ...p, direction });
        const lp = lang.params.parse({ ...p, direction });
        const bs = builtin.signals(candles, bp, {});
        const ls = lang.signals(candles, lp, {});
        const where = `${name} ${JSON.stringify(p)} ${direction}`;
        expect(ls.warmup, where).toBe(bs.warmup);
        expect(Array.from(ls.entry), where).toEqual(Array.from(bs.entry));
        for (const [label, spec] of Object.entries(SPECS)) {
          const b = essence(runBacktest(candles, builtin, bp, spec, ctx()));
          const l = essence(runBacktest(candles, lang, lp, spec, ctx()));
          expect(l, `${where} ${label}`).toEqual(b);
          runs++;
          if (b.trades.length > 0) traded++;
        }
      }
    }
  }
  return { runs, traded };
}

const FILES = ['goog_1d.csv', 'eurusd_1h.csv', 'eth_btc_5m.csv', 'unittest_btc_30m.csv', 'unittest_btc_1m.csv', 'xrp_eth_1m.csv', 'btcusd_1mo.csv'] as const;

for (const file of FILES) {
  describeShared(`language re-expressions of the built-ins on ${file}`, file, () => {
    it('identical trades, equity and metrics', () => {
      const candles: Candles = { symbol: 'X', timeframe: '1h', ...readSharedBars(file) };
      const { runs, traded } = compareAll(candles);
      expect(runs).toBe(6 * 3 * 3 * 3);
      // the comparison is about real trading, not empty runs
      expect(traded).toBeGreaterThan(file === 'btcusd_1mo.csv' ? 60 : 140);
    });
  });
}

describe('language re-expressions of the built-ins on synthetic series', () => {
  it.each([
    ['a seeded random walk with volatility regimes', randomWalk(31, 3000)],
    ['the synthetic demo generator', generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 3000, seed: 7, start: Date.UTC(2022, 0, 1) })],
  ])('%s: identical trades, equity and metrics', (_label, candles) => {
    const { traded } = compareAll(candles as Candles);
    expect(traded).toBeGreaterThan(140);
  });

  it('also through one shared indicator cache and scratch buffers, as optimisation trials run', () => {
    const cache = new MapIndicatorCache();
    const scratch = new Scratch();
    const { traded } = compareAll(randomWalk(32, 3000), () => ({ cache, scratch }));
    expect(traded).toBeGreaterThan(140);
    expect(cache.size).toBeGreaterThan(30);
  });

  it('the issue\'s ma_cross is sma_cross long_short; with direction long_only it is sma_cross long_only', () => {
    const c = randomWalk(44, 3000);
    const ma = compiled(configText('ma_cross.yaml'));
    const sma = getStrategy('sma_cross');
    for (const direction of DIRECTIONS) {
      for (const p of PARAM_SETS.sma_cross) {
        const l = runBacktest(c, ma, ma.params.parse({ ...p, direction }), DEFAULT_EXECUTION);
        const b = runBacktest(c, sma, sma.params.parse({ ...p, direction }), DEFAULT_EXECUTION);
        expect(essence(l)).toEqual(essence(b));
      }
    }
  });
});
