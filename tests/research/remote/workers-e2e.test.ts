/**
 * Four `tradelab worker` processes on one study in a real PostgreSQL server; one is SIGKILLed
 * mid-trial. The study still ends with exactly n_trials COMPLETE trials, none lost and none
 * run twice; the killed trial is failed (no heartbeat) and retried once with its params.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import type { FrozenTrial } from '../../../src/engine/optimizer/trial.js';
import { openApp, type App } from '../../../src/research/app.js';
import { openRemote, type RemoteBackend } from '../../../src/research/remote/backend.js';
import { enqueueStudy } from '../../../src/research/remote/task.js';
import { insertDataset } from '../../../src/storage/datasets.js';
import { CLI } from '../../helpers/cli-study.js';
import { postgresForFile } from '../../helpers/postgres.js';

const N_TRIALS = 40;
const fx = postgresForFile();
let url: string;
let dir: string;
let app: App;
let remote: RemoteBackend;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-workers-'));
  app = openApp({ home: dir, config: {} });
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'WRK', timeframe: '1m', bars: 400_000, seed: 11, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
});

afterAll(async () => {
  await remote?.close();
  app?.db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function worker(): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [CLI, 'worker', '--storage', url, '--idle-exit', '2', '--concurrency', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => err };
}

async function trials(studyId: number): Promise<FrozenTrial[]> {
  return remote.store.listTrials(studyId);
}

describe('tradelab worker × 4 on one PostgreSQL study, one SIGKILLed mid-trial', () => {
  it('completes exactly n_trials trials; the killed trial is failed and retried once', async () => {
    url = await fx.server.createDatabase(); // fails the test, with the reason, when PostgreSQL cannot start
    remote = await openRemote(url);
    const e = await enqueueStudy(app, remote, { strategy: 'sma_cross', symbol: 'WRK', timeframe: '1m', study_name: 'e2e', sampler: 'tpe', pruner: 'none', n_trials: N_TRIALS, seed: 3 } as never, { heartbeat_ms: 200, grace_ms: 1500 });
    const workers = [worker(), worker(), worker(), worker()];
    const victim = workers[0];
    const owner = `${hostname()}:${victim.child.pid}`;
    // kill the first worker as soon as it is seen running a trial
    let killed: number[] = [];
    const deadline = Date.now() + 60_000;
    while (killed.length === 0 && Date.now() < deadline) {
      const running = (await trials(e.study_id)).filter((t) => t.state === 'RUNNING' && t.system_attrs.owner === owner);
      if (running.length > 0) {
        victim.child.kill('SIGKILL');
        await victim.exited;
        killed = (await trials(e.study_id)).filter((t) => t.state === 'RUNNING' && t.system_attrs.owner === owner).map((t) => t.number);
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(killed.length, 'the victim was killed with a trial RUNNING').toBeGreaterThan(0);
    const codes = await Promise.all(workers.slice(1).map((w) => w.exited));
    expect(codes, workers.map((w) => w.stderr()).join('\n')).toEqual([0, 0, 0]);

    const all = await trials(e.study_id);
    const complete = all.filter((t) => t.state === 'COMPLETE');
    expect(complete.length).toBe(N_TRIALS);
    expect(all.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
    expect(new Set(all.map((t) => t.number)).size).toBe(all.length);
    // what a worker checks before opening a study: its budget used, nothing open
    expect(await remote.studyWork(e.study_id)).toEqual({ counted: N_TRIALS, open: 0 });
    // every trial is COMPLETE but the killed ones, each FAIL and retried exactly once
    expect(all.length).toBe(N_TRIALS + killed.length);
    for (const n of killed) {
      const dead = all[n];
      expect(dead.state).toBe('FAIL');
      expect(String(dead.system_attrs.fail_reason)).toMatch(/heartbeat/);
      const retry = all[dead.system_attrs.retried_as as number];
      expect(retry.state).toBe('COMPLETE');
      expect(retry.params).toEqual(dead.params);
      expect(retry.system_attrs.failed_trial).toBe(n);
    }
    // the three live workers all took trials
    const owners = new Set(complete.map((t) => t.system_attrs.owner));
    expect(owners.size).toBeGreaterThanOrEqual(3);
  }, 180_000);
});
