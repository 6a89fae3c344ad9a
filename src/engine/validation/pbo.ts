import { blockMoments, type BlockMoment, type Numbers } from './moments.js';
import { summarize, type Summary } from './summary.js';
import { halfMaskSplits, SubsetTables } from './cscv-splits.js';
import { InputError } from '../errors.js';

/**
 * Probability of Backtest Overfitting by combinatorially symmetric cross-validation (CSCV;
 * Bailey, Borwein, López de Prado & Zhu 2017, J. Computational Finance 20(4)), per
 * STATISTICS.md, from the trial ledger's per-block moments {n, sum, sumSq}.
 *
 * For every one of the C(S, S/2) ways to pick S/2 of the S blocks as in-sample (exact
 * enumeration, never sampled; S = 16 → 12,870 splits):
 *   n* = the trial with the best in-sample statistic;
 *   ω  = rank of n*'s out-of-sample statistic among all N trials (1 = worst … N = best) / (N + 1);
 *   λ  = ln(ω / (1 − ω)).
 * PBO = share of splits with λ < 0 (n* below the out-of-sample median; λ = 0 exactly, possible
 * for odd N, does not count). Also reported: the share of splits in which n* loses out of
 * sample (statistic < 0), and the OLS slope of n*'s out-of-sample on its in-sample statistic.
 *
 * Statistic: 'sharpe' (default) = mean/std (ddof 1) of the pooled blocks, from summed moments;
 * 'mean' = pooled mean return. A zero pooled variance (relative to the second moment) gives
 * +∞/−∞/0 by the sign of the mean, so constant trials rank deterministically.
 *
 * Ties (deterministic): in sample, the lowest trial index wins; out of sample, n*'s rank is
 * the mid-rank (1 + #worse + #tied/2), so ties neither flatter nor punish n*.
 *
 * Cost: in-sample and out-of-sample moments come from two lookup tables per trial (sums
 * over every subset of the low and of the high S/2 blocks), so each split costs 6 additions
 * and one square root per trial and per side. Trials are processed one at a time (memory
 * O(splits + 2^(S/2))); sums equal summing the blocks directly up to floating-point
 * association (the brute-force cross-check in the tests agrees exactly).
 */
export type PboMetric = 'sharpe' | 'mean';

export interface PboOptions {
  readonly metric?: PboMetric;
}

export interface PboResult {
  /** Share of splits whose in-sample winner ranks below the out-of-sample median (λ < 0). */
  readonly pbo: number;
  /** Share of splits in which the in-sample winner's out-of-sample statistic is < 0. */
  readonly prob_oos_loss: number;
  /** OLS slope of n*'s out-of-sample statistic on its in-sample statistic (null if undefined). */
  readonly slope: number | null;
  readonly intercept: number | null;
  readonly n_splits: number;
  readonly n_trials: number;
  readonly n_blocks: number;
  readonly metric: PboMetric;
  /** Always true: every split is enumerated (no sampling). */
  readonly exact: true;
  /** Distribution of the logits λ over the splits. */
  readonly logits: Summary & { readonly share_negative: number };
  /** Trials most often chosen in sample (up to 5), with the share of splits. */
  readonly most_selected: { readonly trial: number; readonly share: number }[];
  readonly warnings: string[];
}

const MAX_BLOCKS = 20;

function checkInput(trials: readonly (readonly BlockMoment[])[]): number {
  if (trials.length < 2) throw new InputError(`PBO needs at least 2 trials, got ${trials.length}`);
  const s = trials[0].length;
  if (!Number.isInteger(s) || s < 2 || s % 2 !== 0 || s > MAX_BLOCKS) {
    throw new InputError(`number of blocks S must be even and in [2, ${MAX_BLOCKS}], got ${s}`);
  }
  trials.forEach((blocks, i) => {
    if (blocks.length !== s) throw new RangeError(`trial ${i} has ${blocks.length} blocks, expected ${s}`);
    blocks.forEach((b, j) => {
      if (!(b.n >= 1) || !Number.isFinite(b.sum) || !Number.isFinite(b.sumSq)) {
        throw new RangeError(`trial ${i} block ${j}: need n >= 1 and finite sum/sumSq, got ${JSON.stringify(b)}`);
      }
    });
  });
  return s;
}

/**
 * The statistic of a pooled block set: the mean, or mean/std (ddof 1) with a zero variance
 * (relative to the second moment, i.e. constant returns up to rounding) mapped to ±∞ or 0.
 * A plain function of numbers so the hot loops stay monomorphic.
 */
function pooledStat(sharpe: boolean, n: number, sum: number, sq: number): number {
  const m = sum / n;
  if (!sharpe) return m;
  const v = n > 1 ? (sq - sum * m) / (n - 1) : 0;
  if (!(v * n > 1e-14 * sq)) return m > 0 ? Infinity : m < 0 ? -Infinity : 0;
  return m / Math.sqrt(v);
}

/** PBO from per-trial block moments: `trials[i][b]` = moments of trial i in block b. */
export function pbo(trials: readonly (readonly BlockMoment[])[], options: PboOptions = {}): PboResult {
  const metric = options.metric ?? 'sharpe';
  if (metric !== 'sharpe' && metric !== 'mean') throw new InputError(`metric must be 'sharpe' or 'mean', got ${String(metric)}`);
  const s = checkInput(trials);
  const nTrials = trials.length;
  const splits = halfMaskSplits(s);
  const nSplits = splits.count;
  const sharpe = metric === 'sharpe';
  const tables = new SubsetTables(s);
  const { isLo, isHi, oosLo, oosHi } = splits;

  // Pass 1: the in-sample winner of every split (strict >, so the lowest index wins ties).
  const bestIs = new Float64Array(nSplits).fill(-Infinity);
  const bestIdx = new Int32Array(nSplits).fill(-1);
  for (let i = 0; i < nTrials; i++) {
    tables.load(trials[i]);
    const { loN, loS, loQ, hiN, hiS, hiQ } = tables;
    for (let k = 0; k < nSplits; k++) {
      const a = isLo[k];
      const b = isHi[k];
      const v = pooledStat(sharpe, loN[a] + hiN[b], loS[a] + hiS[b], loQ[a] + hiQ[b]);
      if (v > bestIs[k] || bestIdx[k] < 0) {
        bestIs[k] = v;
        bestIdx[k] = i;
      }
    }
  }

  // The winners' out-of-sample statistics, computed with the same arithmetic as pass 2.
  const bestOos = new Float64Array(nSplits);
  const selectedCount = new Int32Array(nTrials);
  for (let k = 0; k < nSplits; k++) selectedCount[bestIdx[k]]++;
  for (let i = 0; i < nTrials; i++) {
    if (selectedCount[i] === 0) continue;
    tables.load(trials[i]);
    const { loN, loS, loQ, hiN, hiS, hiQ } = tables;
    for (let k = 0; k < nSplits; k++) {
      if (bestIdx[k] !== i) continue;
      const a = oosLo[k];
      const b = oosHi[k];
      bestOos[k] = pooledStat(sharpe, loN[a] + hiN[b], loS[a] + hiS[b], loQ[a] + hiQ[b]);
    }
  }

  // Pass 2: out-of-sample rank of the winner among all trials.
  const worse = new Int32Array(nSplits);
  const tied = new Int32Array(nSplits); // includes the winner itself
  for (let i = 0; i < nTrials; i++) {
    tables.load(trials[i]);
    const { loN, loS, loQ, hiN, hiS, hiQ } = tables;
    for (let k = 0; k < nSplits; k++) {
      const a = oosLo[k];
      const b = oosHi[k];
      const v = pooledStat(sharpe, loN[a] + hiN[b], loS[a] + hiS[b], loQ[a] + hiQ[b]);
      const ref = bestOos[k];
      if (v < ref) worse[k]++;
      else if (v === ref) tied[k]++;
    }
  }

  const logits = new Float64Array(nSplits);
  let negative = 0;
  let losses = 0;
  for (let k = 0; k < nSplits; k++) {
    const rank = 1 + worse[k] + (tied[k] - 1) / 2;
    const omega = rank / (nTrials + 1);
    const lambda = Math.log(omega / (1 - omega));
    logits[k] = lambda;
    if (lambda < 0) negative++;
    if (bestOos[k] < 0) losses++;
  }

  const warnings: string[] = [];
  const fit = olsFit(bestIs, bestOos);
  if (fit === null) warnings.push('slope undefined: fewer than 2 splits with finite statistics, or no spread in-sample');
  const most = Array.from(selectedCount, (c, trial) => ({ trial, share: c / nSplits }))
    .filter((x) => x.share > 0)
    .sort((x, y) => y.share - x.share || x.trial - y.trial)
    .slice(0, 5);
  return {
    pbo: negative / nSplits,
    prob_oos_loss: losses / nSplits,
    slope: fit?.slope ?? null,
    intercept: fit?.intercept ?? null,
    n_splits: nSplits,
    n_trials: nTrials,
    n_blocks: s,
    metric,
    exact: true,
    logits: { ...summarize(logits), share_negative: negative / nSplits },
    most_selected: most,
    warnings,
  };
}

/** OLS y = intercept + slope·x over the pairs where both are finite. */
function olsFit(x: Float64Array, y: Float64Array): { slope: number; intercept: number } | null {
  let n = 0;
  let mx = 0;
  let my = 0;
  for (let k = 0; k < x.length; k++) {
    if (!Number.isFinite(x[k]) || !Number.isFinite(y[k])) continue;
    n++;
    mx += x[k];
    my += y[k];
  }
  if (n < 2) return null;
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let k = 0; k < x.length; k++) {
    if (!Number.isFinite(x[k]) || !Number.isFinite(y[k])) continue;
    sxx += (x[k] - mx) * (x[k] - mx);
    sxy += (x[k] - mx) * (y[k] - my);
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** PBO from aligned per-trial return series (one per trial), split into `blocks` blocks. */
export function pboFromReturns(series: readonly Numbers[], options: PboOptions & { readonly blocks?: number } = {}): PboResult {
  const blocks = options.blocks ?? 16;
  if (series.length > 0) {
    const t = series[0].length;
    series.forEach((r, i) => {
      if (r.length !== t) throw new RangeError(`series ${i} has ${r.length} values, expected ${t} (trials must be aligned)`);
    });
  }
  return pbo(
    series.map((r) => blockMoments(r, blocks)),
    options,
  );
}

/** Columns of a row-major T × N matrix (rows = periods, columns = trials). */
export function columnsOf(rows: readonly (readonly number[])[]): Float64Array[] {
  const n = rows[0]?.length ?? 0;
  const cols = Array.from({ length: n }, () => new Float64Array(rows.length));
  rows.forEach((row, t) => {
    if (row.length !== n) throw new RangeError(`row ${t} has ${row.length} columns, expected ${n}`);
    for (let j = 0; j < n; j++) cols[j][t] = row[j];
  });
  return cols;
}
