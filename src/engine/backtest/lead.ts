/**
 * A backtest of bars [from, to) whose indicators are warmed up on earlier bars: signals are
 * computed on [from − lead, to) — every decision still sees only bars up to its own — and
 * then only the decisions from `from` on are traded, on [from, to). Used for out-of-sample
 * windows, whose first bars would otherwise be eaten by the indicators' warm-up.
 */
import { computeMetrics } from '../metrics/compute.js';
import { sliceBars, type Candles } from '../data/candles.js';
import type { StrategyContext, StrategyDef } from '../strategies/types.js';
import { effectiveSpec } from './run.js';
import { simulate } from './simulate.js';
import type { BacktestResult, ExecutionSpec, Signals } from './types.js';

export function sliceSignals(s: Signals, offset: number, length: number): Signals {
  const end = offset + length;
  return {
    entry: s.entry.subarray(offset, end),
    exit: s.exit.subarray(offset, end),
    ...(s.size ? { size: s.size.subarray(offset, end) } : {}),
    ...(s.confidence ? { confidence: s.confidence.subarray(offset, end) } : {}),
    ...(s.stops ? { stops: Object.fromEntries(Object.entries(s.stops).map(([k, a]) => [k, (a as Float64Array).subarray(offset, end)])) } : {}),
    ...(s.decide ? { decide: shiftDecide(s.decide, offset) } : {}),
    // the first decision must come after the slice's own first bar (a cross needs bar t−1)
    warmup: Math.max(0, s.warmup - offset),
  };
}

/** A decision hook of the whole series, called with bar indices of a slice starting at `offset`. */
function shiftDecide(decide: NonNullable<Signals['decide']>, offset: number): NonNullable<Signals['decide']> {
  return (t, dir, entryBar, entryPrice) => decide(t + offset, dir, entryBar + offset, entryPrice);
}

/**
 * Backtest of series bars [from, to) with up to `lead` earlier bars used only to warm up
 * the strategy's indicators. `leadUsed` reports how many were available.
 */
export function runBacktestWithLead<P>(
  series: Candles,
  from: number,
  to: number,
  lead: number,
  strategy: StrategyDef<P>,
  params: P,
  spec: ExecutionSpec,
  ctx: StrategyContext = {},
): BacktestResult & { readonly lead_used: number } {
  if (!(from >= 0 && to > from && to <= series.time.length)) throw new RangeError(`runBacktestWithLead: bad range [${from}, ${to}) of ${series.time.length} bars`);
  const start = Math.max(0, from - Math.max(0, Math.floor(lead)));
  const ext = sliceBars(series, start, to);
  const offset = from - start;
  const signals = sliceSignals(strategy.signals(ext, params, ctx), offset, to - from);
  const candles = sliceBars(series, from, to);
  const eff = effectiveSpec(spec, params);
  const sim = simulate(candles, signals, eff);
  const { metrics, warnings } = computeMetrics(candles, sim, eff, signals.confidence);
  return { ...sim, metrics, warnings, lead_used: offset };
}
