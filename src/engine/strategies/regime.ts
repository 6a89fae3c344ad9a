/**
 * A simple market-regime classifier for the `confidence` strategy. Per bar it turns trend
 * strength (Wilder's ADX) and relative volatility (the z-score of the Bollinger bandwidth
 * (upper − lower)/middle over a lookback) into probabilities of three regimes through a
 * softmax over fixed logits:
 *   trend    = (ADX − 25)/5 + 0.5·bwz   strong directional movement, expanding bands
 *   range    = (20 − ADX)/5 − 0.5·bwz   weak direction, contracting bands
 *   balanced = 0                        neither (the reference class)
 * The ADX levels 20/25 are the usual "no trend below 20, trend above 25" rule of thumb
 * (Wilder 1978); the scale 5 makes one ADX step of 5 points an e-fold in the odds.
 * Probabilities are in [0, 1] and sum to 1 (up to rounding). A NaN ADX gives NaN
 * probabilities; a NaN bandwidth z-score (warm-up, or a window of constant bandwidth)
 * counts as 0, i.e. "usual volatility".
 */
export const REGIMES = ['trend', 'range', 'balanced'] as const;
export type Regime = (typeof REGIMES)[number];

export const REGIME_MODEL = Object.freeze({
  adxTrend: 25,
  adxRange: 20,
  adxScale: 5,
  bandwidthWeight: 0.5,
} as const);

export interface RegimeProbabilities {
  readonly trend: Float64Array;
  readonly range: Float64Array;
  readonly balanced: Float64Array;
}

/** Probabilities for all bars (see the file comment). */
export function regimeProbabilities(adx: Float64Array, bandwidthZ: Float64Array): RegimeProbabilities {
  const n = adx.length;
  const trend = new Float64Array(n);
  const range = new Float64Array(n);
  const balanced = new Float64Array(n);
  const { adxTrend, adxRange, adxScale, bandwidthWeight } = REGIME_MODEL;
  for (let t = 0; t < n; t++) {
    const a = adx[t];
    if (Number.isNaN(a)) {
      trend[t] = range[t] = balanced[t] = NaN;
      continue;
    }
    const z = Number.isNaN(bandwidthZ[t]) ? 0 : bandwidthZ[t];
    const lt = (a - adxTrend) / adxScale + bandwidthWeight * z;
    const lr = (adxRange - a) / adxScale - bandwidthWeight * z;
    // softmax with the largest logit subtracted (no overflow for extreme inputs)
    const m = Math.max(lt, lr, 0);
    const et = Math.exp(lt - m);
    const er = Math.exp(lr - m);
    const eb = Math.exp(-m);
    const s = et + er + eb;
    trend[t] = et / s;
    range[t] = er / s;
    balanced[t] = eb / s;
  }
  return { trend, range, balanced };
}

/**
 * The most likely regime at bar t (ties resolved in the order trend, range, balanced),
 * or undefined when the probabilities are NaN.
 */
export function mostLikelyRegime(p: RegimeProbabilities, t: number): Regime | undefined {
  const a = p.trend[t];
  const b = p.range[t];
  const c = p.balanced[t];
  if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c)) return undefined;
  if (a >= b && a >= c) return 'trend';
  if (b >= c) return 'range';
  return 'balanced';
}
