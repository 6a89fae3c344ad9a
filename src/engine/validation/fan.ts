/**
 * A Monte Carlo equity fan by trade bootstrap (the trade_bootstrap method of analyze deep:
 * closed-trade returns resampled with replacement, each compounding the whole equity).
 * For `points` checkpoints along the path (trade counts) it gives the 5/25/50/75/95th
 * percentiles of equity (1 = start) over `paths` seeded paths, and each path's max drawdown
 * (percent, negative). Pure and seeded: same inputs, same fan.
 */
import { createRng } from '../random.js';

export interface EquityFan {
  readonly step: number[];
  readonly p5: number[];
  readonly p25: number[];
  readonly p50: number[];
  readonly p75: number[];
  readonly p95: number[];
  readonly max_drawdown_pct: number[];
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** `returns` are per-trade fractions (0.02 = +2 %); null when there are fewer than 2 trades. */
export function tradeFan(returns: ArrayLike<number>, opts: { paths: number; seed: number; points?: number }): EquityFan | null {
  const n = returns.length;
  if (n < 2 || opts.paths < 2) return null;
  const points = Math.max(2, Math.min(opts.points ?? 60, n + 1));
  const checkpoints = Array.from({ length: points }, (_, k) => Math.round((k * n) / (points - 1)));
  const at = checkpoints.map(() => new Float64Array(opts.paths));
  const dd: number[] = [];
  const rng = createRng(opts.seed);
  for (let p = 0; p < opts.paths; p++) {
    let eq = 1;
    let peak = 1;
    let worst = 0;
    let c = 0;
    for (let i = 0; i <= n; i++) {
      while (c < points && checkpoints[c] === i) at[c++][p] = eq;
      if (i === n) break;
      eq *= Math.max(0, 1 + returns[rng.int(0, n - 1)]);
      if (eq > peak) peak = eq;
      else if (peak > 0) worst = Math.min(worst, eq / peak - 1);
    }
    dd.push(100 * worst);
  }
  const fan: EquityFan = { step: checkpoints, p5: [], p25: [], p50: [], p75: [], p95: [], max_drawdown_pct: dd };
  for (const a of at) {
    a.sort();
    fan.p5.push(quantile(a, 0.05));
    fan.p25.push(quantile(a, 0.25));
    fan.p50.push(quantile(a, 0.5));
    fan.p75.push(quantile(a, 0.75));
    fan.p95.push(quantile(a, 0.95));
  }
  return fan;
}
