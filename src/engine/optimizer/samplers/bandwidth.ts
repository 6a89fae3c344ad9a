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
  const n = obs.length;
  if (n <= 64) {
    // insertion sort: stable, and quicker than a comparator sort for a good set's few observations
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let p = i;
      while (p > 0 && obs[out[p - 1]] > obs[i]) {
        out[p] = out[p - 1];
        p--;
      }
      out[p] = i;
    }
    return out;
  }
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => obs[a] - obs[b] || a - b);
  return Int32Array.from(idx);
}

/**
 * Neighbour-gap bandwidths into out[0..m) from the observations and their ascending order
 * (ties in chronological order). The prior centre is merged in after any observation equal to
 * it; the merged centres are padded with the bounds.
 */
function gapSigmas(out: Float64Array, obs: Float64Array, order: Int32Array, low: number, high: number, endpoints: boolean, minSigma: number): void {
  const m = obs.length;
  const n = m + 1;
  const prior = 0.5 * (low + high);
  // the prior's slot in the merged order: after every observation <= it
  let p = 0;
  let hi = m;
  while (p < hi) {
    const mid = (p + hi) >>> 1;
    if (obs[order[mid]] > prior) hi = mid;
    else p = mid + 1;
  }
  // observation r (in ascending order) sits at slot r of the merged order before the prior, r + 1 after it
  const edge = !endpoints && n >= 2;
  for (let r = 0; r < m; r++) {
    const cur = obs[order[r]];
    const left = r === p ? prior : r === 0 ? low : obs[order[r - 1]];
    const right = r + 1 === p ? prior : r === m - 1 ? high : obs[order[r + 1]];
    const i = r < p ? r : r + 1;
    const sig = edge && i === 0 ? right - cur : edge && i === n - 1 ? cur - left : Math.max(cur - left, right - cur);
    out[order[r]] = Math.min(high - low, Math.max(minSigma, sig));
  }
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
 * Bandwidths of the m observation kernels of one dimension (the prior kernel's is the range),
 * into out[0..m) (out may be longer). `order` (a stable argsort of obs) may be passed in when
 * already known.
 */
export function kernelSigmasInto(out: Float64Array, obs: Float64Array, low: number, high: number, nDims: number, opts: BandwidthOptions, order?: Int32Array): void {
  const m = obs.length;
  const range = high - low;
  const minSigma = opts.consider_magic_clip ? range * Math.max(opts.min_bandwidth_factor, (m + 2) ** -opts.magic_clip_exponent) : 1e-12;
  const clip = (s: number): number => Math.min(range, Math.max(minSigma, s));
  if (opts.rule === 'fixed') out.fill(clip(0.2 * Math.max(m, 1) ** (-1 / (nDims + 4)) * range), 0, m);
  else if (opts.rule === 'scott') out.fill(clip(scottSigma(obs, range)), 0, m);
  else gapSigmas(out, obs, order ?? argsortStable(obs), low, high, opts.consider_endpoints, minSigma);
}

/** kernelSigmasInto a new array of m. */
export function kernelSigmas(obs: Float64Array, low: number, high: number, nDims: number, opts: BandwidthOptions, order?: Int32Array): Float64Array {
  const out = new Float64Array(obs.length);
  kernelSigmasInto(out, obs, low, high, nDims, opts, order);
  return out;
}
