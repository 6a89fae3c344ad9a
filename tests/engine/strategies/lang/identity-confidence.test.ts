/**
 * The built-in `confidence` strategy re-expressed in the language
 * (config/strategies/confidence_lang.yaml, long only, its default direction): identical
 * signals, sizes, confidence, trades, equity and metrics on the real data of ../shared/data
 * and on synthetic series, for several parameter sets and execution specs.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION, type BacktestResult, type Candles, type ExecutionSpec } from '../../../../src/engine/backtest/types.js';
import { generateSynthetic } from '../../../../src/engine/data/synthetic.js';
import { getStrategy } from '../../../../src/engine/strategies/registry.js';
import { describeShared, readSharedBars } from '../../../helpers/shared-data.js';
import { randomWalk } from '../helpers.js';
import { compiled, configText } from './helpers.js';

type Flat = Record<string, number>;
/** Built-in params (nested) → the document's flat names. */
function flat(p: { thresholds: { entry_conf_overall: number; regime_proba: { trend: number; range: number; balanced: number } }; exit_conf_threshold: number; max_hold_bars: number; risk_map: number[][] } & Record<string, unknown>): Flat {
  const { thresholds: th, risk_map: rm, max_hold_bars, exit_conf_threshold } = p;
  const pick = ['macd_fast', 'macd_slow', 'macd_signal', 'atr_period', 'rsi_period', 'zscore_period', 'adx_period', 'bb_period', 'bb_k', 'regime_lookback'];
  return {
    entry_conf_overall: th.entry_conf_overall,
    exit_conf_threshold,
    proba_trend: th.regime_proba.trend,
    proba_range: th.regime_proba.range,
    proba_balanced: th.regime_proba.balanced,
    max_hold_bars,
    rm0: rm[0][1],
    rm1: rm[1][1],
    rm2: rm[2][1],
    ...Object.fromEntries(pick.map((k) => [k, p[k] as number])),
  };
}

const SETS: Record<string, unknown>[] = [
  {},
  { thresholds: { entry_conf_overall: 0.55, regime_proba: { trend: 0.35, range: 0.5, balanced: 0.45 } }, exit_conf_threshold: 0.4, max_hold_bars: 24, rsi_period: 9, zscore_period: 30 },
  { thresholds: { entry_conf_overall: 0.7, regime_proba: { trend: 0.5, range: 0.35, balanced: 0.35 } }, exit_conf_threshold: 0.3, max_hold_bars: 120, risk_map: [[0.6, 0.2], [0.7, 0.5], [0.8, 1]], macd_fast: 8, macd_slow: 30, bb_k: 2.5, regime_lookback: 60 },
];
const SPECS: Record<string, ExecutionSpec> = {
  default: DEFAULT_EXECUTION,
  costs: { ...DEFAULT_EXECUTION, commission: 0.001, slippage_bps: 5, stop_loss: 0.05 },
};

const essence = (r: BacktestResult) => ({ trades: r.trades, open_trades: r.open_trades, skipped: r.skipped, equity: Array.from(r.equity), metrics: r.metrics, warmup: r.warmup });

function compare(candles: Candles): number {
  const builtin = getStrategy('confidence');
  const lang = compiled(configText('confidence_lang.yaml'));
  let trades = 0;
  for (const set of SETS) {
    const bp = builtin.params.parse(set) as Parameters<typeof flat>[0];
    const lp = lang.params.parse(flat(bp));
    const bs = builtin.signals(candles, bp, {});
    const ls = lang.signals(candles, lp, {});
    const where = JSON.stringify(set);
    expect(ls.warmup, where).toBe(bs.warmup);
    expect(Array.from(ls.entry), where).toEqual(Array.from(bs.entry));
    expect(Array.from(ls.confidence ?? []), where).toEqual(Array.from(bs.confidence ?? []));
    for (const [label, spec] of Object.entries(SPECS)) {
      // the built-in's max_hold_bars is applied by the simulator (as the CLI and tools do)
      const b = essence(runBacktest(candles, builtin, bp, { ...spec, max_hold_bars: bp.max_hold_bars }));
      const l = essence(runBacktest(candles, lang, lp, spec));
      expect(l, `${where} ${label}`).toEqual(b);
      trades += b.trades.length;
    }
  }
  return trades;
}

for (const file of ['goog_1d.csv', 'eurusd_1h.csv', 'eth_btc_5m.csv', 'unittest_btc_30m.csv'] as const) {
  describeShared(`confidence_lang on ${file}`, file, () => {
    it('identical to the built-in confidence strategy', () => {
      const candles: Candles = { symbol: 'X', timeframe: '1h', ...readSharedBars(file) };
      expect(compare(candles)).toBeGreaterThan(20);
    });
  });
}

describe('confidence_lang on synthetic series', () => {
  it('identical on random walks and a generated market', () => {
    let trades = 0;
    for (const seed of [1, 2, 3]) trades += compare(randomWalk(seed, 4000));
    trades += compare(generateSynthetic({ symbol: 'S', timeframe: '1h', bars: 5000, seed: 9, start: Date.UTC(2024, 0, 1) }));
    expect(trades).toBeGreaterThan(50);
  });
});

describe('max_hold_bars in a document', () => {
  it('sets the simulator’s holding limit: trades close after that many bars with reason max_hold', () => {
    const d = compiled({ name: 'hold_test', params: { max_hold_bars: { type: 'int', default: 5, low: 1, high: 50 } }, rules: { long_entry: 'close > open' } });
    const r = runBacktest(randomWalk(4, 2000), d, d.params.parse({ max_hold_bars: 7 }), DEFAULT_EXECUTION);
    expect(r.trades.length).toBeGreaterThan(10);
    const held = r.trades.filter((t) => t.exit_reason === 'max_hold');
    expect(held.length).toBe(r.trades.length);
    for (const t of held) expect(t.exit_bar - t.entry_bar).toBe(7);
  });
});
