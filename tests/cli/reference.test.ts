/**
 * backtesting.py 0.6.6's numbers through the exact CLI command of the contract, relative
 * tolerance 1e-6, exact trade count: the public reference case (EXECUTION.md §5, no fees)
 * and backtesting.py's README example (commission .002, last trade left open).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeShared, REPO_ROOT, sharedDataPath } from '../helpers/shared-data.js';
import { README_CASE_METRICS, REFERENCE_METRICS } from '../helpers/reference-case.js';

function backtestJson(params: string, extra: readonly string[]): { metrics: Record<string, number | null>; trades: unknown[]; warnings: string[] } {
  const out = execFileSync(
    process.execPath,
    [
      join(REPO_ROOT, 'bin', 'tradelab.js'),
      'backtest',
      '--csv',
      sharedDataPath('goog_1d.csv'),
      '--strategy',
      'sma_cross',
      '--params',
      params,
      '--profile',
      'backtesting.py',
      '--cash',
      '10000',
      ...extra,
      '--json',
    ],
    { encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: '/nonexistent-not-used' } },
  );
  return JSON.parse(out) as { metrics: Record<string, number | null>; trades: unknown[]; warnings: string[] };
}

function expectPinned(metrics: Record<string, number | null>, expected: Readonly<Record<string, number>>): void {
  for (const [k, want] of Object.entries(expected)) {
    const got = metrics[k];
    expect(typeof got, k).toBe('number');
    expect(Math.abs((got as number) - want) / Math.abs(want), `${k}: got ${got}, want ${want}`).toBeLessThanOrEqual(1e-6);
  }
}

describeShared('CLI reference cases (backtesting.py 0.6.6)', 'goog_1d.csv', () => {
  it('EXECUTION.md §5: reproduces every pinned number through `tradelab backtest --json`', () => {
    const r = backtestJson('{"fast":10,"slow":30,"direction":"long_short"}', ['--commission', '0', '--finalize-trades']);
    expect(Object.keys(r).sort()).toEqual(['metrics', 'trades', 'warnings']);
    expect(r.trades).toHaveLength(66);
    expectPinned(r.metrics, REFERENCE_METRICS);
  });

  it("backtesting.py's README case (commission .002, SmaCross 10/20): every number, commissions included", () => {
    const r = backtestJson('{"fast":10,"slow":20,"direction":"long_short"}', ['--commission', '0.002']);
    expect(r.trades).toHaveLength(93);
    expect(r.metrics.open_trades).toBe(1);
    expectPinned(r.metrics, README_CASE_METRICS);
  });
});
