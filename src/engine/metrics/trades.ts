import { F, FIELDS, TradeLog } from '../backtest/trade-log.js';
import type { Trade } from '../backtest/types.js';

/**
 * Statistics over CLOSED trades (open trades are not counted, EXECUTION.md §2). Returns
 * are fractions here; values that are undefined for the sample are NaN (the caller turns
 * them into null + a warning). Definitions follow backtesting.py 0.6.6 `compute_stats`.
 */
export interface TradeStats {
  readonly count: number;
  /** Share of trades with pnl > 0 after fees. */
  readonly winRate: number;
  readonly best: number;
  readonly worst: number;
  /** Geometric mean of trade returns (0 when some 1 + r ≤ 0, as backtesting.py). */
  readonly geometricMean: number;
  /** Arithmetic mean of trade returns. */
  readonly expectancy: number;
  /** Σ positive returns / |Σ negative returns|. */
  readonly profitFactor: number;
  /** √n · mean(pnl) / std(pnl, ddof 1). */
  readonly sqn: number;
  /** W − (1 − W) / (mean winning pnl / mean losing |pnl|). */
  readonly kelly: number;
  readonly maxDurationMs: number;
  readonly avgDurationMs: number;
  /** Bars covered by [entry_bar, exit_bar] of some trade. */
  readonly barsInMarket: number;
}

/**
 * (Π(1 + rᵢ))^(1/count) − 1 from the product of the 1 + rᵢ: the same number as backtesting.py's
 * `geometric_mean`, which sums logarithms, without a logarithm per element (the product's
 * rounding, about √n ulp, is far below what any metric reports). A product that left the
 * double range falls back to `logSum()`, the sum of the ln(1 + rᵢ).
 */
export function geometricFromProduct(product: number, count: number, logSum: () => number): number {
  if (product > 0 && product < Infinity) return product ** (1 / count) - 1;
  return Math.exp(logSum() / count) - 1;
}

/** Geometric mean of returns, 0 when some 1 + rᵢ ≤ 0 (backtesting.py's `geometric_mean`). */
export function geometricMean(returns: ArrayLike<number>, count = returns.length): number {
  let p = 1;
  for (let i = 0; i < returns.length; i++) {
    const x = 1 + returns[i];
    if (!(x > 0)) return 0;
    p *= x;
  }
  if (count <= 0) return NaN;
  return geometricFromProduct(p, count, () => {
    let s = 0;
    for (let i = 0; i < returns.length; i++) s += Math.log(1 + returns[i]);
    return s;
  });
}

export function tradeStats(input: readonly Trade[] | TradeLog): TradeStats {
  const log = input instanceof TradeLog ? input : TradeLog.fromTrades(input);
  const n = log.length;
  const d = log.data;
  let product = 1; // Π(1 + r) for the geometric mean, which is 0 when some 1 + r ≤ 0 (`wiped`)
  let wiped = false;
  let wins = 0;
  let best = -Infinity;
  let worst = Infinity;
  let sumR = 0;
  let sumPos = 0;
  let sumNeg = 0;
  let sumPnl = 0;
  let sumWinPnl = 0;
  let sumLossPnl = 0;
  let losses = 0;
  let maxDur = 0;
  let sumDur = 0;
  let bars = 0;
  let coveredTo = -1;
  for (let i = 0; i < n; i++) {
    const o = i * FIELDS;
    const ret = d[o + F.returnPct] / 100;
    if (1 + ret > 0) product *= 1 + ret;
    else wiped = true;
    sumR += ret;
    if (ret > 0) sumPos += ret;
    else if (ret < 0) sumNeg += ret;
    if (ret > best) best = ret;
    if (ret < worst) worst = ret;
    const p = d[o + F.pnl];
    sumPnl += p;
    if (p > 0) {
      wins++;
      sumWinPnl += p;
    } else if (p < 0) {
      losses++;
      sumLossPnl += p;
    }
    const dur = d[o + F.exitTime] - d[o + F.entryTime];
    sumDur += dur;
    if (dur > maxDur) maxDur = dur;
    const entryBar = d[o + F.entryBar];
    const exitBar = d[o + F.exitBar];
    const from = Math.max(entryBar, coveredTo + 1);
    if (exitBar >= from) bars += exitBar - from + 1;
    if (exitBar > coveredTo) coveredTo = exitBar;
  }
  const meanPnl = sumPnl / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d[i * FIELDS + F.pnl] - meanPnl) ** 2;
  const stdPnl = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN;
  const winRate = n > 0 ? wins / n : NaN;
  const payoff = wins > 0 && losses > 0 ? sumWinPnl / wins / (-sumLossPnl / losses) : NaN;
  return {
    count: n,
    winRate,
    best: n > 0 ? best : NaN,
    worst: n > 0 ? worst : NaN,
    geometricMean: n === 0 ? NaN : wiped ? 0 : geometricFromProduct(product, n, () => {
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.log(1 + d[i * FIELDS + F.returnPct] / 100);
      return s;
    }),
    expectancy: n > 0 ? sumR / n : NaN,
    profitFactor: sumNeg < 0 ? sumPos / -sumNeg : NaN,
    sqn: stdPnl > 0 ? (Math.sqrt(n) * meanPnl) / stdPnl : NaN,
    kelly: winRate - (1 - winRate) / payoff,
    maxDurationMs: n > 0 ? maxDur : NaN,
    avgDurationMs: n > 0 ? sumDur / n : NaN,
    barsInMarket: bars,
  };
}
