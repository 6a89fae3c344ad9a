/**
 * The public reference case (EXECUTION.md §5) through the exact CLI command of the
 * contract: backtesting.py 0.6.6's pinned numbers, relative tolerance 1e-6, exact trade count.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeShared, REPO_ROOT, sharedDataPath } from '../helpers/shared-data.js';
import { REFERENCE_METRICS } from '../helpers/reference-case.js';

const EXPECTED = REFERENCE_METRICS;

describeShared('CLI reference case (EXECUTION.md §5)', 'goog_1d.csv', () => {
  it('reproduces every pinned backtesting.py number through `tradelab backtest --json`', () => {
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
        '{"fast":10,"slow":30,"direction":"long_short"}',
        '--profile',
        'backtesting.py',
        '--cash',
        '10000',
        '--commission',
        '0',
        '--finalize-trades',
        '--json',
      ],
      { encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: '/nonexistent-not-used' } },
    );
    const r = JSON.parse(out) as { metrics: Record<string, number>; trades: unknown[]; warnings: string[] };
    expect(Object.keys(r).sort()).toEqual(['metrics', 'trades', 'warnings']);
    expect(r.trades).toHaveLength(66);
    for (const [k, want] of Object.entries(EXPECTED)) {
      const got = r.metrics[k];
      expect(typeof got, k).toBe('number');
      expect(Math.abs(got - want) / Math.abs(want), `${k}: got ${got}, want ${want}`).toBeLessThanOrEqual(1e-6);
    }
  });
});
