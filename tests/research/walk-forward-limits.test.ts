/**
 * walk_forward's limits: max_windows and windows × n_trials refused up front (naming is, oos,
 * step and the counts), and the job's wall-time limit stopping it at a window boundary with
 * the finished windows reported and stitched, a window whose study it cut left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp, type App } from '../../src/research/app.js';
import { parseWalkForward } from '../../src/research/walk-forward/index.js';
import { prepareWalkForward, runWalkForward } from '../../src/research/walk-forward/run.js';
import { createRun } from '../../src/storage/runs.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';
import { sqliteOf } from '../helpers/sqlite.js';

const START = Date.UTC(2024, 0, 1);
const candles = generateSynthetic({ symbol: 'WFL', timeframe: '1h', bars: 24 * 200, seed: 21, start: START });
const SPACE = { fast: { type: 'int', low: 5, high: 20 }, slow: { type: 'int', low: 30, high: 120, step: 10 } };
const REQ = { strategy: 'sma_cross', symbol: 'WFL', timeframe: '1h', is: '60d', oos: '20d', n_trials: 8, seed: 4, space: SPACE };

describe('walk_forward window limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ config: { limits: { max_windows: 50, max_trials: 40 } } });
    insertDataset(h.app.db, { candles, source: 'test', isSynthetic: true, now: 1 });
  });
  afterAll(async () => h.close());
  const runs = (): unknown => sqliteOf(h.app).prepare('SELECT COUNT(*) AS n FROM runs').get();

  it('refuses more windows than limits.max_windows before anything runs, naming is, oos, step and the count', async () => {
    const r = await h.call('walk_forward', { ...REQ, is: 50, oos: 1, params: { fast: 10, slow: 30 } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^walk_forward: is 50, oos 1, step 1 make 4750 windows, above the limit of 50 \(limits\.max_windows\); field: is\/oos\/step; got: \{"is":50,"oos":1,"step":1\}; expected: at most 50 windows: longer oos or step, or a shorter from\/to range$/);
    expect(runs()).toEqual({ n: 0 });
  });

  it('refuses windows × n_trials above limits.max_trials when it optimises, not for fixed params', async () => {
    const r = await h.call('walk_forward', REQ);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^walk_forward: 7 windows × 8 in-sample trials = 56 trials, above the limit of 40 \(limits\.max_trials\); field: n_trials; expected: at most 5 trials per window with 7 windows, or fewer windows \(longer oos or step\)$/);
    expect(runs()).toEqual({ n: 0 });
    const fixed = dataOf<{ windows: number; stopped: { reason: string; detail: string } }>(await h.call('walk_forward', { ...REQ, params: { fast: 10, slow: 30 } }));
    expect(fixed.windows).toBe(7);
    expect(fixed.stopped).toEqual({ reason: 'windows', detail: 'all 7 windows ran' });
    expect(dataOf<{ windows: number }>(await h.call('walk_forward', { ...REQ, n_trials: 5 })).windows).toBe(7);
  });

  it('server_info reports max_windows', async () => {
    expect(dataOf<{ limits: { max_windows: number } }>(await h.call('server_info')).limits.max_windows).toBe(50);
  });
});

describe('walk_forward under the wall-time limit', () => {
  let app: App;
  const clock = { t: Date.UTC(2025, 0, 1), jumpAfterReads: Infinity };
  beforeAll(() => {
    // a clock that stands still until armed, then jumps an hour after a given number of readings
    app = openApp({
      dbFile: ':memory:',
      home: '/nonexistent-tradelab-home',
      root: '/nonexistent-tradelab-root',
      now: () => {
        if (--clock.jumpAfterReads <= 0) {
          clock.t += 3_600_000;
          clock.jumpAfterReads = Infinity;
        }
        return clock.t;
      },
    });
    insertDataset(app.db, { candles, source: 'test', isSynthetic: true, now: 1 });
  });
  afterAll(() => app.db.close());

  async function walk(armAfterWindow: number, reads: number) {
    const req = parseWalkForward(REQ);
    const prep = prepareWalkForward(app, req);
    const run = createRun(app.db, { kind: 'walk_forward', status: 'running', spec: {}, now: clock.t });
    const wall = { deadline: clock.t + 1000, seconds: 1 };
    return runWalkForward(app, req, prep, {
      run_id: run.id,
      signal: new AbortController().signal,
      wall,
      onWindow: (done) => {
        if (done === armAfterWindow) clock.jumpAfterReads = reads;
      },
    }) as Promise<{ windows: number; windows_planned: number; stopped_early: boolean; stopped: { reason: string; detail: string }; per_window: { index: number; oos_metrics: unknown }[]; oos: { bars: number } | null }>;
  }

  it('stops at the next window boundary, keeping the finished windows stitched', async () => {
    const r = await walk(2, 1); // the first clock reading after window 2 is past the limit
    expect(r.windows).toBe(2);
    expect(r.windows_planned).toBe(7);
    expect(r.stopped_early).toBe(true);
    expect(r.stopped).toEqual({ reason: 'wall_limit', detail: 'the wall-time limit of 1 s per job (limits.max_wall_seconds) was reached after 2 of 7 windows; the finished windows are reported and stitched' });
    expect(r.per_window.map((w) => w.index)).toEqual([0, 1]);
    expect(r.per_window.every((w) => w.oos_metrics !== null)).toBe(true);
    expect(r.oos).not.toBeNull();
  });

  it("leaves out a window whose in-sample study the limit cut short", async () => {
    const r = await walk(3, 12); // the limit passes a few trials into window 3's study
    expect(r.windows).toBe(3);
    expect(r.stopped.reason).toBe('wall_limit');
    expect(r.stopped.detail).toMatch(/^the wall-time limit of 1 s per job \(limits\.max_wall_seconds\) was reached after 3 of 7 windows \(window 3's in-sample study was stopped after [1-7] of 8 trials and is left out\); the finished windows are reported and stitched$/);
    expect(r.per_window.map((w) => w.index)).toEqual([0, 1, 2]);
  });
});
