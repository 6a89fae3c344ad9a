import type { BlockMoment, Numbers } from './moments.js';

/**
 * Average pairwise correlation of trial returns, the input of the effective-N estimate
 * (dsr.ts). Computed in O(N·T) instead of O(N²·T) with the identity
 *
 *   Σ_{i≠j} ρ_ij = Var(Σ_i z_i) − N,   so   ρ̄ = (Var(Σ_i z_i) − N) / (N·(N − 1)),
 *
 * where z_i is series i standardised to mean 0 and variance 1 (same ddof throughout).
 * Constant series have no correlation and are left out (counted in `excluded`).
 */
export interface AverageCorrelation {
  /** Mean pairwise Pearson correlation over the used series (null with fewer than 2). */
  readonly rho: number | null;
  readonly used: number;
  readonly excluded: number;
  /** How ρ̄ was obtained ("returns" or "block means"). */
  readonly basis: 'returns' | 'block_means';
  readonly warnings: string[];
}

function averageFromColumns(cols: readonly Numbers[], basis: AverageCorrelation['basis']): AverageCorrelation {
  const warnings: string[] = [];
  if (cols.length === 0) return { rho: null, used: 0, excluded: 0, basis, warnings: ['no series given'] };
  const t = cols[0].length;
  for (let k = 0; k < cols.length; k++) {
    if (cols[k].length !== t) throw new RangeError(`series ${k} has ${cols[k].length} values, expected ${t} (all series must be aligned)`);
  }
  if (t < 2) return { rho: null, used: 0, excluded: cols.length, basis, warnings: ['series need at least 2 aligned values'] };
  const total = new Float64Array(t);
  let used = 0;
  for (const col of cols) {
    let m = 0;
    for (let i = 0; i < t; i++) m += col[i];
    m /= t;
    let ss = 0;
    for (let i = 0; i < t; i++) ss += (col[i] - m) * (col[i] - m);
    const sd = Math.sqrt(ss / (t - 1));
    if (!(sd > 1e-12 * Math.max(Math.abs(m), Number.MIN_VALUE)) || !Number.isFinite(sd)) continue;
    for (let i = 0; i < t; i++) total[i] += (col[i] - m) / sd;
    used++;
  }
  const excluded = cols.length - used;
  if (excluded > 0) warnings.push(`${excluded} constant or non-finite series left out of the average correlation`);
  if (used < 2) return { rho: null, used, excluded, basis, warnings: [...warnings, 'fewer than 2 usable series'] };
  let ss = 0;
  for (let i = 0; i < t; i++) ss += total[i] * total[i]; // Σ z has mean 0 exactly (up to rounding)
  const varSum = ss / (t - 1);
  const rho = (varSum - used) / (used * (used - 1));
  return { rho: Math.max(-1, Math.min(1, rho)), used, excluded, basis, warnings };
}

/** ρ̄ from aligned per-trial return series (one array per trial, same length and dates). */
export function averageCorrelationOfReturns(series: readonly Numbers[]): AverageCorrelation {
  return averageFromColumns(series, 'returns');
}

/**
 * ρ̄ from the trial ledger's block moments: the correlation of the trials' block MEAN
 * returns (sum/n per block). Block moments hold no cross-products, so this is an
 * approximation: for serially uncorrelated returns it estimates the same correlation, but
 * from only S points (16 by default), so it is noisy. Prefer the return series when
 * available; report which basis was used.
 */
export function averageCorrelationOfBlocks(trials: readonly (readonly BlockMoment[])[]): AverageCorrelation {
  const cols = trials.map((blocks) => Float64Array.from(blocks, (b) => (b.n > 0 ? b.sum / b.n : 0)));
  const out = averageFromColumns(cols, 'block_means');
  return { ...out, warnings: [...out.warnings, `approximation from ${cols[0]?.length ?? 0} block means per trial`] };
}
