/**
 * Seeded hourly series for calibrating verdicts and gates (issue 10, item 3): pure noise
 * (Gaussian and fat-tailed random walks, where no strategy has an edge) and planted edges
 * that a strategy of the registry can trade (a mean-reverting component for the reversion
 * strategies, persistent trend regimes for the trend followers). 24/7 bars, like crypto.
 *
 * log price x_t = x_{t−1} + μ_t + σ·ε_t + (u_t − u_{t−1}),  ε i.i.d. N(0, 1) or Student-t(3)
 * scaled to unit variance; u an AR(1) (Ornstein–Uhlenbeck) component u_t = φ·u_{t−1} + s·η_t;
 * μ_t = ±drift in Markov regimes (mean duration `regimeHours`). OHLC: open = previous close,
 * high/low = the bar's extremes widened by small half-normal wicks.
 */
import type { Candles } from '../../src/engine/data/candles.js';
import { createRng, type Rng } from '../../src/engine/random.js';

export const SERIES_KINDS = ['gauss_noise', 'fat_noise', 'mean_revert', 'trend_regime'] as const;
export type SeriesKind = (typeof SERIES_KINDS)[number];

export interface SeriesSpec {
  readonly kind: SeriesKind;
  readonly seed: number;
  /** Number of hourly bars (default 2.5 years). */
  readonly bars?: number;
  /** Epoch ms of the first bar (default 2021-01-01). */
  readonly start?: number;
  /**
   * Strength of the planted edge in (0, 1] (ignored for noise). Default: spread over
   * [0.15, 1] by the seed (golden-ratio sequence), so a run of seeds covers weak edges near
   * the detection boundary as well as strong ones.
   */
  readonly strength?: number;
}

export function defaultStrength(seed: number): number {
  const u = (seed * 0.6180339887498949) % 1;
  return 0.15 + 0.85 * u;
}

/** Hourly noise σ: 2 % a day. */
const SIGMA = 0.02 / Math.sqrt(24);

interface Model {
  readonly fat: boolean;
  /** AR(1) coefficient and innovation scale of the mean-reverting component (0: none). */
  readonly phi: number;
  readonly ouScale: number;
  /** Hourly drift in a trend regime, and the regimes' mean duration in hours (0: none). */
  readonly drift: number;
  readonly regimeHours: number;
  /** Share of the i.i.d. noise kept (the planted component takes the rest of the variance). */
  readonly noise: number;
}

const MODELS: Record<SeriesKind, Model> = {
  gauss_noise: { fat: false, phi: 0, ouScale: 0, drift: 0, regimeHours: 0, noise: 1 },
  fat_noise: { fat: true, phi: 0, ouScale: 0, drift: 0, regimeHours: 0, noise: 1 },
  mean_revert: { fat: false, phi: 0.9, ouScale: 1.2 * SIGMA, drift: 0, regimeHours: 0, noise: 0.5 },
  trend_regime: { fat: false, phi: 0, ouScale: 0, drift: 0.25 * SIGMA, regimeHours: 400, noise: 1 },
};

/** Student-t with 3 degrees of freedom, scaled to unit variance (var of t3 is 3). */
function studentT3(rng: Rng): number {
  const z = rng.normal();
  let chi = 0;
  for (let k = 0; k < 3; k++) chi += rng.normal() ** 2;
  return z / Math.sqrt(chi / 3) / Math.sqrt(3);
}

export function calibrationSeries(spec: SeriesSpec): Candles {
  const base = MODELS[spec.kind];
  const k = spec.strength ?? defaultStrength(spec.seed);
  if (!(k > 0 && k <= 1)) throw new RangeError(`strength must be in (0, 1], got ${k}`);
  const m: Model = { ...base, ouScale: base.ouScale * k, drift: base.drift * k };
  const n = spec.bars ?? Math.round(2.5 * 365 * 24);
  const start = spec.start ?? Date.UTC(2021, 0, 1);
  const rng = createRng(spec.seed * 7919 + SERIES_KINDS.indexOf(spec.kind));
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let x = Math.log(100);
  let u = 0;
  let regime = rng.next() < 0.5 ? 1 : -1;
  for (let i = 0; i < n; i++) {
    if (m.regimeHours > 0 && rng.next() < 1 / m.regimeHours) regime = -regime;
    const e = m.fat ? studentT3(rng) : rng.normal();
    const uNext = m.phi * u + m.ouScale * rng.normal();
    const prev = x;
    x += regime * m.drift + SIGMA * m.noise * e + (uNext - u);
    u = uNext;
    time[i] = start + i * 3_600_000;
    open[i] = Math.exp(prev);
    close[i] = Math.exp(x);
    const wick = 0.25 * SIGMA;
    high[i] = Math.max(open[i], close[i]) * Math.exp(Math.abs(rng.normal()) * wick);
    low[i] = Math.min(open[i], close[i]) * Math.exp(-Math.abs(rng.normal()) * wick);
    volume[i] = 1000 * Math.exp(0.3 * rng.normal());
  }
  return { symbol: `CAL-${spec.kind}-${spec.seed}`, timeframe: '1h', time, open, high, low, close, volume };
}
