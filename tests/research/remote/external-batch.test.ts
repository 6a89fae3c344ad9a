/**
 * backtest_batch with n_workers: "external" over MCP: the items are queued in the shared
 * PostgreSQL storage, two real `tradelab worker` processes run them, and the server stores
 * each as a child run of the batch, with exactly the metrics the same batch gives locally.
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
import { storedMetrics } from '../../../src/research/runs.js';
import { getRun, listRuns } from '../../../src/storage/runs.js';
import { CLI } from '../../helpers/cli-study.js';
import { dataOf, harness, textOf, type Harness } from '../../helpers/mcp.js';
import { postgresForFile } from '../../helpers/postgres.js';

const fx = postgresForFile();
let dir: string;
const open: Harness[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-xbatch-'));
});
afterAll(async () => {
  for (const h of open) {
    await closeShared(h.app);
    await h.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

const BATCH = { strategy: 'sma_cross', symbols: ['XA', 'XB'], timeframes: ['1h'], param_sets: [{ fast: 5, slow: 20 }, { fast: 8, slow: 30 }, { fast: 12, slow: 50 }], rank_by: 'sharpe' };

async function server(shared?: string): Promise<Harness> {
  // answers with the run at once (wait budget 0): the workers start after the call
  const app = openApp({ dbFile: ':memory:', home: dir, root: dir, config: { wait_seconds: 0 }, ...(shared ? { shared_storage: shared } : {}) });
  for (const [symbol, seed] of [['XA', 1], ['XB', 2]] as const) {
    insertDataset(app.db, { candles: generateSynthetic({ symbol, timeframe: '1h', bars: 20_000, seed, start: Date.UTC(2023, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
  }
  const h = await harness({ app });
  open.push(h);
  return h;
}

/** Each item's metrics by its dataset and params. */
function itemMetrics(h: Harness, batchId: string): Map<string, unknown> {
  const items = listRuns(h.app.db, { parent_id: batchId, limit: 100, offset: 0 }).runs;
  return new Map(items.map((r) => [JSON.stringify([r.dataset_id, r.spec.params]), storedMetrics(h.app, r.id)]));
}

describe('backtest_batch n_workers: "external"', () => {
  it('is refused, naming the field, on a server without a shared storage', async () => {
    const h = await server();
    const r = await h.call('backtest_batch', { ...BATCH, n_workers: 'external' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/n_workers.*TRADELAB_DATABASE_URL/s);
  });

  it('runs the items on two workers and stores them here with the metrics a local batch gives', async () => {
    const url = await fx.server.createDatabase();
    const h = await server(url);
    const started = dataOf<{ run_id: string }>(await h.call('backtest_batch', { ...BATCH, n_workers: 'external' }));
    const workers = [0, 1].map(() => spawn(process.execPath, [CLI, 'worker', '--storage', url, '--idle-exit', '1'], { stdio: ['ignore', 'ignore', 'pipe'] }));
    const logs = workers.map((w) => {
      let s = '';
      w.stderr.on('data', (b: Buffer) => (s += b.toString()));
      return () => s;
    });
    const codes = await Promise.all(workers.map((w) => new Promise<number | null>((r) => w.on('exit', r))));
    expect(codes, logs.map((l) => l()).join('\n')).toEqual([0, 0]);
    expect(logs.map((l) => l()).join('\n')).toMatch(/ran \d+ queued backtest/);
    const { done } = await h.jobs.wait(started.run_id, 60_000);
    expect(done).toBe(true);
    const run = getRun(h.app.db, started.run_id)!;
    expect(run.status).toBe('succeeded');
    expect((run.summary as { counts: Record<string, number> }).counts).toMatchObject({ items: 6, ok: 6, failed: 0 });

    const local = await server();
    const mine = dataOf<{ run_id: string }>(await local.call('backtest_batch', BATCH));
    await local.jobs.wait(mine.run_id, 60_000);
    const remote = itemMetrics(h, started.run_id);
    const here = itemMetrics(local, mine.run_id);
    expect(remote.size).toBe(6);
    expect([...remote.values()].every((m) => typeof (m as { sharpe?: unknown })?.sharpe === 'number')).toBe(true);
    expect(remote).toEqual(here);
  }, 120_000);

  it('cancel_run withdraws the items no worker has taken: the batch ends with them cancelled', async () => {
    const url = await fx.server.createDatabase();
    const h = await server(url);
    const many = Array.from({ length: 40 }, (_, k) => ({ fast: 3 + k, slow: 60 + k }));
    const started = dataOf<{ run_id: string }>(await h.call('backtest_batch', { ...BATCH, symbols: ['XA'], param_sets: many, n_workers: 'external' }));
    const remote = await sharedRemote(h.app);
    // every item queued, none taken (no worker runs)
    while ((await remote.tasks.anyWaiting()) === false) await new Promise((r) => setTimeout(r, 20));
    expect((await h.call('cancel_run', { run_id: started.run_id })).isError).toBeFalsy();
    const { done } = await h.jobs.wait(started.run_id, 30_000);
    expect(done).toBe(true);
    const summary = getRun(h.app.db, started.run_id)!.summary as { counts: Record<string, number> };
    expect(summary.counts).toMatchObject({ items: 40, ok: 0, cancelled: 40 });
    expect(await remote.tasks.anyWaiting()).toBe(false);
  }, 60_000);
});
