/**
 * The indicators of the language: each maps onto a function of src/engine/indicators (never
 * re-implemented) and stores its result in the strategy context's IndicatorCache under the key
 * the built-in strategies use for the same indicator (`sma:close:20`, `rsi:close:14`,
 * `max:high:20`, `macd.signal:close:12:26:9`, `atr:hlc:14`, …), so language and built-in
 * strategies share cached arrays. A source other than a price column is keyed by its
 * canonical text (`sma:rsi(close, 14):5`).
 *
 * A series input with a warm-up (another indicator) is passed without its leading NaNs
 * (skipLeadingNaNs), so warm-ups add up: sma(rsi(close, 14), 5) is first valid at 14 + 4.
 */
import type { Candles } from '../../data/candles.js';
import { adx, atr, bollinger, ema, keltner, macd, obv, rma, roc, rollingMax, rollingMin, rollingStd, rsi, sma, stochastic, trueRange, wma, zscore } from '../../indicators/index.js';
import { firstValid, nanArray, skipLeadingNaNs } from '../../indicators/util.js';
import { cachedGroup } from '../common.js';
import { REGIME_MODEL, regimeProbabilities } from '../regime.js';
import { cached, type StrategyContext } from '../types.js';

/** Largest period an expression may ask for (a rolling window allocates a buffer of this size). */
export const MAX_PERIOD = 100_000;

/** How an argument is given: a numeric series, a whole number of bars, or a constant. */
export type ArgKind = 'series' | 'period' | 'scalar';

export interface ArgSpec {
  readonly name: string;
  readonly kind: ArgKind;
  /** Default when the argument is left out (only trailing arguments). */
  readonly default?: number;
  /** Smallest accepted value (periods: 1 unless said; scalars: 0). */
  readonly min?: number;
}

/** What an indicator computes from: its evaluated arguments. */
export interface IndicatorInput {
  readonly candles: Candles;
  readonly ctx: StrategyContext;
  /** The series argument (indicators on one input), else null. */
  readonly src: Float64Array | null;
  /** The cache key of the series argument (`close`, or its canonical text). */
  readonly srcKey: string;
  /** The scalar arguments, in order, defaults filled in. */
  readonly s: readonly number[];
}

export interface IndicatorSpec {
  readonly name: string;
  /** One line for errors and the prompt: signature and meaning. */
  readonly summary: string;
  readonly args: readonly ArgSpec[];
  /** Member names of a multi-output indicator (bollinger(...).upper); absent for one output. */
  readonly outputs?: readonly string[];
  /** The output used when no member is given (adx(14) = adx(14).adx). */
  readonly defaultOutput?: string;
  /** Index of the first valid value, from the scalar arguments and the input's own warm-up. */
  warmup(s: readonly number[], inputWarmup: number, output: string | null): number;
  compute(x: IndicatorInput, output: string | null): Float64Array;
}

const series = (name: string): ArgSpec => ({ name, kind: 'series' });
const period = (name: string, extra: Partial<ArgSpec> = {}): ArgSpec => ({ name, kind: 'period', min: 1, ...extra });
const scalar = (name: string, extra: Partial<ArgSpec> = {}): ArgSpec => ({ name, kind: 'scalar', min: 0, ...extra });

/** A one-input, one-period indicator (sma, rsi, highest, …) cached under `${prefix}:${src}:${n}`. */
function windowed(name: string, prefix: string, fn: (v: Float64Array, n: number) => Float64Array, lag: 0 | 1, summary: string, min = 1): IndicatorSpec {
  return {
    name,
    summary,
    args: [series('x'), period('n', { min })],
    warmup: (s, w) => w + s[0] - 1 + lag,
    compute: ({ ctx, src, srcKey, s }) => cached(ctx, `${prefix}:${srcKey}:${s[0]}`, () => skipLeadingNaNs(src!, (tail) => fn(tail, s[0]))),
  };
}

/** Runs a multi-output indicator on the part of `src` after its leading NaNs. */
function onValid<K extends string>(src: Float64Array, names: readonly K[], fn: (tail: Float64Array) => Record<K, Float64Array>): Record<K, Float64Array> {
  const start = firstValid(src);
  if (start === 0) return fn(src);
  const out = {} as Record<K, Float64Array>;
  const tail = start < src.length ? fn(src.subarray(start)) : null;
  for (const k of names) {
    out[k] = nanArray(src.length);
    if (tail) out[k].set(tail[k], start);
  }
  return out;
}

const MACD_OUT: Record<string, 'macd' | 'signal' | 'histogram'> = { line: 'macd', signal: 'signal', hist: 'histogram' };
const ADX_OUT: Record<string, 'adx' | 'plusDi' | 'minusDi'> = { adx: 'adx', plus_di: 'plusDi', minus_di: 'minusDi' };

/** Regime classifier inputs as the `confidence` strategy caches them (confidence-model.ts). */
export function regimeGroup(x: IndicatorInput) {
  const [adxN, bbN, bbK, lookback] = x.s;
  const { high, low, close } = x.candles;
  return cachedGroup(x.ctx, 'regime', `${adxN}:${bbN}:${bbK}:${lookback}`, ['trend', 'range', 'balanced'], () => {
    const a = cachedGroup(x.ctx, 'adx', `hlc:${adxN}`, ['adx', 'plusDi', 'minusDi'], () => adx(high, low, close, adxN)).adx;
    const bw = bandwidth(x.ctx, close, 'close', bbN, bbK);
    const bwz = cached(x.ctx, `zscore:bbw:close:${bbN}:${bbK}:${lookback}`, () => zscore(bw, lookback));
    // as in confidence-model.ts: after ADX's warm-up an undefined ADX (0/0) is the neutral level
    const neutral = (REGIME_MODEL.adxTrend + REGIME_MODEL.adxRange) / 2;
    const filled = nanArray(a.length);
    for (let t = firstValid(a); t < a.length; t++) filled[t] = Number.isNaN(a[t]) ? neutral : a[t];
    return regimeProbabilities(filled, bwz);
  });
}

function bandwidth(ctx: StrategyContext, src: Float64Array, srcKey: string, n: number, k: number): Float64Array {
  const key = `${srcKey}:${n}:${k}`;
  return cached(ctx, `bbw:${key}`, () => {
    const bb = cachedGroup(ctx, 'bollinger', key, ['middle', 'upper', 'lower'], () => onValid(src, ['middle', 'upper', 'lower'], (t) => bollinger(t, n, k)));
    const out = new Float64Array(src.length);
    for (let t = 0; t < out.length; t++) out[t] = (bb.upper[t] - bb.lower[t]) / bb.middle[t];
    return out;
  });
}

export const INDICATORS: readonly IndicatorSpec[] = [
  windowed('sma', 'sma', sma, 0, 'sma(x, n): simple moving average of x over n bars'),
  windowed('ema', 'ema', ema, 0, 'ema(x, n): exponential moving average (SMA-seeded)'),
  windowed('wma', 'wma', wma, 0, 'wma(x, n): linearly weighted moving average'),
  windowed('rma', 'rma', rma, 0, "rma(x, n): Wilder's moving average"),
  windowed('rsi', 'rsi', rsi, 1, "rsi(x, n): Wilder's RSI, 0–100"),
  windowed('roc', 'roc', roc, 1, 'roc(x, n): rate of change over n bars, as a fraction'),
  windowed('zscore', 'zscore', zscore, 0, 'zscore(x, n): (x − mean)/sample std over n bars', 2),
  windowed('stdev', 'std', (v, n) => rollingStd(v, n, 0), 0, 'stdev(x, n): population standard deviation over n bars'),
  windowed('highest', 'max', rollingMax, 0, 'highest(x, n): highest x of the last n bars (this bar included)'),
  windowed('lowest', 'min', rollingMin, 0, 'lowest(x, n): lowest x of the last n bars (this bar included)'),
  {
    name: 'bollinger',
    summary: 'bollinger(x, n, k).upper|middle|lower|bandwidth: SMA(n) ± k population std; bandwidth = (upper − lower)/middle',
    args: [series('x'), period('n'), scalar('k')],
    outputs: ['upper', 'middle', 'lower', 'bandwidth'],
    warmup: (s, w) => w + s[0] - 1,
    compute: ({ ctx, src, srcKey, s }, out) => {
      if (out === 'bandwidth') return bandwidth(ctx, src!, srcKey, s[0], s[1]);
      const names = ['middle', 'upper', 'lower'] as const;
      return cachedGroup(ctx, 'bollinger', `${srcKey}:${s[0]}:${s[1]}`, names, () => onValid(src!, names, (t) => bollinger(t, s[0], s[1])))[out as (typeof names)[number]];
    },
  },
  {
    name: 'macd',
    summary: 'macd(x, fast, slow, signal).line|signal|hist: EMA(fast) − EMA(slow), its EMA(signal), their difference',
    args: [series('x'), period('fast'), period('slow'), period('signal')],
    outputs: ['line', 'signal', 'hist'],
    warmup: (s, w, out) => w + Math.max(s[0], s[1]) - 1 + (out === 'line' ? 0 : s[2] - 1),
    compute: ({ ctx, src, srcKey, s }, out) => {
      const names = ['macd', 'signal', 'histogram'] as const;
      return cachedGroup(ctx, 'macd', `${srcKey}:${s[0]}:${s[1]}:${s[2]}`, names, () => onValid(src!, names, (t) => macd(t, s[0], s[1], s[2])))[MACD_OUT[out!]];
    },
  },
  {
    name: 'atr',
    summary: "atr(n): Wilder's average true range of the bars",
    args: [period('n')],
    warmup: (s) => s[0] - 1,
    compute: ({ ctx, candles: c, s }) => cached(ctx, `atr:hlc:${s[0]}`, () => atr(c.high, c.low, c.close, s[0])),
  },
  {
    name: 'true_range',
    summary: 'true_range(): max(high − low, |high − previous close|, |low − previous close|)',
    args: [],
    warmup: () => 0,
    compute: ({ ctx, candles: c }) => cached(ctx, 'tr:hlc', () => trueRange(c.high, c.low, c.close)),
  },
  {
    name: 'adx',
    summary: "adx(n), adx(n).plus_di, adx(n).minus_di: Wilder's ADX and directional indicators",
    args: [period('n')],
    outputs: ['adx', 'plus_di', 'minus_di'],
    defaultOutput: 'adx',
    warmup: (s, _w, out) => (out === 'adx' ? 2 * s[0] - 1 : s[0]),
    compute: ({ ctx, candles: c, s }, out) =>
      cachedGroup(ctx, 'adx', `hlc:${s[0]}`, ['adx', 'plusDi', 'minusDi'], () => adx(c.high, c.low, c.close, s[0]))[ADX_OUT[out!]],
  },
  {
    name: 'donchian',
    summary: 'donchian(n).upper|lower|middle: highest high, lowest low of the last n bars (this bar included), their midpoint',
    args: [period('n')],
    outputs: ['upper', 'lower', 'middle'],
    warmup: (s) => s[0] - 1,
    compute: ({ ctx, candles: c, s }, out) => {
      const upper = cached(ctx, `max:high:${s[0]}`, () => rollingMax(c.high, s[0]));
      const lower = cached(ctx, `min:low:${s[0]}`, () => rollingMin(c.low, s[0]));
      if (out !== 'middle') return out === 'upper' ? upper : lower;
      return cached(ctx, `donchian.middle:hl:${s[0]}`, () => upper.map((u, t) => (u + lower[t]) / 2));
    },
  },
  {
    name: 'keltner',
    summary: 'keltner(n, mult, atr_n = 10).upper|middle|lower: EMA(n) of close ± mult·ATR(atr_n)',
    args: [period('n'), scalar('mult'), period('atr_n', { default: 10 })],
    outputs: ['upper', 'middle', 'lower'],
    warmup: (s) => Math.max(s[0], s[2]) - 1,
    compute: ({ ctx, candles: c, s }, out) =>
      cachedGroup(ctx, 'keltner', `hlc:${s[0]}:${s[1]}:${s[2]}`, ['upper', 'middle', 'lower'], () => keltner(c.high, c.low, c.close, s[0], s[1], s[2]))[out as 'upper'],
  },
  {
    name: 'stochastic',
    summary: 'stochastic(k, d, smooth = 1).k|d: %K of close in the k-bar high–low range (SMA(smooth)), %D = SMA(d) of %K',
    args: [period('k'), period('d'), period('smooth', { default: 1 })],
    outputs: ['k', 'd'],
    warmup: (s, _w, out) => s[0] + s[2] - 2 + (out === 'd' ? s[1] - 1 : 0),
    compute: ({ ctx, candles: c, s }, out) =>
      cachedGroup(ctx, 'stochastic', `hlc:${s[0]}:${s[1]}:${s[2]}`, ['k', 'd'], () => stochastic(c.high, c.low, c.close, s[0], s[1], s[2]))[out as 'k'],
  },
  {
    name: 'obv',
    summary: 'obv(): on-balance volume',
    args: [],
    warmup: () => 0,
    compute: ({ ctx, candles: c }) => cached(ctx, 'obv:cv', () => obv(c.close, c.volume)),
  },
  {
    name: 'regime',
    summary:
      "regime.trend|range|balanced, or regime(adx_n = 14, bb_n = 20, bb_k = 2, lookback = 100).…: the built-in classifier's regime probabilities (src/engine/strategies/regime.ts)",
    args: [period('adx_n', { default: 14 }), period('bb_n', { default: 20 }), scalar('bb_k', { default: 2 }), period('lookback', { default: 100, min: 2 })],
    outputs: ['trend', 'range', 'balanced'],
    warmup: (s) => 2 * s[0] - 1,
    compute: (x, out) => regimeGroup(x)[out as 'trend'],
  },
];

export const INDICATOR_BY_NAME: ReadonlyMap<string, IndicatorSpec> = new Map(INDICATORS.map((s) => [s.name, s]));
