import { describe, expect, it } from 'vitest';
import { kRatio, riskReport } from '../../../src/engine/analysis/risk.js';
import type { Trade } from '../../../src/engine/backtest/types.js';

const DAY = 86_400_000;
const pnlTrade = (pnl: number): Trade => ({
  direction: 'long', size: 1, entry_bar: 0, exit_bar: 1, entry_time: 0, exit_time: DAY,
  entry_price: 1, exit_price: 1, pnl, return_pct: pnl, fees: 0, exit_reason: 'signal',
});

describe('riskReport (hand-worked)', () => {
  it('Sharpe, Sortino (downside over all observations) and Omega', () => {
    // mean 0.005, std 0.0129099…, downside √(0.01²/4) = 0.005; gains 0.03, losses 0.01.
    const r = riskReport({ returns: [0.01, -0.01, 0.02, 0], periodsPerYear: 252 });
    expect(r.sharpe).toBeCloseTo((0.005 / Math.sqrt(5e-4 / 3)) * Math.sqrt(252), 12);
    expect(r.sortino).toBeCloseTo(Math.sqrt(252), 12);
    expect(r.omega).toBeCloseTo(3, 12);
    expect(r.volatility_ann_pct).toBeCloseTo(100 * Math.sqrt(5e-4 / 3) * Math.sqrt(252), 12);
  });
  it('SQN and Kelly from trade pnl (EXECUTION.md §3)', () => {
    const r = riskReport({ returns: [0.01, -0.01], periodsPerYear: 252, trades: [100, -50, 30, 20, -10].map(pnlTrade) });
    expect(r.sqn).toBeCloseTo(0.7264208810441356, 12); // scipy/numpy: √5·mean/std(ddof 1)
    expect(r.kelly).toBeCloseTo(0.36, 12); // 0.6 − 0.4 / (50/30)
  });
  it('CAGR over 365.25-day years and Calmar = CAGR / |max drawdown|', () => {
    const r = riskReport({
      returns: [0.2, -0.25, 121 / 90 - 1],
      periodsPerYear: 1,
      equity: [100, 120, 90, 121],
      time: [0, DAY, 2 * DAY, 2 * 365.25 * DAY],
    });
    expect(r.cagr_pct).toBeCloseTo(10, 10);
    expect(r.calmar).toBeCloseTo(0.4, 10);
  });
  it('benchmark: equity growing as √close has β = 0.5, correlation 1, alpha = return − β·buy&hold', () => {
    const close = [100, 110, 99, 121];
    const equity = close.map((c) => 1000 * Math.sqrt(c / 100));
    const r = riskReport({ returns: [0.1], periodsPerYear: 252, equity, close, time: [0, DAY, 2 * DAY, 3 * DAY] });
    expect(r.benchmark?.beta).toBeCloseTo(0.5, 12);
    expect(r.benchmark?.correlation).toBeCloseTo(1, 12);
    expect(r.benchmark?.buy_hold_return_pct).toBeCloseTo(21, 12);
    expect(r.benchmark?.alpha_pct).toBeCloseTo(100 * (0.1 - 0.5 * 0.21), 10);
  });
  it('K-ratio (Kestner 2013): log equity 0,1,1,2 → slope/SE = 3√2, ×√A / n with n = 3 returns', () => {
    const e1 = Math.E - 1;
    expect(kRatio([e1, 0, e1], 1)).toBeCloseTo(Math.SQRT2, 12);
    expect(kRatio([e1, 0, e1], 4)).toBeCloseTo(2 * Math.SQRT2, 12);
    const w: string[] = [];
    expect(kRatio([0.01, 0.01, 0.01], 252, w)).toBeNull();
    expect(w[0]).toMatch(/linear/);
  });
  it('undefined ratios are null with a reason, never NaN/Infinity', () => {
    const r = riskReport({ returns: [0.01, 0.01, 0.01], periodsPerYear: 252, trades: [pnlTrade(5)] });
    expect([r.sharpe, r.sortino, r.omega, r.sqn, r.kelly, r.calmar]).toEqual([null, null, null, null, null, null]);
    expect(r.warnings.join(' | ')).toMatch(/zero variance.*no negative returns.*sqn undefined.*kelly undefined/s);
    for (const v of Object.values(r)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
  });
});
