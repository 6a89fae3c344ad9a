/** The research score and its degenerate-input guard (EXECUTION.md §3). */
import { describe, expect, it } from 'vitest';
import { researchScore, SCORE_RATIO_CAP, SCORE_SHARPE_CAP } from '../../../src/engine/metrics/score.js';

describe('researchScore', () => {
  it('is the seed formula on ordinary input', () => {
    // 1.2 + 0.3 + 0.25·(0.3/0.15) + clip(0.55 − 0.4) = 1.2 + 0.3 + 0.5 + 0.15
    const s = researchScore({ sharpe: 1.2, totalReturn: 0.3, maxDrawdown: 0.15, winRate: 0.55, trades: 20, minTrades: 10 });
    expect(s.score).toBeCloseTo(2.15, 12);
    expect(s.warnings).toEqual([]);
  });

  it('clips the win-rate term to ±0.2', () => {
    expect(researchScore({ sharpe: 0, totalReturn: 0, maxDrawdown: 0.1, winRate: 0.95, trades: 20, minTrades: 10 }).score).toBeCloseTo(0.2, 12);
    expect(researchScore({ sharpe: 0, totalReturn: 0, maxDrawdown: 0.1, winRate: 0, trades: 20, minTrades: 10 }).score).toBeCloseTo(-0.2, 12);
  });

  it('zero drawdown cannot inflate the score (the 260.73 champion case)', () => {
    // a seed project: max_dd 0.0 made total_return/|max_dd| explode
    const s = researchScore({ sharpe: 45, totalReturn: 0.8, maxDrawdown: 0, winRate: 1, trades: 25, minTrades: 10 });
    expect(s.score).toBeCloseTo(SCORE_SHARPE_CAP + 0.8 + 0.25 * SCORE_RATIO_CAP + 0.2, 12);
    expect(s.score).toBeLessThan(5);
    expect(s.warnings.join(' ')).toMatch(/degenerate.*max drawdown/);
  });

  it('too few trades caps a huge return/drawdown ratio', () => {
    const s = researchScore({ sharpe: 1, totalReturn: 0.5, maxDrawdown: 0.01, winRate: 1, trades: 3, minTrades: 10 });
    expect(s.score).toBeCloseTo(1 + 0.5 + 0.25 * 2 + 0.2, 12);
    expect(s.warnings.join(' ')).toMatch(/only 3 closed trades/);
  });

  it('a negative return with zero drawdown is capped at −2 too', () => {
    const s = researchScore({ sharpe: null, totalReturn: -0.01, maxDrawdown: 0, winRate: null, trades: 0, minTrades: 10 });
    expect(s.score).toBeCloseTo(-0.01 - 0.5, 12);
    expect(s.warnings.length).toBeGreaterThanOrEqual(3);
  });
});
