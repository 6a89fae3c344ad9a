import { computeMetrics } from '../metrics/compute.js';
import type { StrategyContext, StrategyDef } from '../strategies/types.js';
import { simulate } from './simulate.js';
import { DIRECTIONS, type BacktestResult, type Candles, type CheckpointHook, type Direction, type ExecutionSpec, type Signals, type SimulationResult } from './types.js';

/**
 * One backtest: strategy signals → simulator → metrics. A `direction` param of the
 * strategy (e.g. sma_cross's `long_only`) overrides `spec.direction`, so the simulator's
 * filter and the strategy agree; likewise a `max_hold_bars` param (the confidence
 * strategy's) overrides `spec.max_hold_bars`. Pure: same inputs, same result.
 */
export function runBacktest<P>(
  candles: Candles,
  strategy: StrategyDef<P>,
  params: P,
  spec: ExecutionSpec,
  ctx: StrategyContext = {},
  hook?: CheckpointHook,
): BacktestResult {
  const signals = strategy.signals(candles, params, ctx);
  const effective = effectiveSpec(spec, params);
  const scratch = ctx.scratch;
  const sim = simulate(candles, signals, effective, hook, scratch?.equity(candles.time.length), scratch?.tradeLog());
  const { metrics, warnings } = computeMetrics(candles, sim, effective, signals.confidence);
  // onto the simulation's own object: a spread would build every Trade of a lazy `trades`
  return Object.assign(sim, { metrics, warnings });
}

/** The execution spec after strategy params that override it (`direction`, `max_hold_bars`). */
export function effectiveSpec(spec: ExecutionSpec, params: unknown): ExecutionSpec {
  const direction = directionParam(params);
  const hold = maxHoldParam(params);
  if ((!direction || direction === spec.direction) && (hold === undefined || hold === spec.max_hold_bars)) return spec;
  return { ...spec, ...(direction ? { direction } : {}), ...(hold !== undefined ? { max_hold_bars: hold } : {}) };
}

/** The `max_hold_bars` entry of a params object when it is a positive integer. */
export function maxHoldParam(params: unknown): number | undefined {
  if (typeof params !== 'object' || params === null || !('max_hold_bars' in params)) return undefined;
  const h: unknown = (params as { max_hold_bars: unknown }).max_hold_bars;
  return typeof h === 'number' && Number.isInteger(h) && h >= 1 ? h : undefined;
}

/** The `direction` entry of a params object when it is a valid Direction. */
export function directionParam(params: unknown): Direction | undefined {
  if (typeof params !== 'object' || params === null || !('direction' in params)) return undefined;
  const d: unknown = (params as { direction: unknown }).direction;
  return typeof d === 'string' && (DIRECTIONS as readonly string[]).includes(d) ? (d as Direction) : undefined;
}

/**
 * Checks the one-bar fill delay of a simulation against its signals (DESIGN.md §1.2):
 * every trade entered by a signal at t fills at t+1 or later, never before the first
 * decision bar w+1 — so the earliest entry bar is w+2 — and signal exits
 * (`signal`, `reversal`, `max_hold`) fill at the bar after a decision whose signal allowed
 * them. Returns the violations (empty = the delay holds).
 */
export function checkOneBarDelay(signals: Signals, sim: SimulationResult): string[] {
  const problems: string[] = [];
  const firstFill = signals.warmup + 2;
  const entries = [
    ...sim.trades.map((t) => ({ dir: t.direction, bar: t.entry_bar })),
    ...sim.open_trades.map((t) => ({ dir: t.direction, bar: t.entry_bar })),
  ];
  for (const { dir, bar } of entries) {
    const want = dir === 'long' ? 1 : -1;
    if (bar < firstFill) problems.push(`${dir} entry at bar ${bar} is before the first possible fill ${firstFill} (warm-up ${signals.warmup})`);
    else if (signals.entry[bar - 1] !== want) problems.push(`${dir} entry at bar ${bar} has no entry signal ${want} at bar ${bar - 1}`);
  }
  for (const t of sim.trades) {
    if (t.exit_bar < t.entry_bar) problems.push(`trade entered at ${t.entry_bar} exits earlier, at ${t.exit_bar}`);
    if (t.exit_reason !== 'signal' && t.exit_reason !== 'reversal' && t.exit_reason !== 'max_hold') continue;
    if (t.exit_bar <= t.entry_bar) {
      problems.push(`${t.exit_reason} exit at bar ${t.exit_bar} is not after the entry bar ${t.entry_bar}`);
      continue;
    }
    const d = t.exit_bar - 1;
    const bit = t.direction === 'long' ? 1 : 2;
    const against = t.direction === 'long' ? -1 : 1;
    const signalled = signals.entry[d] === against || (signals.exit[d] & bit) !== 0;
    if (t.exit_reason !== 'max_hold' && !signalled) problems.push(`${t.exit_reason} exit at bar ${t.exit_bar} has no exit signal at bar ${d}`);
  }
  return problems;
}
