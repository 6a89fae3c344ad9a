import { createRng } from '../random.js';
import { assemble, logReturns, observedPath, PathRecorder, type MonteCarloResult } from './path-stats.js';
import { InputError } from '../errors.js';

/**
 * Seeded Monte Carlo over returns (STATISTICS.md, "Monte Carlo and resampling").
 *
 * - `tradeMonteCarlo`: per-trade returns, either reshuffled (mode 'shuffle': a random
 *   permutation per path — the final compounded return is unchanged, only path statistics
 *   such as drawdown, time under water and risk of ruin vary) or resampled with replacement
 *   (mode 'resample', i.i.d. bootstrap: the distribution of the final return too).
 * - `barBootstrap`: per-bar returns resampled in blocks to keep short-range autocorrelation:
 *   'stationary' = Politis & Romano (1994), "The Stationary Bootstrap", JASA 89(428): blocks
 *   start at a uniform random bar and have geometric lengths with mean L, wrapping around the
 *   end (circular); 'fixed' = circular block bootstrap with blocks of exactly L bars. The
 *   default L is round(n^(1/3)), a common rule of thumb (the Politis–White automatic selector is
 *   not implemented). Each path has n returns (the last block is cut to fit).
 *
 * Returns are fractions (use `tradeReturns(trades)` for Trade.return_pct, which is in percent).
 * Same inputs and seed ⇒ identical result. Paths are simulated in log space in one pass over
 * each path (block sums of simple returns come from prefix sums), which keeps 1,000,000 bars ×
 * 1,000 paths to a few seconds of CPU.
 */
export interface MonteCarloOptions {
  readonly seed: number;
  /** Number of simulated paths (default 1000). */
  readonly paths?: number;
  /** Drawdown depths (positive fractions) for P(max drawdown deeper than depth); default 0.1/0.2/0.3/0.5. */
  readonly ruinLevels?: readonly number[];
  /** Annualisation factor for the Sharpe of each path (default 1 = per period). */
  readonly periodsPerYear?: number;
}

const DEFAULT_RUIN = [0.1, 0.2, 0.3, 0.5] as const;

function common(r: ArrayLike<number>, o: MonteCarloOptions, minN: number) {
  const paths = o.paths ?? 1000;
  if (!Number.isInteger(paths) || paths < 1 || paths > 10_000_000) throw new InputError(`paths must be an integer in [1, 1e7], got ${paths}`);
  if (!Number.isFinite(o.seed)) throw new InputError(`seed must be a finite number, got ${o.seed}`);
  if (r.length < minN) throw new InputError(`need at least ${minN} returns, got ${r.length}`);
  const ppy = o.periodsPerYear ?? 1;
  if (!(ppy > 0) || !Number.isFinite(ppy)) throw new RangeError(`periodsPerYear must be > 0, got ${ppy}`);
  const ruinLevels = o.ruinLevels ?? DEFAULT_RUIN;
  for (const d of ruinLevels) if (!(d > 0 && d < 1)) throw new InputError(`ruin levels must be in (0, 1), got ${d}`);
  const { lr, ruinous } = logReturns(r);
  const warnings: string[] = [];
  if (ruinous > 0) warnings.push(`${ruinous} return(s) ≤ −100 % treated as a total loss (equity 0)`);
  return { paths, scale: Math.sqrt(ppy), ruinLevels, lr, warnings };
}

/** Trade returns as fractions from Trade.return_pct (percent). */
export function tradeReturns(trades: readonly { readonly return_pct: number }[]): Float64Array {
  return Float64Array.from(trades, (t) => t.return_pct / 100);
}

export function tradeMonteCarlo(returns: ArrayLike<number>, options: MonteCarloOptions & { readonly mode?: 'shuffle' | 'resample' }): MonteCarloResult {
  const mode = options.mode ?? 'resample';
  if (mode !== 'resample' && mode !== 'shuffle') throw new InputError(`mode must be 'resample' or 'shuffle', got ${String(mode)}`);
  const { paths, scale, ruinLevels, lr, warnings } = common(returns, options, 1);
  const n = lr.length;
  const rng = createRng(options.seed);
  const rec = new PathRecorder(paths);
  const order = new Int32Array(n);
  for (let p = 0; p < paths; p++) {
    if (mode === 'shuffle') {
      for (let i = 0; i < n; i++) order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(0, i);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    } else {
      for (let i = 0; i < n; i++) order[i] = rng.int(0, n - 1);
    }
    let le = 0;
    let peak = 0;
    let mdd = 0;
    let lastPeak = 0;
    let uw = 0;
    let sum = 0;
    let sq = 0;
    for (let k = 0; k < n; k++) {
      const idx = order[k];
      const x = returns[idx];
      sum += x;
      sq += x * x;
      le += lr[idx];
      if (le >= peak) {
        if (k - lastPeak > uw) uw = k - lastPeak;
        peak = le;
        lastPeak = k + 1;
      } else if (peak - le > mdd) mdd = peak - le;
    }
    if (n - lastPeak > uw) uw = n - lastPeak;
    rec.record(le, mdd, n, sum, sq, uw, scale);
  }
  const head = {
    method: mode === 'shuffle' ? ('trade_shuffle' as const) : ('trade_resample' as const),
    paths,
    n,
    seed: options.seed,
    block_length: null,
    observed: observedPath(returns, lr, scale),
  };
  return assemble(rec, head, ruinLevels, warnings);
}

export function barBootstrap(
  returns: ArrayLike<number>,
  options: MonteCarloOptions & { readonly method?: 'stationary' | 'fixed'; readonly blockLength?: number },
): MonteCarloResult {
  const method = options.method ?? 'stationary';
  if (method !== 'stationary' && method !== 'fixed') throw new InputError(`method must be 'stationary' or 'fixed', got ${String(method)}`);
  const { paths, scale, ruinLevels, lr, warnings } = common(returns, options, 2);
  const n = lr.length;
  const blockLength = options.blockLength ?? Math.max(1, Math.round(Math.cbrt(n)));
  if (!(blockLength >= 1) || !Number.isFinite(blockLength) || (method === 'fixed' && !Number.isInteger(blockLength))) {
    throw new InputError(`blockLength must be >= 1 (an integer for 'fixed'), got ${blockLength}`);
  }
  // Prefix sums of r and r² give each block's contribution to the Sharpe in O(1).
  const p1 = new Float64Array(n + 1);
  const p2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    p1[i + 1] = p1[i] + returns[i];
    p2[i + 1] = p2[i] + returns[i] * returns[i];
  }
  const logQ = Math.log1p(-1 / blockLength); // geometric block length: 1 + ⌊ln U / ln(1 − 1/L)⌋
  const fixedLen = Math.round(blockLength);
  const rng = createRng(options.seed);
  const rec = new PathRecorder(paths);
  for (let p = 0; p < paths; p++) {
    let filled = 0;
    let le = 0;
    let peak = 0;
    let mdd = 0;
    let lastPeak = 0;
    let uw = 0;
    let sum = 0;
    let sq = 0;
    while (filled < n) {
      const start = Math.floor(rng.next() * n);
      let len = method === 'fixed' ? fixedLen : 1 + Math.floor(Math.log(1 - rng.next()) / logQ);
      if (!(len <= n - filled)) len = n - filled;
      // A block may wrap around the end: at most two contiguous segments.
      let a = start;
      let remaining = len;
      while (remaining > 0) {
        const b = Math.min(n, a + remaining);
        sum += p1[b] - p1[a];
        sq += p2[b] - p2[a];
        for (let k = a; k < b; k++) {
          le += lr[k];
          if (le >= peak) {
            const step = filled + (k - a);
            if (step - lastPeak > uw) uw = step - lastPeak;
            peak = le;
            lastPeak = step + 1;
          } else if (peak - le > mdd) mdd = peak - le;
        }
        filled += b - a;
        remaining -= b - a;
        a = 0;
      }
    }
    if (n - lastPeak > uw) uw = n - lastPeak;
    rec.record(le, mdd, n, sum, sq, uw, scale);
  }
  const head = {
    method: method === 'fixed' ? ('fixed_block_bootstrap' as const) : ('stationary_bootstrap' as const),
    paths,
    n,
    seed: options.seed,
    block_length: blockLength,
    observed: observedPath(returns, lr, scale),
  };
  return assemble(rec, head, ruinLevels, warnings);
}
