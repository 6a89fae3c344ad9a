/**
 * Deep analysis, cost sensitivity: the stored backtest re-run with the ENGINE directly (not
 * the research `backtest()` journey), so nothing is stored and nothing enters the trial
 * ledger — a cost re-run is not a new configuration.
 *
 * - multiples: fees (commission and fixed fee) and slippage × 1, 2, 3; the 1× re-run must
 *   reproduce the stored return (checked and reported).
 * - curve: the return at 13 evenly spaced costs per side, 0 … 2 × break-even (≥ 20 bps), under
 *   the break-even cost model (for the cost-sensitivity chart);
 * - break-even: the cost per side, in basis points, at which the edge disappears (total
 *   return ≤ 0). The cost model replaces the run's commission and slippage by one commission
 *   of x bps of traded notional per side (fixed fees kept); found by bisection on [0, cap].
 *   Signals do not depend on costs, so they are computed once and only the simulator re-runs.
 */
import { effectiveSpec } from '../../engine/backtest/run.js';
import { simulate } from '../../engine/backtest/simulate.js';
import type { ExecutionSpec, Signals } from '../../engine/backtest/types.js';
import { computeMetrics } from '../../engine/metrics/compute.js';
import type { RerunContext } from './types.js';

export const BREAK_EVEN_CAP_BPS = 500;
export const BREAK_EVEN_TOLERANCE_BPS = 0.01;
const MULTIPLES = [1, 2, 3] as const;
/** Points of the return-vs-cost curve (break-even cost model), 0 … 2 × break-even. */
const CURVE_POINTS = 13;

function runReturn(ctx: RerunContext, signals: Signals, spec: ExecutionSpec): number {
  const eq = simulate(ctx.candles, signals, effectiveSpec(spec, ctx.params)).equity;
  return eq[eq.length - 1] / eq[0] - 1;
}

/** Return (fraction) at a cost of `bps` per side under the break-even cost model. */
export function returnAtCost(ctx: RerunContext, signals: Signals, bps: number): number {
  return runReturn(ctx, signals, { ...ctx.execution, commission: bps / 10_000, slippage_bps: 0 });
}

export interface BreakEven {
  readonly status: 'found' | 'above_cap' | 'no_edge_without_costs';
  /** Midpoint of the final bracket (0 when there is no edge even without costs; null above the cap). */
  readonly cost_per_side_bps: number | null;
  /** [last cost with return > 0, first cost with return ≤ 0] (null ends when not bracketed). */
  readonly bracket_bps: readonly [number | null, number | null];
  readonly cap_bps: number;
  readonly iterations: number;
}

export function breakEvenCost(ctx: RerunContext, signals: Signals, cap = BREAK_EVEN_CAP_BPS, tolerance = BREAK_EVEN_TOLERANCE_BPS): BreakEven {
  if (!(returnAtCost(ctx, signals, 0) > 0)) return { status: 'no_edge_without_costs', cost_per_side_bps: 0, bracket_bps: [null, 0], cap_bps: cap, iterations: 1 };
  if (returnAtCost(ctx, signals, cap) > 0) return { status: 'above_cap', cost_per_side_bps: null, bracket_bps: [cap, null], cap_bps: cap, iterations: 2 };
  let lo = 0;
  let hi = cap;
  let iterations = 2;
  while (hi - lo > tolerance && iterations < 64) {
    const mid = (lo + hi) / 2;
    if (returnAtCost(ctx, signals, mid) > 0) lo = mid;
    else hi = mid;
    iterations++;
  }
  return { status: 'found', cost_per_side_bps: (lo + hi) / 2, bracket_bps: [lo, hi], cap_bps: cap, iterations };
}

export function costSection(ctx: RerunContext): Record<string, unknown> {
  const warnings: string[] = [];
  const signals = ctx.strategy.signals(ctx.candles, ctx.params, {});
  const base = ctx.execution;
  const runs = MULTIPLES.map((m) => {
    const spec: ExecutionSpec = { ...base, commission: Math.min(base.commission * m, 0.99), fixed_fee: base.fixed_fee * m, slippage_bps: base.slippage_bps * m };
    const eff = effectiveSpec(spec, ctx.params);
    const sim = simulate(ctx.candles, signals, eff);
    const { metrics } = computeMetrics(ctx.candles, sim, eff);
    const ret = sim.equity[sim.equity.length - 1] / sim.equity[0] - 1;
    return {
      multiple: m,
      commission: spec.commission,
      fixed_fee: spec.fixed_fee,
      slippage_bps: spec.slippage_bps,
      return_pct: 100 * ret,
      sharpe: metrics.sharpe ?? null,
      max_drawdown_pct: metrics.max_drawdown_pct ?? null,
      trades: sim.trades.length,
      fees_paid: sim.trades.reduce((s, t) => s + t.fees, 0),
    };
  });
  const reproduces = Math.abs(runs[0].return_pct / 100 - ctx.storedReturn) <= 1e-9 * Math.max(1, Math.abs(ctx.storedReturn));
  if (!reproduces) warnings.push(`the 1× re-run returns ${runs[0].return_pct} % but the stored run ${100 * ctx.storedReturn} %: the engine changed since the run was stored`);
  const monotone = runs[1].return_pct <= runs[0].return_pct && runs[2].return_pct <= runs[1].return_pct;
  if (!monotone) warnings.push('returns do not fall monotonically with costs (path-dependent sizing or stops)');
  if (base.commission === 0 && base.slippage_bps === 0 && base.fixed_fee === 0) warnings.push('the run has no costs: every multiple of zero is zero, so the 2× and 3× runs equal the 1× run; see break_even');
  if (base.profile === 'backtesting.py' && base.slippage_bps > 0) warnings.push('the backtesting.py profile ignores slippage_bps: only the fees change');
  const be = breakEvenCost(ctx, signals);
  if (be.status === 'above_cap') warnings.push(`the edge survives even ${be.cap_bps} bps per side: break-even is above the cap`);
  if (be.status === 'no_edge_without_costs') warnings.push('the return is ≤ 0 even without any costs: there is no edge to lose');
  // the curve the break-even lies on: return at evenly spaced costs up to twice the break-even
  // (at least 20 bps, at most the cap), under the same cost model
  const top = Math.min(BREAK_EVEN_CAP_BPS, Math.max(20, 2 * (be.cost_per_side_bps ?? BREAK_EVEN_CAP_BPS / 2)));
  const curve = Array.from({ length: CURVE_POINTS }, (_, k) => {
    const bps = (top * k) / (CURVE_POINTS - 1);
    return { cost_per_side_bps: bps, return_pct: 100 * returnAtCost(ctx, signals, bps) };
  });
  return {
    base_costs: { commission: base.commission, fixed_fee: base.fixed_fee, slippage_bps: base.slippage_bps, cost_per_side_bps: base.commission * 10_000 + base.slippage_bps },
    runs,
    curve,
    monotone,
    rerun_reproduces_stored: reproduces,
    break_even: {
      ...be,
      model: 'commission of x bps of notional per side replacing the run\'s commission and slippage (fixed fees kept); edge gone when total return ≤ 0; bisection',
      tolerance_bps: BREAK_EVEN_TOLERANCE_BPS,
      margin_over_current_bps: be.cost_per_side_bps === null ? null : be.cost_per_side_bps - (base.commission * 10_000 + base.slippage_bps),
    },
    note: 'engine re-runs: not stored and not recorded in the trial ledger',
    warnings,
  };
}
