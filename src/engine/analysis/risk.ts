import type { Trade } from '../backtest/types.js';
import { drawdownSeries } from './drawdowns.js';
import { nearConstant } from '../metrics/risk.js';
import { mean, std } from '../validation/moments.js';

/**
 * Risk-adjusted ratios for analyze_results, consistent with EXECUTION.md §3:
 * - sharpe = mean(r − r_f)/std(r, ddof 1)·√A; sortino = mean(r − r_f)/√(mean(min(r − r_f, 0)²))·√A
 *   with the downside over ALL observations (zeros for gains); r_f = annual risk-free / A.
 * - calmar = CAGR / |max drawdown|, CAGR over calendar years of 365.25 days.
 * - omega(θ = 0) = Σ max(r, 0) / Σ max(−r, 0) (Keating & Shadwick 2002).
 * - sqn = √n·mean(pnl)/std(pnl, ddof 1); kelly = W − (1 − W)/(avg win pnl / |avg loss pnl|).
 * - k_ratio: Kestner (2013), "(Re)Introducing the K-ratio", SSRN 2230949: OLS of the log
 *   cumulative (compounded) equity on the period index, K = slope / SE(slope) · √A / n, where
 *   the regression runs over the n + 1 points (start, then after each of the n returns).
 * - benchmark (buy & hold): correlation and beta (cov/var, ddof 1) of per-bar LOG returns of
 *   equity vs close from the warm-up bar on; alpha_pct = return_pct − β·buy_hold_return_pct
 *   (risk-free 0), buy & hold = close[N−1]/close[w] − 1 (backtesting.py's definitions).
 *
 * `returns` are per-period simple returns (e.g. day-end equity returns; see
 * engine/metrics/periods.ts `detectPeriods` for A and `periodEndValues` for the sampling).
 * Undefined values are null with a warning, never NaN or ±Infinity.
 */
export interface RiskInput {
  readonly returns: ArrayLike<number>;
  readonly periodsPerYear: number;
  readonly riskFree?: number;
  readonly equity?: ArrayLike<number>;
  readonly time?: ArrayLike<number>;
  readonly trades?: readonly Trade[];
  readonly close?: ArrayLike<number>;
  readonly warmup?: number;
}

export interface RiskReport {
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly volatility_ann_pct: number | null;
  readonly cagr_pct: number | null;
  readonly calmar: number | null;
  readonly omega: number | null;
  readonly sqn: number | null;
  readonly kelly: number | null;
  readonly k_ratio: number | null;
  readonly benchmark: {
    readonly correlation: number | null;
    readonly beta: number | null;
    readonly alpha_pct: number | null;
    readonly buy_hold_return_pct: number | null;
  } | null;
  readonly warnings: string[];
}

const DAY_MS = 86_400_000;
const TINY = 1e-12;

function meanStd(x: ArrayLike<number>): { n: number; mean: number; std: number } {
  return { n: x.length, mean: mean(x), std: std(x) };
}

/** K-ratio (Kestner 2013) of per-period returns; null when undefined (pushes a reason). */
export function kRatio(returns: ArrayLike<number>, periodsPerYear: number, warnings: string[] = []): number | null {
  const n = returns.length;
  if (n < 2) {
    warnings.push('k_ratio undefined: fewer than 2 returns');
    return null;
  }
  const y = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    if (!(returns[i] > -1)) {
      warnings.push('k_ratio undefined: a return of −100 % or worse (log equity −∞)');
      return null;
    }
    y[i + 1] = y[i] + Math.log1p(returns[i]);
  }
  const pts = n + 1;
  const mx = n / 2;
  let my = 0;
  for (let i = 0; i < pts; i++) my += y[i];
  my /= pts;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < pts; i++) {
    sxx += (i - mx) * (i - mx);
    sxy += (i - mx) * (y[i] - my);
  }
  const slope = sxy / sxx;
  let ssr = 0;
  for (let i = 0; i < pts; i++) {
    const e = y[i] - (my + slope * (i - mx));
    ssr += e * e;
  }
  const se = Math.sqrt(ssr / (pts - 2) / sxx);
  if (!(se > TINY * Math.abs(slope)) || !(se > 0)) {
    warnings.push('k_ratio undefined: log equity is exactly linear (zero standard error)');
    return null;
  }
  return ((slope / se) * Math.sqrt(periodsPerYear)) / n;
}

function tradeRatios(trades: readonly Trade[], warnings: string[]): { sqn: number | null; kelly: number | null } {
  const pnl = trades.map((t) => t.pnl);
  let sqn: number | null = null;
  const s = meanStd(pnl);
  if (s.n < 2) warnings.push(`sqn undefined: ${s.n} closed trade(s)`);
  else if (!(s.std > TINY * Math.abs(s.mean))) warnings.push('sqn undefined: every trade has the same pnl');
  else sqn = (Math.sqrt(s.n) * s.mean) / s.std;
  const wins = pnl.filter((p) => p > 0);
  const losses = pnl.filter((p) => p < 0);
  let kelly: number | null = null;
  if (wins.length === 0 || losses.length === 0) warnings.push('kelly undefined: needs both winning and losing trades');
  else {
    const w = wins.length / pnl.length;
    const ratio = wins.reduce((a, b) => a + b, 0) / wins.length / (-losses.reduce((a, b) => a + b, 0) / losses.length);
    kelly = w - (1 - w) / ratio;
  }
  return { sqn, kelly };
}

function benchmark(equity: ArrayLike<number>, close: ArrayLike<number>, warmup: number, warnings: string[]): RiskReport['benchmark'] {
  const n = equity.length;
  if (close.length !== n) throw new RangeError(`close (${close.length}) and equity (${n}) must have the same length`);
  const w = Math.min(Math.max(0, warmup), n - 1);
  const bh = close[w] > 0 ? close[n - 1] / close[w] - 1 : null;
  const ex: number[] = [];
  const mk: number[] = [];
  for (let i = w + 1; i < n; i++) {
    if (!(equity[i] > 0 && equity[i - 1] > 0 && close[i] > 0 && close[i - 1] > 0)) break; // stop at ruin
    ex.push(Math.log(equity[i] / equity[i - 1]));
    mk.push(Math.log(close[i] / close[i - 1]));
  }
  let correlation: number | null = null;
  let beta: number | null = null;
  if (ex.length < 2) warnings.push('beta undefined: fewer than 2 bar returns');
  else {
    const a = meanStd(ex);
    const b = meanStd(mk);
    let cov = 0;
    for (let i = 0; i < ex.length; i++) cov += (ex[i] - a.mean) * (mk[i] - b.mean);
    cov /= ex.length - 1;
    if (!(b.std > TINY)) warnings.push('beta undefined: the benchmark does not move');
    else beta = cov / (b.std * b.std);
    if (b.std > TINY && a.std > TINY) correlation = cov / (a.std * b.std);
    else warnings.push('correlation undefined: a series does not move');
  }
  const ret = equity[n - 1] / equity[0] - 1;
  const alpha = beta !== null && bh !== null ? 100 * (ret - beta * bh) : null;
  return { correlation, beta, alpha_pct: alpha, buy_hold_return_pct: bh === null ? null : 100 * bh };
}

export function riskReport(input: RiskInput): RiskReport {
  const warnings: string[] = [];
  const a = input.periodsPerYear;
  if (!(a > 0) || !Number.isFinite(a)) throw new RangeError(`periodsPerYear must be > 0, got ${a}`);
  const rf = (input.riskFree ?? 0) / a;
  const r = Float64Array.from(input.returns as ArrayLike<number>, (x) => x - rf);
  const s = meanStd(r);
  let sharpe: number | null = null;
  let sortino: number | null = null;
  let omega: number | null = null;
  if (s.n < 2) warnings.push(`sharpe/sortino undefined: ${s.n} return(s)`);
  else {
    if (!nearConstant(s.mean, s.std)) sharpe = (s.mean / s.std) * Math.sqrt(a);
    else warnings.push('sharpe undefined: returns have zero variance (constant, or varying by under 0.1 % of their mean)');
    let down = 0;
    let gain = 0;
    let loss = 0;
    for (let i = 0; i < s.n; i++) {
      const m = Math.min(r[i], 0);
      down += m * m;
      gain += Math.max(r[i], 0);
      loss += Math.max(-r[i], 0);
    }
    const dd = Math.sqrt(down / s.n);
    if (dd > 0) sortino = (s.mean / dd) * Math.sqrt(a);
    else warnings.push('sortino undefined: no negative returns');
    if (loss > 0) omega = gain / loss;
    else warnings.push('omega undefined: no negative returns');
  }
  const volatility = s.n >= 2 ? 100 * s.std * Math.sqrt(a) : null;

  let cagr: number | null = null;
  let calmar: number | null = null;
  const { equity, time } = input;
  if (equity && time && equity.length >= 2 && equity[0] > 0) {
    const years = (time[time.length - 1] - time[0]) / DAY_MS / 365.25;
    const growth = equity[equity.length - 1] / equity[0];
    if (years > 0) cagr = growth > 0 ? Math.pow(growth, 1 / years) - 1 : -1;
    else warnings.push('cagr undefined: zero time span');
    const mdd = drawdownSeries(equity).reduce((m, x) => Math.max(m, x), 0);
    if (cagr !== null && mdd > 0) calmar = cagr / mdd;
    else if (mdd === 0) warnings.push('calmar undefined: max drawdown is 0');
  } else warnings.push('cagr/calmar undefined: equity and time not given');

  const tr = input.trades ? tradeRatios(input.trades, warnings) : { sqn: null, kelly: null };
  if (!input.trades) warnings.push('sqn/kelly undefined: trades not given');
  const bench = equity && input.close ? benchmark(equity, input.close, input.warmup ?? 0, warnings) : null;
  return {
    sharpe,
    sortino,
    volatility_ann_pct: volatility,
    cagr_pct: cagr === null ? null : 100 * cagr,
    calmar,
    omega,
    sqn: tr.sqn,
    kelly: tr.kelly,
    k_ratio: kRatio(input.returns, a, warnings),
    benchmark: bench,
    warnings,
  };
}
