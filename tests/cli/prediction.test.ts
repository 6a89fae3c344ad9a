/** `tradelab backtest --prediction-horizon` through the built CLI, on real data from ../shared/data. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runBacktest } from '../../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION } from '../../src/engine/backtest/types.js';
import { parseCandlesCsv } from '../../src/engine/data/csv.js';
import { getStrategy } from '../../src/engine/strategies/registry.js';
import { describeShared, REPO_ROOT, sharedDataPath } from '../helpers/shared-data.js';

const FILE = 'eurusd_1h.csv';

function backtest(extra: readonly string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'tradelab.js'), 'backtest', '--csv', sharedDataPath(FILE), '--strategy', 'confidence', '--params', '{"direction":"long_short"}', ...extra, '--json'],
    { encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: '/nonexistent-not-used' }, timeout: 120_000 },
  );
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describeShared('tradelab backtest --prediction-horizon', FILE, () => {
  it('reports the prediction metrics of the horizon asked for, as the engine computes them', () => {
    const parsed = parseCandlesCsv(readFileSync(sharedDataPath(FILE), 'utf8'), { symbol: 'EURUSD', timeframe: '1h' });
    if (!parsed.ok) throw new Error(`${FILE} did not parse`);
    const candles = parsed.candles;
    const def = getStrategy('confidence');
    const params = def.params.parse({ direction: 'long_short' }) as Record<string, unknown>;
    const seen = new Set<number | null>();
    for (const h of [1, 3]) {
      const r = backtest(['--prediction-horizon', String(h)]);
      expect(r.code, r.stderr).toBe(0);
      const m = (JSON.parse(r.stdout) as { metrics: Record<string, number | null> }).metrics;
      const want = runBacktest(candles, def, params, { ...DEFAULT_EXECUTION, prediction_horizon: h }).metrics;
      expect(m.predictions).toBeGreaterThan(0);
      for (const k of ['predictions', 'hit_rate_pct', 'brier', 'ece']) expect(m[k], `${k} H=${h}`).toBe(want[k]);
      seen.add(m.brier);
    }
    expect(seen.size).toBe(2);
  });

  it('a horizon below 1 is refused, naming the flag', () => {
    const r = backtest(['--prediction-horizon', '0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/prediction_horizon/);
    expect(r.stdout).toBe('');
  });
});
