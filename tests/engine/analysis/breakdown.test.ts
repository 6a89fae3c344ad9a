import { describe, expect, it } from 'vitest';
import { calendarBreakdown } from '../../../src/engine/analysis/breakdown.js';

describe('calendarBreakdown (UTC)', () => {
  const time = [Date.UTC(2024, 0, 15), Date.UTC(2024, 0, 31, 23), Date.UTC(2024, 1, 10), Date.UTC(2024, 3, 1), Date.UTC(2025, 0, 5)];
  const equity = [100, 110, 99, 113.85, 125.235];
  const b = calendarBreakdown(equity, time);

  it('monthly returns from month-end equity, the first from the starting equity; gaps flagged', () => {
    expect(b.monthly.map((m) => [m.year, m.month, Math.round(m.return_pct * 1e9) / 1e9, m.spans_gap])).toEqual([
      [2024, 1, 10, false],
      [2024, 2, -10, false],
      [2024, 4, 15, true],
      [2025, 1, 10, true],
    ]);
    expect(b.warnings[0]).toMatch(/2 monthly/);
  });
  it('yearly returns, best/worst month and share of positive months', () => {
    expect(b.yearly.map((y) => [y.year, Math.round(y.return_pct * 1e9) / 1e9])).toEqual([
      [2024, 13.85],
      [2025, 10],
    ]);
    expect(b.best_month).toMatchObject({ year: 2024, month: 4 });
    expect(b.worst_month).toMatchObject({ year: 2024, month: 2 });
    expect(b.positive_months_pct).toBe(75);
  });
});
