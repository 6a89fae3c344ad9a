/**
 * Deep analysis, Monte Carlo (STATISTICS.md, "Monte Carlo and resampling"), seeded:
 * - trade bootstrap: closed-trade returns resampled with replacement (each trade compounding
 *   the whole equity, which overstates the effect of a trade when only a fraction was traded);
 * - stationary block bootstrap (Politis & Romano 1994) of the per-BAR returns from the
 *   warm-up bar on, which keeps short-range autocorrelation and intrabar-level drawdowns.
 * Both report percentiles of the final return and the max drawdown, P(loss) and the share of
 * paths whose drawdown is deeper than `ruin_drawdown_pct` (risk of ruin).
 *
 * Budget: a path costs one pass over its returns, so paths × returns is capped at
 * MC_STEP_BUDGET per method (a comparison shares it between its runs); beyond it the number
 * of paths is reduced (never below 100) and the result says so in `path_reductions`.
 */
import { deriveSeed } from '../../engine/random.js';
import { barBootstrap, tradeMonteCarlo, tradeReturns } from '../../engine/validation/bootstrap.js';
import type { MonteCarloResult } from '../../engine/validation/path-stats.js';
import type { AnalyzeOptions, Subject } from './types.js';

/** Return steps simulated per method at most (1,000,000 bars × 1,000 paths fits). */
export const MC_STEP_BUDGET = 1_000_000_000;
const DAY_MS = 86_400_000;
const STANDARD_LEVELS = [0.1, 0.2, 0.3] as const;

/** Per-bar simple returns from the warm-up bar on; 0/0 after a total loss counts as 0. */
export function barReturns(equity: Float64Array, warmup: number): Float64Array {
  const from = Math.min(Math.max(0, warmup), equity.length - 1);
  const out = new Float64Array(equity.length - 1 - from);
  for (let i = from + 1; i < equity.length; i++) {
    const r = equity[i] / equity[i - 1] - 1;
    out[i - from - 1] = Number.isFinite(r) ? r : 0;
  }
  return out;
}

function pathsFor(requested: number, steps: number, budget: number, notes: string[], what: string): number {
  const fit = Math.max(100, Math.floor(budget / Math.max(1, steps)));
  if (requested <= fit) return requested;
  notes.push(`${what}: ${fit} paths instead of the ${requested} requested (${steps} returns per path; budget ${budget} steps)`);
  return fit;
}

function ruinOf(mc: MonteCarloResult, depth: number): number | null {
  return mc.p_drawdown_worse_than.find((x) => x.depth === depth)?.p ?? null;
}

export function monteCarloSection(s: Subject, opts: AnalyzeOptions): Record<string, unknown> {
  const depth = -opts.ruinDrawdownPct / 100;
  const levels = [...new Set([...STANDARD_LEVELS, depth])].sort((a, b) => a - b);
  const notes: string[] = [];
  const warnings: string[] = [];
  const budget = opts.mcStepBudget ?? MC_STEP_BUDGET;

  let trades: MonteCarloResult | null = null;
  if (s.trades.length >= 2) {
    const paths = pathsFor(opts.mcPaths, s.trades.length, budget, notes, 'trade bootstrap');
    trades = tradeMonteCarlo(tradeReturns(s.trades), { seed: deriveSeed(opts.seed, 'mc-trades'), paths, ruinLevels: levels, mode: 'resample' });
  } else warnings.push(`trade bootstrap skipped: ${s.trades.length} closed trade(s), at least 2 needed`);

  let bars: MonteCarloResult | null = null;
  const r = barReturns(s.equity, s.warmup);
  const years = (s.time[s.time.length - 1] - s.time[Math.min(s.warmup, s.time.length - 1)]) / DAY_MS / 365.25;
  const barsPerYear = years > 0 ? r.length / years : null;
  if (r.length >= 2) {
    const paths = pathsFor(opts.mcPaths, r.length, budget, notes, 'bar block bootstrap');
    bars = barBootstrap(r, { seed: deriveSeed(opts.seed, 'mc-bars'), paths, ruinLevels: levels, method: 'stationary', periodsPerYear: barsPerYear ?? 1 });
  } else warnings.push(`bar block bootstrap skipped: ${r.length} bar return(s) after the warm-up, at least 2 needed`);

  return {
    units: 'fractions (0.05 = 5 %); drawdowns are negative; percentiles p05/p50/p95 over the paths',
    seed: opts.seed,
    requested_paths: opts.mcPaths,
    ruin_drawdown_pct: opts.ruinDrawdownPct,
    risk_of_ruin: {
      drawdown_pct: opts.ruinDrawdownPct,
      trade_bootstrap: trades ? ruinOf(trades, depth) : null,
      bar_bootstrap: bars ? ruinOf(bars, depth) : null,
    },
    trade_bootstrap: trades ? { ...trades, note: 'trades resampled with replacement; each trade compounds the whole equity' } : null,
    bar_bootstrap: bars
      ? { ...bars, returns_from_bar: s.warmup, bars_per_year: barsPerYear, note: 'stationary block bootstrap of per-bar returns (mean block length round(n^(1/3))); sharpe annualised with bars_per_year' }
      : null,
    path_reductions: notes,
    warnings,
  };
}
