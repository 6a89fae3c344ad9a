/**
 * limits.max_wall_seconds with the real clock: optimize (n_jobs 1 and 2) and walk_forward jobs
 * whose work would take far longer stop at a trial / window boundary soon after the limit,
 * with reason wall_limit and the finished work kept. The slack allowed is wide (a loaded
 * machine); the point is that they stop, not how fast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { closeEvaluators } from '../../src/research/evaluator.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, type Harness } from '../helpers/mcp.js';

const WALL = 2;
const SPACE = { period: { type: 'int', low: 2, high: 200 }, lower: { type: 'float', low: 5, high: 45 }, upper: { type: 'float', low: 55, high: 95 } };
/** The time allowed past the limit for the trial or window in flight and the final summary. */
const SLACK_S = 15;

let h: Harness;
beforeAll(async () => {
  h = await harness({ config: { limits: { max_wall_seconds: WALL } } });
  insertDataset(h.app.db, { candles: generateSynthetic({ symbol: 'WALL', timeframe: '1h', bars: 24 * 730, seed: 5, start: Date.UTC(2022, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
});
afterAll(async () => {
  await h.close();
  await closeEvaluators(h.app);
});

interface Stopped {
  status: string;
  stopped: { reason: string; detail: string };
}

describe('max_wall_seconds with the real clock', () => {
  for (const n_jobs of [1, 2]) {
    it(`stops optimize with n_jobs ${n_jobs} at a trial boundary`, async () => {
      const t0 = performance.now();
      const d = dataOf<Stopped & { trials_total: number; counts: Record<string, number> }>(
        // a continuous space: a default (stepped) one is small enough for answers from the result
        // cache to exhaust it within the limit on a quiet machine
        await h.call('optimize', { strategy: 'rsi_reversion', symbol: 'WALL', timeframe: '1h', space: SPACE, n_trials: 5000, n_jobs, sampler: 'random', seed: n_jobs, study_name: `wall-${n_jobs}`, wait_seconds: 120 }),
      );
      const elapsed = (performance.now() - t0) / 1000;
      expect(d.status).toBe('succeeded');
      expect(d.stopped.reason).toBe('wall_limit');
      expect(d.trials_total).toBeGreaterThan(0);
      expect(d.trials_total).toBeLessThan(5000);
      expect(d.counts.RUNNING).toBe(0); // the trials in flight finished and were stored
      expect(elapsed).toBeGreaterThanOrEqual(WALL * 0.9);
      expect(elapsed).toBeLessThan(WALL + SLACK_S);
    }, 60_000);
  }

  it('stops walk_forward at a window boundary, the finished windows stitched', async () => {
    const t0 = performance.now();
    const d = dataOf<Stopped & { windows: number; windows_planned: number; oos: { bars: number } | null }>(
      await h.call('walk_forward', { strategy: 'rsi_reversion', symbol: 'WALL', timeframe: '1h', is: '120d', oos: '5d', n_trials: 40, seed: 1, wait_seconds: 120 }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    expect(d.status).toBe('succeeded');
    expect(d.stopped.reason).toBe('wall_limit');
    expect(d.windows).toBeLessThan(d.windows_planned);
    if (d.windows > 0) expect(d.oos?.bars).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(WALL + SLACK_S);
  }, 60_000);
});
