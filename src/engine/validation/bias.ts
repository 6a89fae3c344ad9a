/**
 * Bias checks for any strategy (built-in or written in the strategy language), after
 * freqtrade's lookahead-analysis and recursive-analysis. Pure: candles, a StrategyDef and
 * parsed params in, a report out.
 *
 * Look-ahead: the strategy's signals on the full series are the reference. At each cut c
 * (seeded, spread over the bars after the warm-up, preferring bars with a decision) the
 * strategy runs again on (a) the bars 0..c only (prefix invariance), (b) the series with every
 * bar after c mirrored and (c) with every bar after c replaced by a seeded random walk
 * (bias-series.ts). Every decision at bars ≤ c (entry, exit, size, confidence; bias-compare.ts)
 * must be unchanged: a strategy that decides at t from bars ≤ t cannot tell the runs apart.
 *
 * Warm-up: the strategy runs again on the series started k bars later, for several seeded k.
 * Once the declared warm-up (`warmup(params)`) has passed after the start, its decisions must
 * equal the full series' on the same bars (size and confidence within `tolerance`). A
 * strategy whose indicators depend on where the data starts (a recursive smoother that has
 * not forgotten its seed, a cumulative statistic) fails; `needed` is the warm-up actually
 * needed: the largest number of bars after a start up to its last disagreement.
 *
 * Limits: the checks are empirical. A leak that never changes a decision on these bars, or
 * only on bars no cut reaches, goes unseen; more cuts and starts find more.
 */
import type { Candles } from '../data/candles.js';
import { sliceBars } from '../data/candles.js';
import { createRng, deriveSeed } from '../random.js';
import type { StrategyDef } from '../strategies/types.js';
import { compareSpan, copySignals, countDecisions, decisions, differingBars, type Decisions, type SignalDifference } from './bias-compare.js';
import { spreadPoints } from './bias-points.js';
import { alterAfter, perturb, type Alteration } from './bias-series.js';
import { InputError } from '../errors.js';

export type { SignalDifference } from './bias-compare.js';

export const LOOKAHEAD_RUNS = ['truncated', 'mirrored', 'random_walk'] as const;
export type LookaheadRun = (typeof LOOKAHEAD_RUNS)[number];

export const BIAS_VERDICTS = ['ok', 'lookahead', 'warmup_unstable', 'lookahead_and_warmup_unstable', 'inconclusive'] as const;
export type BiasVerdict = (typeof BIAS_VERDICTS)[number];
export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface BiasOptions {
  /** Cut points of the look-ahead check (default 8). */
  readonly cuts?: number;
  /** Later start offsets of the warm-up check (default 6). */
  readonly starts?: number;
  readonly seed?: number;
  /**
   * Absolute tolerance for size and confidence, and the relative input change that defines
   * a near-tie in the warm-up check (default 1e-9; 0 = exact).
   */
  readonly tolerance?: number;
  /** The warm-up to check instead of the declared warmup(params), e.g. a longer start-up. */
  readonly warmup?: number;
}

export const BIAS_DEFAULTS: Readonly<Required<Omit<BiasOptions, 'warmup'>>> = Object.freeze({ cuts: 8, starts: 6, seed: 1, tolerance: 1e-9 });
type Options = Required<Omit<BiasOptions, 'warmup'>> & Pick<BiasOptions, 'warmup'>;

export interface LookaheadFinding extends SignalDifference {
  readonly cut: number;
  readonly run: LookaheadRun;
  /** Bars ≤ cut whose decisions differ in this run. */
  readonly differing_bars: number;
}

export interface LookaheadReport {
  readonly status: CheckStatus;
  readonly cuts: number[];
  readonly runs: number;
  /** Reference bars with an entry or exit decision at or before a cut, summed over the cuts. */
  readonly decisions_checked: number;
  /** One per (cut, run) that differed, earliest bar first. */
  readonly findings: LookaheadFinding[];
  readonly first: LookaheadFinding | null;
}

export interface WarmupFinding extends SignalDifference {
  readonly start: number;
  /** Bars after this start up to its last disagreement with the full series. */
  readonly needed: number;
  readonly differing_bars: number;
}

export interface WarmupReport {
  readonly status: CheckStatus;
  /** warmup(params). */
  readonly declared: number;
  /** The warm-up checked: `declared`, or the `warmup` option. */
  readonly checked: number;
  /** Bars whose entry/exit a relative input change of `tolerance` flips (not compared). */
  readonly near_ties: number;
  /** warmup of the full series' signals (first valid indicator bar). */
  readonly signals_warmup: number;
  /** Warm-up actually needed: the most bars after any start up to its last disagreement. */
  readonly needed: number;
  readonly starts: number[];
  /** One per start that disagreed after the declared warm-up, earliest bar first. */
  readonly findings: WarmupFinding[];
  readonly first: WarmupFinding | null;
}

export interface BiasReport {
  readonly verdict: BiasVerdict;
  readonly bars: number;
  readonly seed: number;
  readonly tolerance: number;
  readonly lookahead: LookaheadReport;
  readonly warmup: WarmupReport;
  readonly notes: string[];
}

type AnyDef = StrategyDef<never> | StrategyDef<Record<string, unknown>>;

/**
 * One run on a fresh context (an indicator cache belongs to one candle series) without
 * scratch buffers. Copied when it is kept while the strategy runs again.
 */
function runSignals(def: AnyDef, candles: Candles, params: unknown, copy = false): Decisions {
  const s = (def as StrategyDef<unknown>).signals(candles, params, {});
  return decisions(copy ? copySignals(s) : s);
}

function checkOptions(o: BiasOptions): Options {
  // an option given as undefined takes its default
  const given = Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as BiasOptions;
  const v: Options = { ...BIAS_DEFAULTS, ...given };
  for (const k of ['cuts', 'starts'] as const) {
    if (!Number.isInteger(v[k]) || v[k] < 0) throw new InputError(`${k} must be an integer >= 0, got ${v[k]}`);
  }
  if (!Number.isFinite(v.seed)) throw new InputError(`seed must be a finite number, got ${v.seed}`);
  if (!Number.isFinite(v.tolerance) || v.tolerance < 0) throw new InputError(`tolerance must be a finite number >= 0, got ${v.tolerance}`);
  if (v.warmup !== undefined && (!Number.isInteger(v.warmup) || v.warmup < 0)) throw new InputError(`warmup must be an integer >= 0, got ${v.warmup}`);
  return v;
}

export function checkLookahead(def: AnyDef, candles: Candles, params: unknown, ref: Decisions, first: number, o: Options): LookaheadReport {
  const n = candles.time.length;
  const cuts = spreadPoints(first, n - 2, o.cuts, createRng(deriveSeed(o.seed, 'cuts')), ref);
  const findings: LookaheadFinding[] = [];
  let checked = 0;
  for (const cut of cuts) {
    checked += countDecisions(ref, cut);
    for (const run of LOOKAHEAD_RUNS) {
      const data = run === 'truncated' ? sliceBars(candles, 0, cut + 1) : alterAfter(candles, cut, run as Alteration, deriveSeed(o.seed, 'walk', cut));
      const c = compareSpan(ref, runSignals(def, data, params), 0, { start: 0, from: 0, to: cut }, o.tolerance);
      if (c.first) findings.push({ ...c.first, cut, run, differing_bars: c.differing });
    }
  }
  findings.sort((a, b) => a.bar - b.bar || a.cut - b.cut);
  const status: CheckStatus = cuts.length === 0 ? 'skipped' : findings.length ? 'failed' : 'passed';
  return { status, cuts, runs: cuts.length * LOOKAHEAD_RUNS.length, decisions_checked: checked, findings, first: findings[0] ?? null };
}

/**
 * Near-ties: bars whose entry or exit changes when every bar is scaled by 1 ± tolerance·u_t
 * (an antithetic pair, bias-series.ts `perturb`). A decision on a tie that close (e.g. two
 * moving averages equal up to rounding) flips with the rounding of a running sum, so its
 * dependence on the start is numerical noise, not an unfinished warm-up.
 */
function nearTies(def: AnyDef, candles: Candles, params: unknown, ref: Decisions, o: Options): Uint8Array | undefined {
  if (o.tolerance === 0) return undefined;
  const seed = deriveSeed(o.seed, 'ties');
  const runs = ([1, -1] as const).map((sign) => runSignals(def, perturb(candles, o.tolerance, seed, sign), params, true));
  return differingBars(ref, runs);
}

export function checkWarmup(def: AnyDef, candles: Candles, params: unknown, ref: Decisions, declared: number, signalsWarmup: number, o: Options): WarmupReport {
  const n = candles.time.length;
  const checked = o.warmup ?? declared;
  const firstLocal = Math.max(1, checked + 1);
  // a start needs at least as many bars after its warm-up as the warm-up itself to compare
  const maxStart = Math.min(Math.floor(n / 2), n - 2 * firstLocal);
  const starts = spreadPoints(1, maxStart, o.starts, createRng(deriveSeed(o.seed, 'starts')), ref);
  const ties = starts.length ? nearTies(def, candles, params, ref, o) : undefined;
  const findings: WarmupFinding[] = [];
  let needed = 0;
  for (const k of starts) {
    const obs = runSignals(def, sliceBars(candles, k, n), params);
    const c = compareSpan(ref, obs, k, { start: k, from: k + firstLocal, to: n - 1 }, o.tolerance, ties);
    const need = c.lastBar < 0 ? 0 : c.lastBar - k;
    needed = Math.max(needed, need);
    if (c.first) findings.push({ ...c.first, start: k, needed: need, differing_bars: c.differing });
  }
  findings.sort((a, b) => a.bar - b.bar || a.start - b.start);
  const status: CheckStatus = starts.length === 0 ? 'skipped' : findings.length ? 'failed' : 'passed';
  let nearTieCount = 0;
  if (ties) for (let t = 0; t < n; t++) nearTieCount += ties[t];
  return { status, declared, checked, near_ties: nearTieCount, signals_warmup: signalsWarmup, needed, starts, findings, first: findings[0] ?? null };
}

function verdictOf(look: CheckStatus, warm: CheckStatus): BiasVerdict {
  if (look === 'failed') return warm === 'failed' ? 'lookahead_and_warmup_unstable' : 'lookahead';
  if (warm === 'failed') return 'warmup_unstable';
  return look === 'skipped' || warm === 'skipped' ? 'inconclusive' : 'ok';
}

/** Both checks on `candles` with parsed `params` (def.params.parse first). */
export function checkBias<P>(def: StrategyDef<P>, candles: Candles, params: P, options: BiasOptions = {}): BiasReport {
  const o = checkOptions(options);
  const n = candles.time.length;
  const anyDef = def as unknown as AnyDef;
  const ref = runSignals(anyDef, candles, params, true);
  const declared = def.warmup(params);
  if (!Number.isInteger(declared) || declared < 0) throw new RangeError(`${def.name}.warmup(params) must be an integer >= 0, got ${declared}`);
  const lookahead = checkLookahead(anyDef, candles, params, ref, Math.max(1, ref.warmup + 1), o);
  const warmup = checkWarmup(anyDef, candles, params, ref, declared, ref.warmup, o);
  const notes: string[] = [];
  if (countDecisions(ref, n - 1) === 0) notes.push('the strategy took no entry or exit decision on these bars: the checks can only show that none appear');
  if (lookahead.status === 'skipped') notes.push(`look-ahead not checked: no bar between the first decision bar ${ref.warmup + 1} and the second-to-last bar ${n - 2}`);
  if (warmup.status === 'skipped') notes.push(`warm-up not checked: ${n} bars are too few for a later start plus twice the warm-up ${warmup.checked}`);
  if (ref.warmup > declared) notes.push(`the signals' warm-up ${ref.warmup} is longer than the declared warmup(params) ${declared}`);
  const unstableTail = warmup.findings.length ? n - 1 - Math.max(...warmup.findings.map((f) => f.start + f.needed)) : Infinity;
  if (unstableTail < warmup.needed) notes.push(`decisions still disagreed within ${unstableTail + 1} bars of the end: the strategy may never become independent of where the data starts`);
  return { verdict: verdictOf(lookahead.status, warmup.status), bars: n, seed: o.seed, tolerance: o.tolerance, lookahead, warmup, notes };
}
