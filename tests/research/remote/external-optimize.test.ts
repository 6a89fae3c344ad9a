/**
 * The optimize tool with n_workers: "external" over MCP: the call returns a run at once, two
 * real `tradelab worker` processes run the trials from the shared PostgreSQL storage, and the
 * server's run follows them: progress counts every worker's trials, and the summary (best
 * trial re-run here as a stored backtest) is written when the study has its n_trials.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import { openApp } from '../../../src/research/app.js';
import { closeShared, sharedRemote } from '../../../src/research/remote/shared.js';
import { insertDataset } from '../../../src/storage/datasets.js';
import { entriesBySourcePrefix } from '../../../src/storage/ledger.js';
import { getRun } from '../../../src/storage/runs.js';
import { CLI } from '../../helpers/cli-study.js';
import { dataOf, harness, textOf, type Harness } from '../../helpers/mcp.js';
import { postgresForFile } from '../../helpers/postgres.js';

const fx = postgresForFile();
let dir: string;
let h: Harness | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-external-'));
});
afterAll(async () => {
  if (h) {
    await closeShared(h.app);
    await h.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

const TASK = { strategy: 'sma_cross', symbol: 'EXT', timeframe: '1h', study_name: 'ext', sampler: 'random', n_trials: 12, seed: 4 };

describe('optimize n_workers: "external"', () => {
  it('is refused, naming the field and what to set, when the server has no shared storage', async () => {
    const plain = await harness();
    try {
      insertDataset(plain.app.db, { candles: generateSynthetic({ symbol: 'EXT', timeframe: '1h', bars: 3000, seed: 2, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
      const r = await plain.call('optimize', { ...TASK, n_workers: 'external' });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/n_workers.*TRADELAB_DATABASE_URL/s);
    } finally {
      await plain.close();
    }
  });

  it('returns a running run at once; workers run the trials; get_run follows them to the summary', async () => {
    const url = await fx.server.createDatabase();
    const app = openApp({ dbFile: ':memory:', home: dir, root: dir, config: {}, shared_storage: url });
    h = await harness({ app });
    insertDataset(app.db, { candles: generateSynthetic({ symbol: 'EXT', timeframe: '1h', bars: 20_000, seed: 2, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
    const started = dataOf<{ run_id: string; status: string }>(await h.call('optimize', { ...TASK, n_workers: 'external', wait_seconds: 0 }));
    expect(started.status).toMatch(/queued|running/);
    const remote = await sharedRemote(app);
    const study = (await remote.store.getStudy('ext'))!;
    expect(study.system_attrs.tradelab_task).toMatchObject({ n_trials: 12 });
    expect(await remote.store.listTrials(study.study_id)).toEqual([]); // nothing ran yet: no worker

    const workers = [0, 1].map(() => spawn(process.execPath, [CLI, 'worker', '--storage', url, '--idle-exit', '1'], { stdio: ['ignore', 'ignore', 'pipe'] }));
    const codes = await Promise.all(workers.map((w) => new Promise<number | null>((r) => w.on('exit', r))));
    expect(codes).toEqual([0, 0]);

    const { done } = await h.jobs.wait(started.run_id, 30_000);
    expect(done).toBe(true);
    const run = getRun(app.db, started.run_id)!;
    expect(run.status).toBe('succeeded');
    expect(run.progress?.done).toBe(12);
    const summary = run.summary as Record<string, any>;
    expect(summary.counts.COMPLETE).toBe(12);
    expect(summary.stopped.reason).toBe('n_trials');
    expect(getRun(app.db, summary.best.run_id)?.kind).toBe('backtest');
    // every worker's trial counts in this server's trial ledger, under this run, with its statistics
    const entries = entriesBySourcePrefix(app.db, 'trial', `${started.run_id}#`);
    expect(entries.length).toBe(12);
    expect(entries.every((x) => x.outcome === 'complete' && x.n_periods > 0 && x.blocks.length === 16)).toBe(true);
    const trialsNow = await remote.store.listTrials(study.study_id);
    expect(trialsNow.every((t) => typeof t.user_attrs.ledger === 'object')).toBe(true);
    // run by the workers, not by the server (which has no owner of its own among them)
    const owners = new Set((await remote.store.listTrials(study.study_id)).map((t) => String(t.system_attrs.owner)));
    expect([...owners].every((o) => /:\d+$/.test(o) && !o.endsWith(`:${process.pid}`))).toBe(true);
    const view = await h.call('get_run', { run_id: started.run_id });
    expect(textOf(view)).toMatch(/succeeded \(12\/12\)/);
    const trials = await h.call('get_run', { run_id: started.run_id, include: 'trials' });
    expect(trials.isError).toBe(true);
    expect(textOf(trials)).toMatch(/shared storage.*optuna\.load_study/s);
    expect(dataOf<{ top: { items: unknown[] } }>(await h.call('get_run', { run_id: started.run_id, include: 'top' })).top.items.length).toBeGreaterThan(0);
  }, 120_000);

  it('cancel_run stops the workers too: they take no new trial of the study, and the run ends cancelled', async () => {
    const app = h!.app;
    insertDataset(app.db, { candles: generateSynthetic({ symbol: 'EXC', timeframe: '1m', bars: 300_000, seed: 3, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
    const started = dataOf<{ run_id: string }>(await h!.call('optimize', { strategy: 'sma_cross', symbol: 'EXC', timeframe: '1m', study_name: 'cancel-me', sampler: 'random', n_trials: 2_000, n_workers: 'external', wait_seconds: 0 }));
    const remote = await sharedRemote(app);
    const study = (await remote.store.getStudy('cancel-me'))!;
    const url = app.shared_storage!;
    const w = spawn(process.execPath, [CLI, 'worker', '--storage', url, '--idle-exit', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    w.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((r) => w.on('exit', r));
    while ((await remote.store.listTrials(study.study_id)).filter((t) => t.state === 'COMPLETE').length < 3) await new Promise((r) => setTimeout(r, 20));
    expect((await h!.call('cancel_run', { run_id: started.run_id })).isError).toBeFalsy();
    const { done } = await h!.jobs.wait(started.run_id, 30_000);
    expect(done).toBe(true);
    const run = getRun(app.db, started.run_id)!;
    expect((run.summary as Record<string, any>).stopped.reason).toBe('cancelled');
    expect(await exited, stderr).toBe(0);
    expect(stderr).toMatch(/study cancel-me was cancelled: stopping at the next trial boundary/);
    const trials = await remote.store.listTrials(study.study_id);
    expect(trials.filter((t) => t.state === 'RUNNING')).toEqual([]);
    expect(trials.filter((t) => t.state === 'COMPLETE').length).toBeLessThan(2_000);
    expect((await remote.store.getStudy('cancel-me'))!.system_attrs.tradelab_cancelled).toBeTruthy();
  }, 120_000);

  it('runs a strategy defined in the strategy language on the workers (it travels as its document)', async () => {
    const app = h!.app;
    const doc = 'name: ext_rsi\nparams:\n  period: { type: int, default: 14, low: 5, high: 30 }\nindicators:\n  r: rsi(close, period)\nrules:\n  long_entry: r < 30\n  long_exit: r > 70\n';
    expect((await h!.call('define_strategy', { definition: doc })).isError).toBeFalsy();
    const started = dataOf<{ run_id: string }>(await h!.call('optimize', { strategy: 'ext_rsi', symbol: 'EXT', timeframe: '1h', study_name: 'lang', sampler: 'random', n_trials: 6, n_workers: 'external', wait_seconds: 0 }));
    const w = spawn(process.execPath, [CLI, 'worker', '--storage', app.shared_storage!, '--study', 'lang', '--idle-exit', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    w.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    expect(await new Promise((r) => w.on('exit', r)), stderr).toBe(0);
    expect(stderr).toMatch(/study lang: 6 trial\(s\) run here/);
    const { done } = await h!.jobs.wait(started.run_id, 30_000);
    expect(done).toBe(true);
    const run = getRun(app.db, started.run_id)!;
    expect(run.status).toBe('succeeded');
    expect((run.summary as Record<string, any>).counts.COMPLETE).toBe(6);
    expect((run.summary as Record<string, any>).strategy).toBe('ext_rsi');
  }, 120_000);
});
