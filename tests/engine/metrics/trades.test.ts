/** Trade statistics on hand-worked trades (definitions of EXECUTION.md §3 / backtesting.py). */
import { describe, expect, it } from 'vitest';
import { geometricMean, tradeStats } from '../../../src/engine/metrics/trades.js';
import { DAY, trade } from './fixtures.js';

// returns +10 %, −5 %, +20 %; pnl 100, −50, 200; durations 3, 1, 2 days; bars [2,5] [5,8] [10,10]
const trades = [
  trade({ return_pct: 10, pnl: 100, entry_bar: 2, exit_bar: 5, entry_time: 0, exit_time: 3 * DAY }),
  trade({ return_pct: -5, pnl: -50, entry_bar: 5, exit_bar: 8, entry_time: 3 * DAY, exit_time: 4 * DAY }),
  trade({ return_pct: 20, pnl: 200, entry_bar: 10, exit_bar: 10, entry_time: 5 * DAY, exit_time: 7 * DAY }),
];

describe('tradeStats', () => {
  const s = tradeStats(trades);

  it('win rate, best, worst, expectancy', () => {
    expect(s.count).toBe(3);
    expect(s.winRate).toBeCloseTo(2 / 3, 15);
    expect(s.best).toBeCloseTo(0.2, 15);
    expect(s.worst).toBeCloseTo(-0.05, 15);
    expect(s.expectancy).toBeCloseTo(0.25 / 3, 15);
  });

  it('avg trade is the geometric mean: (1.1·0.95·1.2)^(1/3) − 1', () => {
    expect(s.geometricMean).toBeCloseTo(Math.cbrt(1.1 * 0.95 * 1.2) - 1, 14);
  });

  it('profit factor = Σ positive returns / |Σ negative returns| = 0.30 / 0.05', () => {
    expect(s.profitFactor).toBeCloseTo(6, 12);
  });

  it('SQN = √n·mean(pnl)/std(pnl): pnl mean 250/3, std √(31666.67/2)', () => {
    const mean = 250 / 3;
    const std = Math.sqrt(((100 - mean) ** 2 + (-50 - mean) ** 2 + (200 - mean) ** 2) / 2);
    expect(s.sqn).toBeCloseTo((Math.sqrt(3) * mean) / std, 12);
    expect(s.sqn).toBeCloseTo(1.1471, 3);
  });

  it('Kelly = W − (1 − W)/(avg win / avg loss) = 2/3 − (1/3)/(150/50)', () => {
    expect(s.kelly).toBeCloseTo(2 / 3 - 1 / 3 / 3, 14);
  });

  it('durations and bars in the market (a shared reversal bar counts once)', () => {
    expect(s.maxDurationMs).toBe(3 * DAY);
    expect(s.avgDurationMs).toBe(2 * DAY);
    expect(s.barsInMarket).toBe(8); // bars 2..8 and 10
  });

  it('undefined values are NaN with no trades, no losers or a single trade', () => {
    const none = tradeStats([]);
    expect([none.winRate, none.best, none.geometricMean, none.sqn, none.kelly, none.profitFactor].every(Number.isNaN)).toBe(true);
    const winners = tradeStats([trade({ return_pct: 5, pnl: 5 }), trade({ return_pct: 7, pnl: 7 })]);
    expect(winners.profitFactor).toBeNaN();
    expect(winners.kelly).toBeNaN();
    expect(tradeStats([trade({ return_pct: 5, pnl: 5 })]).sqn).toBeNaN();
  });

  it('geometricMean is 0 when a return is −100 % or worse (backtesting.py)', () => {
    expect(geometricMean([0.1, -1])).toBe(0);
  });
});
