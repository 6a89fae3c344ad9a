/**
 * Kernel bandwidths of the Parzen estimator (per dimension, internal space).
 * - 'gaps' (Optuna's univariate rule, from hyperopt): sort the centres together with the
 *   prior centre, pad with the bounds, σ = max(gap to left, gap to right); without
 *   `consider_endpoints` the two extreme centres use their inner gap only;
 * - 'fixed' (Optuna's multivariate rule): σ = 0.2 · max(m, 1)^(−1/(d+4)) · range;
 * - 'scott': σ = 1.059 · min(sd, IQR/1.34) · m^(−1/5);
 * then the magic clip: σ ∈ [range · max(min_bandwidth_factor, (m + 2)^(−exponent)), range]
 * (Optuna: exponent 1 and factor 0.01, i.e. range / min(100, m + 2)).
 */

export interface BandwidthOptions {
  readonly rule: 'gaps' | 'fixed' | 'scott';
  readonly consider_endpoints: boolean;
  readonly consider_magic_clip: boolean;
  readonly magic_clip_exponent: number;
  readonly min_bandwidth_factor: number;
}

/** Indices of obs sorted by value, ties by index (a stable argsort). */
export function argsortStable(obs: Float64Array): Int32Array {
  const idx = Array.from({ length: obs.length }, (_, i) => i);
  idx.sort((a, b) => obs[a] - obs[b] || a - b);
  return Int32Array.from(idx);
}

/**
 * Neighbour-gap bandwidths from the observations and their ascending order (ties in
 * chronological order). The prior centre is merged in after any observation equal to it.
 */
function gapSigmas(obs: Float64Array, order: Int32Array, low: number, high: number, endpoints: boolean): Float64Array {
  const m = obs.length;
  const n = m + 1;
  const prior = 0.5 * (low + high);
  // Sorted centres with the prior merged in, padded with the bounds: padded[0] = low, padded[n + 1] = high.
  const padded = new Float64Array(n + 2);
  const who = new Int32Array(n); // observation index at each sorted slot, −1 for the prior
  padded[0] = low;
  let r = 0;
  let placed = false;
  for (let i = 0; i < n; i++) {
    if (!placed && (r >= m || obs[order[r]] > prior)) {
      padded[i + 1] = prior;
      who[i] = -1;
      placed = true;
    } else {
      padded[i + 1] = obs[order[r]];
      who[i] = order[r++];
    }
  }
  padded[n + 1] = high;
  const out = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const j = who[i];
    if (j < 0) continue;
    let sig: number;
    if (!endpoints && n >= 2 && i === 0) sig = padded[2] - padded[1];
    else if (!endpoints && n >= 2 && i === n - 1) sig = padded[n] - padded[n - 1];
    else sig = Math.max(padded[i + 1] - padded[i], padded[i + 2] - padded[i + 1]);
    out[j] = sig;
  }
  return out;
}

function scottSigma(obs: Float64Array, range: number): number {
  const m = obs.length;
  if (m < 2) return range;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += obs[i];
  mean /= m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (obs[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (m - 1));
  const sorted = Float64Array.from(obs).sort();
  const pct = (p: number): number => {
    const h = (m - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, m - 1)] - sorted[lo]);
  };
  const iqr = pct(0.75) - pct(0.25);
  return 1.059 * (iqr > 0 ? Math.min(sd, iqr / 1.34) : sd) * m ** -0.2;
}

/**
 * Bandwidths of the m observation kernels of one dimension (the prior kernel's is the range).
 * `order` (a stable argsort of obs) may be passed in when already known.
 */
export function kernelSigmas(obs: Float64Array, low: number, high: number, nDims: number, opts: BandwidthOptions, order?: Int32Array): Float64Array {
  const m = obs.length;
  const range = high - low;
  let sig: Float64Array;
  if (opts.rule === 'fixed') sig = new Float64Array(m).fill(0.2 * Math.max(m, 1) ** (-1 / (nDims + 4)) * range);
  else if (opts.rule === 'scott') sig = new Float64Array(m).fill(scottSigma(obs, range));
  else sig = gapSigmas(obs, order ?? argsortStable(obs), low, high, opts.consider_endpoints);
  const minSigma = opts.consider_magic_clip ? range * Math.max(opts.min_bandwidth_factor, (m + 2) ** -opts.magic_clip_exponent) : 1e-12;
  for (let i = 0; i < m; i++) sig[i] = Math.min(range, Math.max(minSigma, sig[i]));
  return sig;
}
