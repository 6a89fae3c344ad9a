/**
 * A backtest's result split by regime (see by-regime.ts for which regime a bar's return and a
 * trade belong to). Per regime: bars and share of time, compounded return, annualised
 * volatility and Sharpe of the bar returns (365-day calendar, √(bars per year) of the
 * timeframe; null when fewer than 2 bars or no variation), the bars spent in the market,
 * and the trades it decided with their win rate and mean return.
 */
import type { Trade } from '../../engine/backtest/types.js';
import { parseTimeframe } from '../../engine/data/timeframe.js';

export interface RegimeRow {
  readonly regime: string;
  readonly bars: number;
  readonly time_pct: number;
  readonly return_pct: number;
  readonly volatility_ann_pct: number | null;
  readonly sharpe: number | null;
  readonly trades: number;
  readonly win_rate_pct: number | null;
  readonly avg_trade_pct: number | null;
}

const YEAR_MS = 365 * 86_400_000;

export function regimeStats(time: Float64Array, equity: Float64Array, index: Int8Array, names: readonly string[], trades: readonly Trade[], timeframe: string): RegimeRow[] {
  const n = Math.min(time.length, equity.length, index.length);
  const k = names.length + 1; // the last slot is "none" (index −1: base parameters / classifier not yet valid)
  const bars = new Array<number>(k).fill(0);
  const logSum = new Array<number>(k).fill(0);
  const sum = new Array<number>(k).fill(0);
  const sumSq = new Array<number>(k).fill(0);
  const slot = (t: number): number => (index[t] >= 0 && index[t] < names.length ? index[t] : names.length);
  for (let t = 1; t < n; t++) {
    const prev = equity[t - 1];
    if (!(prev > 0)) continue; // after ruin there is nothing left to earn a return on
    const r = equity[t] / prev - 1;
    const s = slot(t - 1);
    bars[s]++;
    logSum[s] += Math.log1p(r);
    sum[s] += r;
    sumSq[s] += r * r;
  }
  const perYear = YEAR_MS / parseTimeframe(timeframe).ms;
  const tradeStats = Array.from({ length: k }, () => ({ n: 0, wins: 0, sum: 0 }));
  for (const tr of trades) {
    const d = tr.entry_bar - 1;
    if (d < 0 || d >= n) continue;
    const x = tradeStats[slot(d)];
    x.n++;
    if (tr.pnl > 0) x.wins++;
    x.sum += tr.return_pct;
  }
  const total = bars.reduce((a, b) => a + b, 0);
  const rows: RegimeRow[] = [];
  for (let s = 0; s < k; s++) {
    const m = bars[s];
    if (m === 0 && tradeStats[s].n === 0) continue;
    const mean = m > 0 ? sum[s] / m : 0;
    const variance = m > 1 ? (sumSq[s] - m * mean * mean) / (m - 1) : NaN;
    const sd = variance > 0 ? Math.sqrt(variance) : NaN;
    const sdOk = Number.isFinite(sd) && sd > 1e-12 && sd > 1e-3 * Math.abs(mean);
    rows.push({
      regime: s < names.length ? names[s] : 'none',
      bars: m,
      time_pct: total > 0 ? (100 * m) / total : 0,
      return_pct: 100 * Math.expm1(logSum[s]),
      volatility_ann_pct: sdOk ? 100 * sd * Math.sqrt(perYear) : null,
      sharpe: sdOk ? (mean / sd) * Math.sqrt(perYear) : null,
      trades: tradeStats[s].n,
      win_rate_pct: tradeStats[s].n ? (100 * tradeStats[s].wins) / tradeStats[s].n : null,
      avg_trade_pct: tradeStats[s].n ? tradeStats[s].sum / tradeStats[s].n : null,
    });
  }
  return rows;
}
