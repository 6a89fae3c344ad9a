/**
 * The text output of `tradelab backtest` when a run has no drawdown episode: the undefined
 * drawdown metrics print as "n/a" with their warnings, never "null", "NaN" or "null%".
 * (The values themselves are checked against backtesting.py in
 * tests/engine/metrics/no-drawdown.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caseBar, RISING_CLOSE } from '../helpers/no-drawdown-case.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'tradelab-nodd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function risingCsv(): string {
  const rows = RISING_CLOSE.map((_, i) => {
    const [t, o, h, l, c] = caseBar(RISING_CLOSE, i);
    return `${new Date(t).toISOString()},${o},${h},${l},${c},1`;
  });
  const file = join(dir, 'rise.csv');
  writeFileSync(file, ['timestamp,open,high,low,close,volume', ...rows].join('\n') + '\n');
  return file;
}

describe('tradelab backtest text output without a drawdown', () => {
  const csv = risingCsv();
  for (const profile of ['default', 'backtesting.py']) {
    it(`${profile}: avg drawdown and both durations print n/a, each with a warning`, () => {
      const out = execFileSync(
        process.execPath,
        [join(REPO_ROOT, 'bin', 'tradelab.js'), 'backtest', '--csv', csv, '--strategy', 'sma_cross', '--params', '{"fast":3,"slow":6,"direction":"long_only"}', '--profile', profile, '--cash', '10000'],
        { encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: '/nonexistent-not-used' } },
      );
      expect(out).not.toMatch(/null|NaN|Infinity/);
      for (const k of ['avg_drawdown_pct', 'max_drawdown_duration_days', 'avg_drawdown_duration_days']) {
        expect(out).toMatch(new RegExp(`^ {2}${k} +n/a$`, 'm'));
        expect(out).toContain(`warning: ${k}: no drawdown (equity never fell below its running peak)`);
      }
      expect(out).toMatch(/^ {2}max_drawdown_pct +0\.0000$/m);
    });
  }
});
