/**
 * The bias check journey (check_bias, `tradelab check-bias`, and define_strategy before it
 * stores a definition): validated options → the engine's look-ahead and warm-up checks
 * (engine/validation/bias.ts) on any StrategyDef → a JSON-ready result whose findings carry
 * bar times. Nothing is stored.
 */
import { resolveStrategyInput } from './strategies.js';
import type { Candles } from '../engine/data/candles.js';
import type { StrategyDef } from '../engine/strategies/types.js';
import { BIAS_DEFAULTS, checkBias as runChecks, type BiasReport, type BiasVerdict, type SignalDifference } from '../engine/validation/bias.js';
import type { App } from './app.js';
import { checkBarLimit, datasetCandles, resolveDataset, resolveRange, selectRange, type DatasetRef } from './datasets.js';
import { UserError } from './errors.js';
import { resolveParams } from './strategy-params.js';

/** Largest `cuts` and `starts` (each cut costs three runs of the strategy, each start one). */
export const MAX_BIAS_PROBES = 32;
export const MAX_BIAS_TOLERANCE = 0.01;

export interface BiasCheckOptions {
  readonly cuts?: number;
  readonly starts?: number;
  readonly seed?: number;
  readonly tolerance?: number;
  /** Check this warm-up instead of the declared warmup(params). */
  readonly warmup?: number;
}

export interface BiasCheckInput extends BiasCheckOptions {
  readonly strategy: StrategyDef;
  /** Raw params: parsed with the strategy's schema here (defaults filled). */
  readonly params?: unknown;
  readonly candles: Candles;
}

/** The first offending bar of a check, with its time and rule. */
export type BiasOffense = SignalDifference & { readonly check: 'lookahead' | 'warmup'; readonly time: string | null; readonly cut?: number; readonly run?: string; readonly start?: number };

export interface BiasCheckResult {
  readonly strategy: string;
  readonly params: Record<string, unknown>;
  readonly verdict: BiasVerdict;
  readonly bars: number;
  readonly range: { readonly from: string | null; readonly to: string | null };
  /** The earliest offending bar over both checks, or null. */
  readonly first_offense: BiasOffense | null;
  readonly lookahead: Record<string, unknown>;
  readonly warmup: Record<string, unknown>;
  readonly options: { readonly cuts: number; readonly starts: number; readonly seed: number; readonly tolerance: number; readonly warmup: number | null };
  readonly notes: string[];
}

function intOption(v: number | undefined, field: string, min: number, max: number): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < min || v > max) throw new UserError(`${field} must be an integer from ${min} to ${max}`, { field, value: v, expected: `an integer in [${min}, ${max}]` });
}

export function validateBiasOptions(o: BiasCheckOptions, bars: number): void {
  intOption(o.cuts, 'cuts', 1, MAX_BIAS_PROBES);
  intOption(o.starts, 'starts', 1, MAX_BIAS_PROBES);
  intOption(o.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  intOption(o.warmup, 'warmup', 0, Math.max(0, bars - 1));
  const t = o.tolerance;
  if (t !== undefined && !(typeof t === 'number' && Number.isFinite(t) && t >= 0 && t <= MAX_BIAS_TOLERANCE)) {
    throw new UserError(`tolerance must be a number from 0 to ${MAX_BIAS_TOLERANCE}`, { field: 'tolerance', value: t, expected: `a number in [0, ${MAX_BIAS_TOLERANCE}], e.g. 1e-9 (the default)` });
  }
}

const iso = (c: Candles, bar: number): string | null => (bar >= 0 && bar < c.time.length ? new Date(c.time[bar]).toISOString() : null);

function withTime<T extends SignalDifference>(c: Candles, f: T): T & { time: string | null } {
  return { ...f, time: iso(c, f.bar) };
}

function firstOffense(c: Candles, r: BiasReport): BiasOffense | null {
  const la = r.lookahead.first;
  const wu = r.warmup.first;
  const offenses: BiasOffense[] = [];
  if (la) offenses.push({ check: 'lookahead', ...withTime(c, la) });
  if (wu) offenses.push({ check: 'warmup', ...withTime(c, wu) });
  offenses.sort((a, b) => a.bar - b.bar);
  return offenses[0] ?? null;
}

/**
 * Runs both checks of any strategy (built-in or compiled from a definition) on the given
 * candles. `lookahead` in the verdict is an error: a decision changed when only later bars
 * changed. `warmup_unstable` says decisions depend on where the data starts for
 * `warmup.needed` bars, longer than the declared warm-up (e.g. a recursive smoother).
 */
export function checkBias(app: Pick<App, 'config'>, input: BiasCheckInput): BiasCheckResult {
  const { strategy, candles } = input;
  const n = candles.time.length;
  if (n > app.config.limits.max_bars) {
    throw new UserError(`${n} bars are above the limit of ${app.config.limits.max_bars} (limits.max_bars)`, { field: 'from', expected: `at most ${app.config.limits.max_bars} bars; narrow from/to` });
  }
  validateBiasOptions(input, n);
  const params = resolveParams(strategy, input.params);
  const r = runChecks(strategy, candles, params, { cuts: input.cuts, starts: input.starts, seed: input.seed, tolerance: input.tolerance, warmup: input.warmup });
  const { findings: laFindings, first: laFirst, ...la } = r.lookahead;
  const { findings: wuFindings, first: wuFirst, ...wu } = r.warmup;
  return {
    strategy: strategy.name,
    params,
    verdict: r.verdict,
    bars: n,
    range: { from: iso(candles, 0), to: iso(candles, n - 1) },
    first_offense: firstOffense(candles, r),
    lookahead: { ...la, first: laFirst && withTime(candles, laFirst), findings: laFindings.map((f) => withTime(candles, f)) },
    warmup: { ...wu, first: wuFirst && withTime(candles, wuFirst), findings: wuFindings.map((f) => withTime(candles, f)) },
    options: {
      cuts: input.cuts ?? BIAS_DEFAULTS.cuts,
      starts: input.starts ?? BIAS_DEFAULTS.starts,
      seed: r.seed,
      tolerance: r.tolerance,
      warmup: input.warmup ?? null,
    },
    notes: r.notes,
  };
}

export interface BiasDatasetRequest extends DatasetRef, BiasCheckOptions {
  /** A strategy name (built-in or stored definition) or an inline strategy-language document. */
  readonly strategy: string | Record<string, unknown>;
  readonly params?: unknown;
  readonly from?: string | number;
  readonly to?: string | number;
}

/** checkBias on a stored dataset (or a date range of it), by strategy name. */
export function checkBiasOnDataset(app: App, req: BiasDatasetRequest): BiasCheckResult & { dataset: { id: number; symbol: string; timeframe: string; version: number; synthetic: boolean } } {
  const strategy = resolveStrategyInput(req.strategy, app.db);
  const dataset = resolveDataset(app, req);
  const range = resolveRange(req);
  checkBarLimit(app, dataset, range);
  const candles = selectRange(datasetCandles(app, dataset), range, dataset);
  const result = checkBias(app, { ...req, strategy, candles });
  return { ...result, dataset: { id: dataset.id, symbol: dataset.symbol, timeframe: dataset.timeframe, version: dataset.version, synthetic: dataset.is_synthetic } };
}
