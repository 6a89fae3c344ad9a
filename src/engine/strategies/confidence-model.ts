/**
 * The scoring model of the `confidence` strategy. Each indicator is mapped to a bullish score
 * in [0, 1] (0.5 = no information):
 *   T (trend)          = σ(3 · MACD histogram / ATR)   the histogram in volatility units
 *   M (momentum)       = RSI / 100
 *   R (mean reversion) = σ(−1.5 · z-score of Close)     far below the mean = bullish
 * with σ(x) = 1/(1 + e^(−x)). Trend strength (ADX) enters through the regime classifier
 * (regime.ts), whose probabilities weight two views:
 *   trend-following = (T + M)/2,   reversion = (R + 1 − M)/2   (high RSI = overbought)
 *   long  = p_trend·trendFollowing + p_range·reversion + p_balanced·(trendFollowing + reversion)/2
 *   short = 1 − long
 * Every term is a convex combination of scores in [0, 1], so long and short are in [0, 1].
 * Before the warm-up bar both are NaN. After it, an undefined input (a flat window: zero ATR,
 * zero standard deviation, 0/0 in the DX) contributes its neutral value (T = R = 0.5,
 * ADX = 22.5, the midpoint of the classifier's 20/25 levels), never a NaN confidence.
 */
import type { Candles } from '../backtest/types.js';
import { adx, atr, bollinger, firstValid, macd, rsi, zscore } from '../indicators/index.js';
import { cachedGroup, warmupOf } from './common.js';
import type { ConfidenceParams } from './confidence-params.js';
import { REGIME_MODEL, regimeProbabilities, type RegimeProbabilities } from './regime.js';
import { cached, type StrategyContext } from './types.js';

export const CONFIDENCE_MODEL = Object.freeze({ trendGain: 3, reversionGain: 1.5 } as const);

export function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export interface ConfidenceSeries {
  readonly long: Float64Array;
  readonly short: Float64Array;
  readonly regime: RegimeProbabilities;
  /** Max first-valid index of every indicator used. */
  readonly warmup: number;
}

type IndicatorParams = Pick<
  ConfidenceParams,
  'macd_fast' | 'macd_slow' | 'macd_signal' | 'atr_period' | 'rsi_period' | 'zscore_period' | 'adx_period' | 'bb_period' | 'bb_k' | 'regime_lookback'
>;

/** The indicator arrays the model reads (cached by indicator + inputs). */
export function confidenceInputs(candles: Candles, p: IndicatorParams, ctx: StrategyContext) {
  const { high, low, close } = candles;
  const hist = cachedGroup(ctx, 'macd', `close:${p.macd_fast}:${p.macd_slow}:${p.macd_signal}`, ['macd', 'signal', 'histogram'], () =>
    macd(close, p.macd_fast, p.macd_slow, p.macd_signal),
  ).histogram;
  const atrV = cached(ctx, `atr:hlc:${p.atr_period}`, () => atr(high, low, close, p.atr_period));
  const rsiV = cached(ctx, `rsi:close:${p.rsi_period}`, () => rsi(close, p.rsi_period));
  const z = cached(ctx, `zscore:close:${p.zscore_period}`, () => zscore(close, p.zscore_period));
  const adxV = cachedGroup(ctx, 'adx', `hlc:${p.adx_period}`, ['adx', 'plusDi', 'minusDi'], () => adx(high, low, close, p.adx_period)).adx;
  const bbKey = `close:${p.bb_period}:${p.bb_k}`;
  const bandwidth = cached(ctx, `bbw:${bbKey}`, () => {
    const bb = cachedGroup(ctx, 'bollinger', bbKey, ['middle', 'upper', 'lower'], () => bollinger(close, p.bb_period, p.bb_k));
    const out = new Float64Array(close.length);
    for (let t = 0; t < out.length; t++) out[t] = (bb.upper[t] - bb.lower[t]) / bb.middle[t];
    return out;
  });
  const bwz = cached(ctx, `zscore:bbw:${bbKey}:${p.regime_lookback}`, () => zscore(bandwidth, p.regime_lookback));
  return { hist, atr: atrV, rsi: rsiV, z, adx: adxV, bwz };
}

/**
 * Long/short confidence and regime probabilities for every bar (see the file comment). The
 * whole series is cached under every indicator param, so trials that only change thresholds,
 * exits or sizing reuse it.
 */
export function confidenceSeries(candles: Candles, p: IndicatorParams, ctx: StrategyContext): ConfidenceSeries {
  const suffix = [p.macd_fast, p.macd_slow, p.macd_signal, p.atr_period, p.rsi_period, p.zscore_period, p.adx_period, p.bb_period, p.bb_k, p.regime_lookback].join(':');
  const s = cachedGroup(ctx, 'confidence', suffix, ['long', 'short', 'trend', 'range', 'balanced'], () => computeSeries(candles, p, ctx));
  // long is NaN exactly before the warm-up bar and a number from it on
  return { long: s.long, short: s.short, regime: { trend: s.trend, range: s.range, balanced: s.balanced }, warmup: firstValid(s.long) };
}

function computeSeries(candles: Candles, p: IndicatorParams, ctx: StrategyContext) {
  const x = confidenceInputs(candles, p, ctx);
  const n = candles.close.length;
  const warmup = warmupOf(x.hist, x.atr, x.rsi, x.z, x.adx, x.bwz);
  const neutralAdx = (REGIME_MODEL.adxTrend + REGIME_MODEL.adxRange) / 2;
  const adxFilled = new Float64Array(n).fill(NaN);
  for (let t = warmup; t < n; t++) adxFilled[t] = Number.isNaN(x.adx[t]) ? neutralAdx : x.adx[t];
  const regime = regimeProbabilities(adxFilled, x.bwz);
  const long = new Float64Array(n).fill(NaN);
  const short = new Float64Array(n).fill(NaN);
  const { trendGain, reversionGain } = CONFIDENCE_MODEL;
  for (let t = warmup; t < n; t++) {
    const h = x.hist[t] / x.atr[t];
    const T = Number.isFinite(h) ? logistic(trendGain * h) : 0.5;
    const M = Number.isNaN(x.rsi[t]) ? 0.5 : x.rsi[t] / 100;
    const R = Number.isFinite(x.z[t]) ? logistic(-reversionGain * x.z[t]) : 0.5;
    const follow = (T + M) / 2;
    const revert = (R + 1 - M) / 2;
    const l = regime.trend[t] * follow + regime.range[t] * revert + regime.balanced[t] * ((follow + revert) / 2);
    long[t] = l;
    short[t] = 1 - l;
  }
  return { long, short, trend: regime.trend, range: regime.range, balanced: regime.balanced };
}
