/**
 * Seeded synthetic OHLCV for demos and tests — clearly not a real market.
 *
 * Model, per bar (log-price x, bar volatility σ = DAILY_VOL·√(bar / 1 day)):
 * - regime: a Markov chain over trend-up, trend-down and range, left with probability
 *   1/mean-duration per bar; a trend usually gives way to a range, a range to either trend
 *   (tilted back toward the start price when far from it);
 * - variance h: GARCH(1,1), h = ω + α·ε² + β·h with ω = σ²(1 − α − β), so calm and wild
 *   stretches cluster while the long-run variance stays σ²;
 * - return r = drift + m·ε, ε = √h·z: drift ±TREND_DRIFT·σ in trends, mean reversion
 *   −κ(x − anchor) toward the range's entry level in ranges, plus a tiny pull toward the
 *   start price (∝ σ²) that keeps very long series in a sane price band;
 * - OHLC: open = previous close × e^gap (small gap), close = previous close × e^r,
 *   high/low = max/min(open, close) widened by half-normal wicks, so high ≥ max(o, c),
 *   low ≤ min(o, c) and every price is positive by construction;
 * - volume grows with |r|/σ, with log-normal noise.
 * Timestamps are 24/7 at the timeframe's spacing (calendar months for 1M).
 */
import type { Candles } from './candles.js';
import { DATA_ERROR_CODES, DataError, quoteValue } from './errors.js';
import { MS_PER_DAY, daysInMonth, monthIndexOf, monthStart } from './iso-time.js';
import { parseTimeframe } from './timeframe.js';
import { createRng } from '../random.js';

export const REGIMES = { trendUp: 0, trendDown: 1, range: 2 } as const;
export type Regime = (typeof REGIMES)[keyof typeof REGIMES];
export const REGIME_NAMES = ['trend_up', 'trend_down', 'range'] as const;

/** Model constants (see the file comment). */
export const SYNTHETIC_MODEL = {
  dailyVol: 0.02,
  garchAlpha: 0.08,
  garchBeta: 0.9,
  trendDrift: 0.08,
  rangeReversion: 0.05,
  startPull: 0.4,
  meanDuration: [150, 150, 250],
  trendToRange: 0.7,
  volMultiplier: [1.1, 1.1, 0.85],
  gapScale: 0.1,
  wickScale: 0.5,
  baseVolume: 1000,
} as const;

export interface SyntheticOptions {
  readonly symbol: string;
  readonly timeframe: string;
  readonly bars: number;
  readonly seed: number;
  /** Epoch ms of the first bar. */
  readonly start: number;
  readonly startPrice?: number;
}

export interface SyntheticResult {
  readonly candles: Candles;
  /** Regime of every bar (`REGIMES` values). */
  readonly regimes: Uint8Array;
}

function badOption(field: string, value: unknown, expected: string): DataError {
  return new DataError(DATA_ERROR_CODES.invalidOption, field, String(value), `invalid ${field} ${quoteValue(value)}: expected ${expected}`);
}

function barTimes(start: number, bars: number, timeframe: string): Float64Array {
  const tf = parseTimeframe(timeframe);
  const time = new Float64Array(bars);
  if (!tf.calendar) {
    for (let i = 0; i < bars; i++) time[i] = start + i * tf.ms;
    return time;
  }
  // calendar months: same day of month (clamped to the month's length) and time of day
  const m0 = monthIndexOf(start);
  const day = Math.floor((start - monthStart(m0)) / MS_PER_DAY) + 1;
  const timeOfDay = start - monthStart(m0) - (day - 1) * MS_PER_DAY;
  for (let i = 0; i < bars; i++) {
    const mi = m0 + i;
    const y = Math.floor(mi / 12);
    const d = Math.min(day, daysInMonth(y, mi - y * 12 + 1));
    time[i] = monthStart(mi) + (d - 1) * MS_PER_DAY + timeOfDay;
  }
  return time;
}

export function generateSyntheticWithRegimes(opts: SyntheticOptions): SyntheticResult {
  const { symbol, timeframe, bars, seed, start } = opts;
  const startPrice = opts.startPrice ?? 100;
  if (typeof symbol !== 'string' || symbol.trim() === '') throw badOption('symbol', symbol, 'a non-empty string');
  if (!Number.isInteger(bars) || bars < 0 || bars > 100_000_000) throw badOption('bars', bars, 'an integer between 0 and 100000000');
  if (!Number.isFinite(seed)) throw badOption('seed', seed, 'a finite number');
  if (!Number.isFinite(start)) throw badOption('start', start, 'epoch milliseconds of the first bar');
  if (!(Number.isFinite(startPrice) && startPrice > 0)) throw badOption('startPrice', startPrice, 'a positive finite number');
  const tf = parseTimeframe(timeframe);
  const time = barTimes(start, bars, timeframe);

  const M = SYNTHETIC_MODEL;
  const rng = createRng(seed);
  let spare = NaN;
  // Box–Muller, both values used (rng.normal() discards one).
  const gauss = (): number => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = NaN;
      return z;
    }
    let u = 0;
    while (u === 0) u = rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const a = 2 * Math.PI * rng.next();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };

  const sigma = M.dailyVol * Math.sqrt(tf.ms / MS_PER_DAY);
  const s2 = sigma * sigma;
  const omega = s2 * (1 - M.garchAlpha - M.garchBeta);
  const pull = M.startPull * s2;
  const x0 = Math.log(startPrice);
  const open = new Float64Array(bars);
  const high = new Float64Array(bars);
  const low = new Float64Array(bars);
  const close = new Float64Array(bars);
  const volume = new Float64Array(bars);
  const regimes = new Uint8Array(bars);

  let regime: number = rng.int(0, 2);
  let anchor = x0;
  let x = x0;
  let h = s2;
  let eps = 0;
  for (let i = 0; i < bars; i++) {
    if (i > 0 && rng.next() < 1 / M.meanDuration[regime]) {
      if (regime === REGIMES.range) {
        // tilt toward the start price when far from it
        const pUp = 0.5 - 0.25 * Math.tanh((x - x0) / Math.LN2);
        regime = rng.next() < pUp ? REGIMES.trendUp : REGIMES.trendDown;
      } else if (rng.next() < M.trendToRange) {
        regime = REGIMES.range;
        anchor = x;
      } else {
        regime = regime === REGIMES.trendUp ? REGIMES.trendDown : REGIMES.trendUp;
      }
    }
    regimes[i] = regime;
    h = omega + M.garchAlpha * eps * eps + M.garchBeta * h;
    const sd = Math.sqrt(h);
    eps = sd * gauss();
    let drift = -pull * (x - x0);
    if (regime === REGIMES.trendUp) drift += M.trendDrift * sigma;
    else if (regime === REGIMES.trendDown) drift -= M.trendDrift * sigma;
    else drift -= M.rangeReversion * (x - anchor);
    const r = drift + M.volMultiplier[regime] * eps;
    const gap = i === 0 ? 0 : M.gapScale * sd * gauss();
    const o = i === 0 ? startPrice : Math.exp(x + gap);
    x += r;
    const c = Math.exp(x);
    const top = o > c ? o : c;
    const bottom = o < c ? o : c;
    open[i] = o;
    close[i] = c;
    high[i] = top * Math.exp(M.wickScale * sd * Math.abs(gauss()));
    low[i] = bottom * Math.exp(-M.wickScale * sd * Math.abs(gauss()));
    volume[i] = M.baseVolume * (0.3 + Math.abs(r) / sigma) * Math.exp(0.3 * gauss());
  }
  return { candles: { symbol: symbol.trim(), timeframe: tf.id, time, open, high, low, close, volume }, regimes };
}

/** Seeded synthetic candles (see the file comment); the same options give identical arrays. */
export function generateSynthetic(opts: SyntheticOptions): Candles {
  return generateSyntheticWithRegimes(opts).candles;
}
