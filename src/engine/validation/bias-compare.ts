/**
 * Comparing two strategies' decisions bar by bar, for the bias checks (bias.ts).
 *
 * What is compared is what the simulator acts on: entry and exit on bars after the run's own
 * `warmup` (earlier ones are ignored by the simulator, so they count as 0), `size` on the
 * same bars (NaN where a run gives none), and `confidence` on every bar (it is reported).
 * entry and exit must be equal; size and confidence equal within `tolerance` (absolute;
 * both NaN counts as equal).
 */
import type { Signals } from '../backtest/types.js';

export const SIGNAL_OUTPUTS = ['entry', 'exit', 'size', 'confidence'] as const;
export type SignalOutput = (typeof SIGNAL_OUTPUTS)[number];

/** One bar where two runs disagree, with the rule it concerns and both values (null = NaN / none). */
export interface SignalDifference {
  /** Bar index in the full series. */
  readonly bar: number;
  readonly output: SignalOutput;
  /** long_entry | short_entry | long_exit | short_exit | size | confidence */
  readonly rule: string;
  /** The value on the full, unaltered series. */
  readonly reference: number | null;
  /** The value in the altered, truncated or later-started run. */
  readonly observed: number | null;
}

/** A run's decisions: its signals, read as the simulator sees them (valueAt). */
export interface Decisions {
  readonly entry: Int8Array;
  readonly exit: Uint8Array;
  readonly size: Float64Array | undefined;
  readonly confidence: Float64Array | undefined;
  readonly warmup: number;
  readonly length: number;
}

export function decisions(s: Signals): Decisions {
  return { entry: s.entry, exit: s.exit, size: s.size, confidence: s.confidence, warmup: s.warmup, length: s.entry.length };
}

/** The value of one output at bar t: entry, exit and size count only after the warm-up. */
export function valueAt(d: Decisions, output: SignalOutput, t: number): number {
  if (output === 'confidence') return d.confidence ? d.confidence[t] : NaN;
  if (t <= d.warmup) return output === 'size' ? NaN : 0;
  if (output === 'size') return d.size ? d.size[t] : NaN;
  return d[output][t];
}

/** Has bar t an entry or exit decision? */
export function decidesAt(d: Decisions, t: number): boolean {
  return t > d.warmup && (d.entry[t] !== 0 || d.exit[t] !== 0);
}

/** A copy of signals (a strategy may hand out buffers it reuses). */
export function copySignals(s: Signals): Signals {
  return {
    entry: s.entry.slice(),
    exit: s.exit.slice(),
    size: s.size?.slice(),
    confidence: s.confidence?.slice(),
    warmup: s.warmup,
  };
}

function close(a: number, b: number, tol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= tol;
}

function orNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function ruleOf(output: SignalOutput, ref: number, obs: number): string {
  if (output === 'entry') return (ref || obs) > 0 ? 'long_entry' : 'short_entry';
  if (output === 'exit') return ((ref ^ obs) & 1) !== 0 ? 'long_exit' : 'short_exit';
  return output;
}

/**
 * The first output (in SIGNAL_OUTPUTS order) that differs at reference bar t / observed bar
 * u, or undefined. With `tie` true, entry and exit are not compared (a near-tie, see bias.ts).
 */
export function differenceAt(ref: Decisions, obs: Decisions, t: number, u: number, tol: number, tie = false): SignalDifference | undefined {
  for (const output of SIGNAL_OUTPUTS) {
    const discrete = output === 'entry' || output === 'exit';
    if (discrete && tie) continue;
    const a = valueAt(ref, output, t);
    const b = valueAt(obs, output, u);
    const same = discrete ? a === b : close(a, b, tol);
    if (!same) return { bar: t, output, rule: ruleOf(output, a, b), reference: orNull(a), observed: orNull(b) };
  }
  return undefined;
}

export interface Comparison {
  /** The first differing bar (reference index) at or after `from`, or null. */
  readonly first: SignalDifference | null;
  /** The last differing bar (reference index) anywhere in the compared span, or −1. */
  readonly lastBar: number;
  /** How many bars in [from, to] differ. */
  readonly differing: number;
}

/**
 * Compares observed bar u = t − offset with reference bar t for t in [start, to]; `first`
 * and `differing` count only bars t ≥ from (start ≤ from), `lastBar` the whole span. Bars
 * marked in `ties` are compared on size and confidence only.
 */
export function compareSpan(
  ref: Decisions,
  obs: Decisions,
  offset: number,
  span: { start: number; from: number; to: number },
  tol: number,
  ties?: Uint8Array,
): Comparison {
  let first: SignalDifference | null = null;
  let lastBar = -1;
  let differing = 0;
  const { size: rs, confidence: rc } = ref;
  const { size: os, confidence: oc } = obs;
  for (let t = span.start; t <= span.to; t++) {
    const u = t - offset;
    const tie = ties !== undefined && ties[t] === 1;
    const rl = t > ref.warmup;
    const ol = u > obs.warmup;
    // fast path over the typed arrays; differenceAt (which names the output) only once something differs
    let differs = !tie && ((rl ? ref.entry[t] : 0) !== (ol ? obs.entry[u] : 0) || (rl ? ref.exit[t] : 0) !== (ol ? obs.exit[u] : 0));
    if (!differs && (rs || os)) differs = !close(rl && rs ? rs[t] : NaN, ol && os ? os[u] : NaN, tol);
    if (!differs && (rc || oc)) differs = !close(rc ? rc[t] : NaN, oc ? oc[u] : NaN, tol);
    if (!differs) continue;
    const d = differenceAt(ref, obs, t, u, tol, tie);
    if (!d) continue;
    lastBar = t;
    if (t < span.from) continue;
    differing++;
    if (first === null) first = d;
  }
  return { first, lastBar, differing };
}

/** Number of bars in [0, to] with an entry or exit decision. */
export function countDecisions(d: Decisions, to: number): number {
  let k = 0;
  for (let t = 0; t <= to; t++) if (decidesAt(d, t)) k++;
  return k;
}

/** Bars where entry or exit of any of `others` differs from `ref` (1) — same series length. */
export function differingBars(ref: Decisions, others: readonly Decisions[]): Uint8Array {
  const mask = new Uint8Array(ref.length);
  for (const o of others) {
    for (let t = 0; t < ref.length; t++) {
      if (valueAt(ref, 'entry', t) !== valueAt(o, 'entry', t) || valueAt(ref, 'exit', t) !== valueAt(o, 'exit', t)) mask[t] = 1;
    }
  }
  return mask;
}
