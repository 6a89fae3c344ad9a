/** Ranking, statistics, best per dataset and the matrix of batch items (pure functions), on hand-made items. */
import { describe, expect, it } from 'vitest';
import { checkMetric, defaultDirection, defaultOrder, guessMetric } from '../../src/research/batch/metrics.js';
import { bestPerDataset, countItems, matrixOf, rankItems, rankStats, type ItemResult } from '../../src/research/batch/rank.js';

function item(i: number, o: Partial<ItemResult> & { sharpe?: number | null }): ItemResult {
  const { sharpe, ...rest } = o;
  return {
    i,
    label: null,
    strategy: 's',
    symbol: 'A',
    timeframe: '1h',
    params: { p: i },
    status: 'ok',
    run_id: `r${i}`,
    cached: false,
    metrics: sharpe === undefined ? null : { sharpe, trades: i },
    error: null,
    ...rest,
  };
}

const ITEMS: ItemResult[] = [
  item(0, { sharpe: 0.5 }),
  item(1, { status: 'failed', run_id: null, error: 'unknown symbol' }),
  item(2, { sharpe: 1.5, symbol: 'B' }),
  item(3, { sharpe: null }), // succeeded, but the metric is undefined (e.g. no trades)
  item(4, { sharpe: 0.5, symbol: 'B' }), // ties item 0: item order breaks the tie
  item(5, { status: 'cancelled', run_id: null }),
  item(6, { sharpe: -2, timeframe: '4h' }),
];

describe('batch ranking', () => {
  it('orders valued items best first (ties by item order), then valueless, failed, cancelled', () => {
    const r = rankItems(ITEMS, 'sharpe', 'desc');
    expect(r.map((x) => x.i)).toEqual([2, 0, 4, 6, 3, 1, 5]);
    expect(r.map((x) => x.rank)).toEqual([1, 2, 3, 4, null, null, null]);
    const asc = rankItems(ITEMS, 'sharpe', 'asc');
    expect(asc.map((x) => x.i)).toEqual([6, 0, 4, 2, 3, 1, 5]);
  });

  it('computes count, mean, median, best and worst of the ranking metric over valued items', () => {
    const s = rankStats(rankItems(ITEMS, 'sharpe', 'desc'), 'sharpe', 'desc');
    // values 1.5, 0.5, 0.5, -2: mean 0.125, median (0.5 + 0.5) / 2
    expect(s).toEqual({ metric: 'sharpe', order: 'desc', n: 4, mean: 0.125, median: 0.5, best: 1.5, worst: -2 });
    const asc = rankStats(rankItems(ITEMS, 'sharpe', 'asc'), 'sharpe', 'asc');
    expect([asc.best, asc.worst]).toEqual([-2, 1.5]);
    expect(rankStats([], 'sharpe', 'desc')).toMatchObject({ n: 0, mean: null, best: null });
    expect(countItems(ITEMS)).toEqual({ items: 7, ok: 5, failed: 1, cancelled: 1, cached: 0 });
  });

  it('picks the best item of each symbol/timeframe and counts its competitors', () => {
    const best = bestPerDataset(rankItems(ITEMS, 'sharpe', 'desc'));
    expect(best.map((b) => [b.symbol, b.timeframe, b.i, b.value, b.of])).toEqual([
      ['B', '1h', 2, 1.5, 2],
      ['A', '1h', 0, 0.5, 1],
      ['A', '4h', 6, -2, 1],
    ]);
  });

  it('lays out the matrix as rows = items, columns = lead fields then the chosen metrics', () => {
    const m = matrixOf(rankItems(ITEMS, 'sharpe', 'desc').slice(0, 2), ['sharpe', 'trades']);
    expect(m.columns.slice(-3)).toEqual(['sharpe', 'trades', 'error']);
    expect(m.rows[0][m.columns.indexOf('i')]).toBe(2);
    expect(m.rows[0][m.columns.indexOf('trades')]).toBe(2);
    expect(m.rows[1][m.columns.indexOf('sharpe')]).toBe(0.5);
  });

  it('knows which metrics are better when lower (the keys themselves: tests/engine/metrics/keys.test.ts)', () => {
    expect(defaultOrder('sharpe')).toBe('desc');
    expect(defaultOrder('max_drawdown_pct')).toBe('desc'); // negative percentages: closer to 0 is better
    expect(defaultOrder('volatility_ann_pct')).toBe('asc');
    expect([defaultOrder('brier'), defaultOrder('ece'), defaultOrder('hit_rate_pct'), defaultOrder('predictions')]).toEqual(['asc', 'asc', 'desc', 'desc']);
    expect([defaultDirection('brier'), defaultDirection('ece'), defaultDirection('sharpe')]).toEqual(['minimize', 'minimize', 'maximize']);
  });

  it('refuses an unknown metric name with the accepted keys and a guess', () => {
    expect(guessMetric('sharpe_ratio')).toBe('sharpe');
    expect(guessMetric('sharp')).toBe('sharpe');
    expect(guessMetric('win_rate')).toBe('win_rate_pct');
    expect(guessMetric('max_drawdown')).toBe('max_drawdown_pct');
    expect(guessMetric('zzz')).toBeUndefined();
    expect(checkMetric('trades', 'rank_by')).toBe('trades');
    expect(() => checkMetric('sharpe_ratio', 'rank_by')).toThrow(/unknown metric "sharpe_ratio"/);
    try {
      checkMetric('sharpe_ratio', 'rank_by');
    } catch (e) {
      const d = (e as { detail: { field: string; expected: string; hint: string } }).detail;
      expect(d.field).toBe('rank_by');
      expect(d.expected).toContain('sortino');
      expect(d.hint).toBe('did you mean sharpe?');
    }
  });
});
