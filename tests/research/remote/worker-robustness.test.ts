/**
 * Workers facing studies they cannot finish as asked: a study whose task this worker refuses
 * is skipped with the reason while the others run, and a grid smaller than n_trials is
 * marked exhausted, so the server following it ends instead of waiting forever.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import type { AttrValue } from '../../../src/engine/optimizer/trial.js';
import { openApp } from '../../../src/research/app.js';
import { closeShared, sharedRemote } from '../../../src/research/remote/shared.js';
import { enqueueStudy, TASK_ATTR } from '../../../src/research/remote/task.js';
import { insertDataset } from '../../../src/storage/datasets.js';
import { getRun } from '../../../src/storage/runs.js';
import { CLI } from '../../helpers/cli-study.js';
import { dataOf, harness, type Harness } from '../../helpers/mcp.js';
import { postgresForFile } from '../../helpers/postgres.js';

const fx = postgresForFile();
let dir: string;
let h: Harness | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-robust-'));
});
afterAll(async () => {
  if (h) {
    await closeShared(h.app);
    await h.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

function runWorker(url: string): Promise<{ code: number | null; stderr: string }> {
  const w = spawn(process.execPath, [CLI, 'worker', '--storage', url, '--idle-exit', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  w.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => w.on('exit', (code) => resolve({ code, stderr })));
}

describe('workers and studies they cannot finish as asked', () => {
  it('skip a study whose task they refuse, run the others, and a grid smaller than n_trials ends as exhausted', async () => {
    const url = await fx.server.createDatabase();
    // this server allows more trials than a worker's defaults (5,000): its workers check tasks against its limits
    const app = openApp({ dbFile: ':memory:', home: dir, root: dir, config: { limits: { max_trials: 6_000 } }, shared_storage: url });
    h = await harness({ app });
    insertDataset(app.db, { candles: generateSynthetic({ symbol: 'ROB', timeframe: '1h', bars: 5_000, seed: 6, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
    const remote = await sharedRemote(app);
    // the oldest study: its stored task names a strategy no worker knows
    const bad = await enqueueStudy(app, remote, { strategy: 'sma_cross', symbol: 'ROB', timeframe: '1h', study_name: 'bad', n_trials: 5 } as never);
    const task = (await remote.store.getStudy('bad'))!.system_attrs[TASK_ATTR] as Record<string, AttrValue>;
    await remote.store.setStudyAttr(bad.study_id, 'system', TASK_ATTR, { ...task, task: { ...(task.task as Record<string, AttrValue>), strategy: 'no_such_strategy' } });
    // a grid of 2 × 3 = 6 points asked for 6,000 trials, followed by the server
    const space = { fast: { type: 'int', low: 5, high: 6 }, slow: { type: 'int', low: 20, high: 22 } };
    const started = dataOf<{ run_id: string }>(await h.call('optimize', { strategy: 'sma_cross', symbol: 'ROB', timeframe: '1h', study_name: 'grid', sampler: 'grid', space, n_trials: 6_000, n_workers: 'external', wait_seconds: 0 }));

    const w = await runWorker(url);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toMatch(/study bad skipped by this worker: .*no_such_strategy/);
    expect(w.stderr).toMatch(/study grid: 6 trial\(s\) run here; stopped \(exhausted\)/);

    const { done } = await h.jobs.wait(started.run_id, 30_000);
    expect(done).toBe(true);
    const run = getRun(app.db, started.run_id)!;
    expect(run.status).toBe('succeeded');
    const summary = run.summary as Record<string, any>;
    expect(summary.stopped.reason).toBe('exhausted');
    expect(summary.counts.COMPLETE).toBe(6);
    expect(await remote.store.listTrials(bad.study_id)).toEqual([]);
  }, 120_000);
});
