/**
 * Helpers for oracle tests: feed trading-signals indicators bar by bar, turn their results
 * into NaN-padded columns, and compare columns with an explicit tolerance.
 */
import { SMA, EMA } from 'trading-signals';
import { expect } from 'vitest';
import type { Bars } from './contract.js';

/** The real series every oracle test runs on (a stock and a crypto pair; xrp_eth has flat bars). */
export const ORACLE_FILES = ['goog_1d.csv', 'eth_btc_5m.csv', 'xrp_eth_1m.csv'] as const;

export interface Candle {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export function candlesOf(bars: Bars): Candle[] {
  const out: Candle[] = [];
  for (let i = 0; i < bars.close.length; i++) {
    out.push({ open: bars.open[i], high: bars.high[i], low: bars.low[i], close: bars.close[i], volume: bars.volume[i] });
  }
  return out;
}

/** Feeds every input to `indicator.add` and returns the results (null during warm-up). */
export function feed<I, R>(indicator: { add(input: I): R | null }, inputs: ArrayLike<I>): (R | null)[] {
  const out: (R | null)[] = [];
  for (let i = 0; i < inputs.length; i++) out.push(indicator.add(inputs[i]));
  return out;
}

/** Column of numbers from results, NaN where the result is null. */
export function column<R>(results: readonly (R | null)[], pick: (r: R) => number): Float64Array {
  const out = new Float64Array(results.length).fill(NaN);
  results.forEach((r, i) => {
    if (r !== null) out[i] = pick(r);
  });
  return out;
}

export const num = (r: number): number => r;

/**
 * An SMA-seeded EMA built from trading-signals parts: its `SMA` gives the seed (mean of the
 * first `period` values, at index period − 1), and its `EMA` — which seeds itself with its
 * first input — is then fed the seed followed by values[period..]. That is exactly the
 * TA-Lib convention our `ema` documents. Leading NaNs of `values` are skipped.
 */
export function tsSmaSeededEma(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  let start = 0;
  while (start < values.length && Number.isNaN(values[start])) start++;
  if (values.length - start < period) return out;
  const sma = new SMA(period);
  let seed: number | null = null;
  for (let i = start; i < start + period; i++) seed = sma.add(values[i]);
  if (seed === null) throw new Error('trading-signals SMA gave no seed');
  const e = new EMA(period);
  out[start + period - 1] = e.add(seed) ?? NaN;
  for (let i = start + period; i < values.length; i++) out[i] = e.add(values[i]) ?? NaN;
  return out;
}

/** First bar after which an exponential smoother's seed no longer matters: decay^t ≤ 1e-16. */
export function convergedAfter(start: number, decayPerBar: number): number {
  return start + Math.ceil(Math.log(1e-16) / Math.log(decayPerBar));
}

export interface CloseOptions {
  /** Relative tolerance (default 1e-9). */
  readonly rtol?: number;
  /** Absolute floor, for values that cross zero (default 0). */
  readonly atol?: number;
  /** Compare from this index on (default 0); before it nothing is checked. */
  readonly from?: number;
  /** Skip indices where this returns true (documented convention differences). */
  readonly skip?: (i: number) => boolean;
  /** Minimum number of finite values that must have been compared (default 1). */
  readonly minCompared?: number;
}

/**
 * Asserts that `actual` and `expected` agree: NaN exactly where the other is NaN, and
 * |a − e| ≤ atol + rtol·max(|a|, |e|) elsewhere. Reports the first mismatches.
 */
export function expectClose(actual: Float64Array, expected: Float64Array, label: string, opts: CloseOptions = {}): number {
  const rtol = opts.rtol ?? 1e-9;
  const atol = opts.atol ?? 0;
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const bad: string[] = [];
  let compared = 0;
  for (let i = opts.from ?? 0; i < expected.length; i++) {
    if (opts.skip?.(i)) continue;
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(a) || Number.isNaN(e)) {
      if (Number.isNaN(a) !== Number.isNaN(e)) bad.push(`[${i}] ${a} vs ${e}`);
      continue;
    }
    compared++;
    if (!(Math.abs(a - e) <= atol + rtol * Math.max(Math.abs(a), Math.abs(e)))) bad.push(`[${i}] ${a} vs ${e}`);
  }
  expect(bad.slice(0, 5), `${label}: ${bad.length} mismatches`).toEqual([]);
  expect(compared, `${label}: values compared`).toBeGreaterThanOrEqual(opts.minCompared ?? 1);
  return compared;
}

/** Largest |x| of a column (the price scale for absolute tolerances). */
export function scaleOf(values: Float64Array): number {
  let m = 0;
  for (const v of values) if (Math.abs(v) > m) m = Math.abs(v);
  return m;
}
