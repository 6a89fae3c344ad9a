/**
 * Contract suite every indicator registers (cf. trading-signals' testIndicatorContract):
 * 1. prefix invariance (fast-check): the indicator on bars[0..k) equals, bit for bit, the
 *    first k values of the indicator on all bars — for every k, on random OHLCV series
 *    with ties, flat stretches and zero volume. This is the no-look-ahead guarantee;
 * 2. warm-up on random data: NaN exactly before the documented first index;
 * 3. warm-up on real data (goog_1d, eth_btc_5m): NaN before, finite from the first index;
 * 4. inputs are not mutated and every output is a fresh array of the input length.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/engine/errors.js';
import { describeShared, readSharedBars, type RawBars } from '../../helpers/shared-data.js';

export interface Bars {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export type Outputs = Float64Array | { readonly [name: string]: Float64Array };

export interface IndicatorSpec {
  /** e.g. "ema(close, 5)" */
  readonly name: string;
  readonly compute: (bars: Bars) => Outputs;
  /** Documented index of the first non-NaN value: one number for every output, or per output. */
  readonly firstIndex: number | { readonly [name: string]: number };
  /** fast-check runs for the prefix property (default 60). */
  readonly numRuns?: number;
  /**
   * Why NaN may legitimately appear after the warm-up on real data (e.g. a z-score over two
   * equal closes). When set, the real-data test only checks the NaN warm-up prefix and that
   * the first value is finite; leave unset whenever possible.
   */
  readonly nanAfterWarmup?: string;
}

export const WARMUP_FILES = ['goog_1d.csv', 'eth_btc_5m.csv'] as const;

const COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** Named outputs of an indicator (a single array is called "value"). */
export function outputsOf(out: Outputs): [string, Float64Array][] {
  return out instanceof Float64Array ? [['value', out]] : Object.entries(out);
}

function firstIndexOf(spec: IndicatorSpec, name: string): number {
  const f = spec.firstIndex;
  if (typeof f === 'number') return f;
  const v = f[name];
  if (v === undefined) throw new Error(`${spec.name}: no firstIndex for output "${name}"`);
  return v;
}

export function prefixBars(bars: Bars, k: number): Bars {
  return {
    open: bars.open.slice(0, k),
    high: bars.high.slice(0, k),
    low: bars.low.slice(0, k),
    close: bars.close.slice(0, k),
    volume: bars.volume.slice(0, k),
  };
}

interface BarStep {
  readonly step: number;
  readonly gap: number;
  readonly up: number;
  readonly down: number;
  readonly volume: number;
}

const flatStep = fc.constant<BarStep>({ step: 0, gap: 0, up: 0, down: 0, volume: 0 });
// moves in ticks: integers make exact ties (equal closes, equal highs/lows) common
const ticks = (max: number): fc.Arbitrary<number> =>
  fc.oneof(fc.constant(0), fc.integer({ min: -max, max }), fc.double({ min: -max, max, noNaN: true }));
const moveStep = fc.record({
  step: ticks(20),
  gap: ticks(5),
  up: ticks(10).map(Math.abs),
  down: ticks(10).map(Math.abs),
  volume: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 })),
});

/**
 * Random, internally consistent OHLCV bars (positive prices; ties and runs of flat,
 * zero-volume bars are likely). Lengths are spread over [minLength, maxLength]
 * (`size: 'max'`: fast-check's default size would cap arrays at about 10 elements).
 */
export function barsArbitraryOf(minLength = 0, maxLength = 90): fc.Arbitrary<Bars> {
  return fc
    .tuple(
      fc.integer({ min: 50, max: 5000 }), // starting price in ticks
      fc.constantFrom(0.01, 0.25, 1e-5), // tick size: stock cents, futures, a crypto pair
      fc.array(fc.oneof({ arbitrary: flatStep, weight: 1 }, { arbitrary: moveStep, weight: 3 }), {
        minLength,
        maxLength,
        size: 'max',
      }),
    )
    .map(([start, tick, steps]) => {
      const n = steps.length;
      const b = {
        open: new Float64Array(n),
        high: new Float64Array(n),
        low: new Float64Array(n),
        close: new Float64Array(n),
        volume: new Float64Array(n),
      };
      let prev = start;
      for (let i = 0; i < n; i++) {
        const s = steps[i];
        const open = Math.max(1, prev + s.gap);
        const close = Math.max(1, open + s.step);
        b.open[i] = open * tick;
        b.close[i] = close * tick;
        b.high[i] = (Math.max(open, close) + s.up) * tick;
        b.low[i] = Math.max(0.5, Math.min(open, close) - s.down) * tick;
        b.volume[i] = s.volume;
        prev = close;
      }
      return b;
    });
}

export const barsArbitrary: fc.Arbitrary<Bars> = barsArbitraryOf();

function sameBits(a: Float64Array, b: Float64Array, k: number): number {
  for (let i = 0; i < k; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

export function indicatorContract(spec: IndicatorSpec): void {
  describe(`${spec.name} — indicator contract`, () => {
    it('is prefix-invariant: bars[0..k) gives the first k values of the full run, bit for bit', () => {
      fc.assert(
        fc.property(barsArbitrary, (bars) => {
          const full = outputsOf(spec.compute(bars));
          const n = bars.close.length;
          for (let k = 0; k <= n; k++) {
            const part = new Map(outputsOf(spec.compute(prefixBars(bars, k))));
            for (const [name, values] of full) {
              const p = part.get(name);
              expect(p, `output ${name}`).toBeInstanceOf(Float64Array);
              if (!p) return;
              expect(p.length).toBe(k);
              const bad = sameBits(p, values, k);
              expect(bad, `${name}: prefix k=${k} differs at index ${bad} (${p[bad]} vs ${values[bad]})`).toBe(-1);
            }
          }
        }),
        { numRuns: spec.numRuns ?? 60 },
      );
    });

    it('is NaN exactly before the documented first index on random data', () => {
      fc.assert(
        fc.property(barsArbitrary, (bars) => {
          for (const [name, values] of outputsOf(spec.compute(bars))) {
            const first = firstIndexOf(spec, name);
            for (let i = 0; i < Math.min(first, values.length); i++) {
              expect(Number.isNaN(values[i]), `${name}[${i}] should be NaN (warm-up ends at ${first})`).toBe(true);
            }
          }
        }),
        { numRuns: 40 },
      );
    });

    it('does not mutate its inputs and returns fresh arrays of the input length', () => {
      const bars = fc.sample(barsArbitraryOf(40, 60), { numRuns: 1, seed: 7 })[0];
      const copy = prefixBars(bars, bars.close.length);
      const outs = outputsOf(spec.compute(bars));
      for (const col of COLUMNS) expect(Array.from(bars[col])).toEqual(Array.from(copy[col]));
      for (const [, values] of outs) {
        expect(values.length).toBe(bars.close.length);
        for (const col of COLUMNS) expect(values.buffer).not.toBe(bars[col].buffer);
      }
    });

    for (const file of WARMUP_FILES) {
      describeShared(`${spec.name} warm-up on ${file}`, file, () => {
        it('is NaN before the documented first index and finite from there on', () => {
          const bars: RawBars = readSharedBars(file);
          for (const [name, values] of outputsOf(spec.compute(bars))) {
            const first = firstIndexOf(spec, name);
            expect(values.length).toBe(bars.close.length);
            let nanBefore = 0;
            let finiteAfter = 0;
            for (let i = 0; i < values.length; i++) {
              if (i < first) nanBefore += Number.isNaN(values[i]) ? 1 : 0;
              else finiteAfter += Number.isFinite(values[i]) ? 1 : 0;
            }
            expect(nanBefore, `${name}: NaN count before ${first}`).toBe(Math.min(first, values.length));
            if (spec.nanAfterWarmup === undefined) {
              expect(finiteAfter, `${name}: finite count from ${first}`).toBe(Math.max(0, values.length - first));
            } else {
              expect(Number.isFinite(values[first]), `${name}[${first}] (${spec.nanAfterWarmup})`).toBe(true);
              expect(finiteAfter, `${name}: mostly finite from ${first}`).toBeGreaterThan((values.length - first) / 2);
            }
          }
        });
      });
    }
  });
}

/**
 * Every named period-like parameter rejects 0, negatives, fractions, NaN and ±Infinity with
 * an InputError (the caller's to fix, not a bug) whose message names the parameter.
 */
export function periodValidation(name: string, calls: { readonly [param: string]: (value: number) => unknown }): void {
  describe(`${name} — parameter validation`, () => {
    for (const [param, call] of Object.entries(calls)) {
      for (const bad of [0, -1, -14, 2.5, NaN, Infinity, -Infinity]) {
        it(`${param} = ${bad} throws an InputError naming "${param}"`, () => {
          let error: unknown;
          try {
            call(bad);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(InputError);
          expect(String((error as Error).message)).toContain(param);
        });
      }
    }
  });
}
