import { advance, endTime, parseDuration, retreat, type Duration, type WindowLength } from './durations.js';
import { InputError } from '../errors.js';

/**
 * Walk-forward windows over a time axis. Knows nothing about backtests: bar indices in,
 * bar indices out (end exclusive), like vectorbt's splitters.
 *
 * Layout of window k (OOS start o_k):
 *   IS  = [isStart, o_k − purge)      rolling: the `is` span before o_k; anchored: from bar 0
 *   OOS = [o_k, o_k + oos)            `oos` bars, or the bars inside the calendar span
 *   o_0 = the end of the `is` span from bar 0;  o_{k+1} = (o_k advanced by `step`) + embargo bars
 *
 * - `step` defaults to `oos`, so OOS blocks tile the data without overlap. A shorter step makes
 *   OOS blocks overlap: that is rejected unless `allowOverlap`, and then every window that
 *   overlaps a neighbour is flagged `overlaps: true` (never silently double-counted).
 * - purge: the last `purge` bars before each OOS start are dropped from IS (trades and labels
 *   that straddle the boundary). embargo: `embargo` bars after each OOS block are skipped
 *   before the next OOS block starts; they are in no OOS block (later IS spans may use them,
 *   since they lie before the next test block).
 * - Calendar lengths ('90d', '6M', …) select the bars whose time falls in the span, so on
 *   gappy data a window holds fewer bars; a window is never empty (it starts at a real bar).
 * - The data's end: a final OOS window that the data does not cover entirely is dropped
 *   (its bars are reported in `unused_tail_bars`) unless `allowPartial`, which keeps it
 *   flagged `partial: true`. For calendar lengths a window counts as covered when a bar
 *   exists at or after its end, or the gap from the last bar to its end is no longer than
 *   the 99th percentile of the bar spacing (so data ending on a Friday covers a week that
 *   ends on Monday 00:00, but a window cut short by more than the usual gaps does not).
 * - Windows whose IS holds fewer than `minIsBars` bars (default 2) after purging are skipped
 *   and listed in `skipped`; no window at all is an error naming what was needed.
 */
export interface SplitOptions {
  readonly mode: 'rolling' | 'anchored';
  readonly is: WindowLength;
  readonly oos: WindowLength;
  readonly step?: WindowLength;
  readonly purge?: number;
  readonly embargo?: number;
  readonly allowOverlap?: boolean;
  readonly allowPartial?: boolean;
  readonly minIsBars?: number;
}

export interface SplitWindow {
  readonly index: number;
  readonly isStart: number;
  readonly isEnd: number;
  readonly oosStart: number;
  readonly oosEnd: number;
  readonly overlaps: boolean;
  readonly partial: boolean;
}

export interface SplitResult {
  readonly windows: SplitWindow[];
  readonly skipped: { readonly oosStart: number; readonly reason: string }[];
  /** Bars after the end of the last OOS window (an incomplete final window, embargo). */
  readonly unused_tail_bars: number;
}

function nonNegativeInt(v: number | undefined, field: string): number {
  const x = v ?? 0;
  if (!Number.isInteger(x) || x < 0) throw new InputError(`${field} must be an integer number of bars >= 0, got ${v}`);
  return x;
}

/** The 99th percentile of the bar spacing: regular closures (weekends, holidays) but not rare outages. */
function usualMaxStep(time: Float64Array): number {
  const steps = new Float64Array(time.length - 1);
  for (let i = 1; i < time.length; i++) steps[i - 1] = time[i] - time[i - 1];
  steps.sort();
  return steps[Math.floor(0.99 * (steps.length - 1))];
}

function covered(time: Float64Array, oosStart: number, oos: Duration, step: number): boolean {
  const n = time.length;
  if (oos.kind === 'bars') return oosStart + oos.bars <= n;
  const end = endTime(time[oosStart], oos) as number;
  return time[n - 1] >= end || end - time[n - 1] <= step;
}

export function walkForwardSplits(time: Float64Array, options: SplitOptions): SplitResult {
  const n = time.length;
  if (options.mode !== 'rolling' && options.mode !== 'anchored') throw new InputError(`mode must be 'rolling' or 'anchored', got ${String(options.mode)}`);
  if (n < 2) throw new InputError(`need at least 2 bars to split, got ${n}`);
  for (let i = 1; i < n; i++) {
    if (!(time[i] > time[i - 1])) throw new RangeError(`time must be strictly ascending: time[${i}] = ${time[i]} after ${time[i - 1]}`);
  }
  const is = parseDuration(options.is, 'is');
  const oos = parseDuration(options.oos, 'oos');
  const step = options.step === undefined ? oos : parseDuration(options.step, 'step');
  const purge = nonNegativeInt(options.purge, 'purge');
  const embargo = nonNegativeInt(options.embargo, 'embargo');
  const minIs = options.minIsBars ?? 2;
  if (!Number.isInteger(minIs) || minIs < 1) throw new InputError(`minIsBars must be an integer >= 1, got ${minIs}`);
  const spacing = usualMaxStep(time);

  const raw: Omit<SplitWindow, 'index' | 'overlaps'>[] = [];
  const skipped: { oosStart: number; reason: string }[] = [];
  let o = advance(time, 0, is);
  while (o < n) {
    const isStart = options.mode === 'anchored' ? 0 : retreat(time, o, is);
    const isEnd = o - purge;
    const complete = covered(time, o, oos, spacing);
    const oosEnd = Math.min(n, advance(time, o, oos));
    if (!complete && !options.allowPartial) break;
    if (isEnd - isStart < minIs) {
      skipped.push({ oosStart: o, reason: `in-sample has ${Math.max(0, isEnd - isStart)} bar(s) after purging ${purge}; need ${minIs}` });
    } else {
      raw.push({ isStart, isEnd, oosStart: o, oosEnd, partial: !complete });
    }
    if (!complete) break;
    o = advance(time, o, step) + embargo;
  }

  if (raw.length === 0) {
    const first = advance(time, 0, is);
    throw new InputError(
      `data too short for one walk-forward window: ${n} bars; is = ${is.label}, oos = ${oos.label}, purge = ${purge}` +
        (first >= n ? ` (the in-sample span alone needs ${is.label} and the data ends first)` : '') +
        (skipped.length ? `; ${skipped.length} window(s) skipped: ${skipped[0].reason}` : ''),
    );
  }
  const overlaps = raw.map(() => false);
  for (let k = 1; k < raw.length; k++) {
    if (raw[k].oosStart < raw[k - 1].oosEnd) {
      if (!options.allowOverlap) {
        throw new InputError(
          `out-of-sample windows ${k - 1} and ${k} overlap (bars ${raw[k].oosStart}–${raw[k - 1].oosEnd - 1}): ` +
            `step (${step.label}) is shorter than oos (${oos.label}). Use step >= oos, or allowOverlap to flag them.`,
        );
      }
      overlaps[k - 1] = true;
      overlaps[k] = true;
    }
  }
  const windows = raw.map((w, index) => ({ index, ...w, overlaps: overlaps[index] }));
  return { windows, skipped, unused_tail_bars: n - windows[windows.length - 1].oosEnd };
}
