import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_EXECUTION } from '../../../src/engine/backtest/types.js';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import { TaskCancelled } from '../../../src/engine/cancel.js';
import { WorkerPool } from '../../../src/engine/parallel/pool.js';
import { ENGINE_WORKER_SCRIPT } from '../../../src/research/evaluator.js';
import { executeTask, SeriesCaches, type BacktestTask } from '../../../src/engine/parallel/task.js';

const PROBE = fileURLToPath(new URL('../../fixtures/probe-worker.mjs', import.meta.url));
const candles = generateSynthetic({ symbol: 'P', timeframe: '1h', bars: 50, seed: 1, start: Date.UTC(2022, 0, 1) });
const pools: WorkerPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

function pool(size: number, depth?: number): WorkerPool {
  const p = new WorkerPool(size, PROBE, depth);
  p.load('k', candles);
  pools.push(p);
  return p;
}

function task(params: Record<string, unknown>): BacktestTask {
  return { key: 'k', start: 0, end: 50, strategy: 'probe', params, spec: DEFAULT_EXECUTION, want: 'metrics' };
}

describe('WorkerPool', () => {
  it('runs at most `size` tasks at once while keeping each worker`s next task queued, and answers every task', async () => {
    const p = pool(2, 2);
    const probe = new SharedArrayBuffer(12);
    const out = (await Promise.all(Array.from({ length: 12 }, (_, n) => p.run(task({ probe, ms: 15, n }))))) as unknown as { n: number; thread: number }[];
    const c = new Int32Array(probe);
    expect(out.map((r) => r.n)).toEqual(Array.from({ length: 12 }, (_, n) => n * 2));
    expect(c[1]).toBe(2); // peak of tasks running at the same time
    expect(c[2]).toBe(12);
    expect(new Set(out.map((r) => r.thread)).size).toBe(2); // both workers used
  });

  it('with depth 1 behaves as a plain p-limit of size', async () => {
    const p = pool(3, 1);
    // workers started first, and tasks long enough to overlap on a loaded machine (a thread's
    // start-up alone can outlast a 10 ms task there, so the peak was sometimes 2)
    await Promise.all(Array.from({ length: 3 }, (_, n) => p.run(task({ probe: new SharedArrayBuffer(12), ms: 1, n }))));
    const probe = new SharedArrayBuffer(12);
    await Promise.all(Array.from({ length: 9 }, (_, n) => p.run(task({ probe, ms: 150, n }))));
    expect(new Int32Array(probe)[1]).toBe(3);
  });

  it("rejects a failing task's promise only", async () => {
    const p = pool(2);
    const probe = new SharedArrayBuffer(12);
    const runs = [0, 1, 2, 3].map((n) => p.run(task({ probe, ms: 5, n, fail: n === 2 })));
    const settled = await Promise.allSettled(runs);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((settled[2] as PromiseRejectedResult).reason.message).toMatch(/task 2 failed on purpose/);
  });

  it('a worker that dies fails only its own tasks; the pool replaces it', async () => {
    const p = pool(2, 2);
    const probe = new SharedArrayBuffer(12);
    const runs = [0, 1, 2, 3, 4, 5].map((n) => p.run(task({ probe, ms: 20, n, crash: n === 2 })));
    const settled = await Promise.allSettled(runs);
    const rejected = settled.flatMap((s, n) => (s.status === 'rejected' ? [n] : []));
    // task 2 crashed its worker; at most the one task queued behind it on that worker fails too
    expect(rejected).toContain(2);
    expect(rejected.length).toBeLessThanOrEqual(2);
    for (const n of rejected) expect((settled[n] as PromiseRejectedResult).reason.message).toMatch(/worker thread stopped: probe worker crashed on task 2/);
    const after = (await Promise.all([6, 7, 8].map((n) => p.run(task({ probe, ms: 1, n }))))) as unknown as { n: number }[];
    expect(after.map((r) => r.n)).toEqual([12, 14, 16]);
  });

  it('gives up a task queued at a busy worker when its signal aborts (the engine worker)', async () => {
    const p = new WorkerPool(1, ENGINE_WORKER_SCRIPT, 2);
    pools.push(p);
    const big = generateSynthetic({ symbol: 'B', timeframe: '1m', bars: 400_000, seed: 2, start: Date.UTC(2022, 0, 1) });
    p.load('big', big);
    const t = (params: Record<string, unknown>): BacktestTask => ({ key: 'big', start: 0, end: 400_000, strategy: 'sma_cross', params: { fast: 10, slow: 30, direction: 'long_only', ...params }, spec: DEFAULT_EXECUTION, want: 'metrics' });
    const ctl = new AbortController();
    const first = p.run(t({}));
    const queued = p.run(t({ fast: 12 }), undefined, ctl.signal);
    // both posted to the one worker, which is busy with the first (tens of ms on 400k bars)
    await new Promise((r) => setImmediate(r));
    ctl.abort();
    await expect(queued).rejects.toBeInstanceOf(TaskCancelled);
    expect((await first).metrics.trades).toBeGreaterThan(0);
    // a signal aborted before the task is dispatched: refused at once; the pool carries on
    await expect(p.run(t({ fast: 14 }), undefined, ctl.signal)).rejects.toThrow(/cancelled before it started/);
    expect((await p.run(t({ fast: 15 }), undefined, new AbortController().signal)).metrics.trades).toBeGreaterThan(0);
  });

  it("shares indicators between workers: one computed by a worker is not computed again by the other", async () => {
    const p = new WorkerPool(2, ENGINE_WORKER_SCRIPT, 1);
    pools.push(p);
    const series = generateSynthetic({ symbol: 'S', timeframe: '1h', bars: 20_000, seed: 4, start: Date.UTC(2022, 0, 1) });
    p.load('s', series);
    const t = (period: number, lower = 30): BacktestTask => ({ key: 's', start: 0, end: 20_000, strategy: 'rsi_reversion', params: { period, lower, upper: 70, direction: 'long_only' }, spec: DEFAULT_EXECUTION, want: 'metrics' });
    await Promise.all([p.run(t(5)), p.run(t(6))]); // both workers started
    const first = await p.run(t(17));
    expect(first.indicators_computed).toBe(1);
    // both workers busy at once, each on an RSI(17) trial: neither computes it
    const both = await Promise.all([p.run(t(17, 25)), p.run(t(17, 35))]);
    expect(both.map((r) => r.indicators_computed)).toEqual([0, 0]);
    // and the shared array gives the same result as a fresh computation
    const inline = executeTask(series, t(17, 25), new SeriesCaches(), () => 0);
    expect(both[0].metrics).toEqual(inline.metrics);
  });

  it('validates its size and depth, and refuses tasks once closed or for an unloaded series', async () => {
    expect(() => new WorkerPool(0, PROBE)).toThrow(/pool size must be an integer >= 1, got 0/);
    expect(() => new WorkerPool(2, PROBE, 0)).toThrow(/pool depth must be an integer >= 1, got 0/);
    const p = pool(1);
    await expect(p.run({ ...task({}), key: 'nope' })).rejects.toThrow(/series nope was not loaded/);
    await p.close();
    await expect(p.run(task({}))).rejects.toThrow(/closed/);
  });

  it('shares a series already held in SharedArrayBuffers instead of copying it', () => {
    const p = new WorkerPool(1, PROBE);
    pools.push(p);
    const col = (): Float64Array => new Float64Array(new SharedArrayBuffer(50 * 8));
    const shared = { ...candles, time: col(), open: col(), high: col(), low: col(), close: col(), volume: col() };
    p.load('s', shared);
    p.load('copied', candles);
    const held = (p as unknown as { series: Map<string, { columns: Record<string, SharedArrayBuffer> }> }).series;
    expect(held.get('s')!.columns.close).toBe(shared.close.buffer);
    expect(held.get('copied')!.columns.close).not.toBe(candles.close.buffer);
  });

  it('drop() forgets a series at once when idle, or when its queued and running tasks are done', async () => {
    const p = pool(1, 1);
    const probe = new SharedArrayBuffer(12);
    p.drop('k');
    expect(p.loadedKeys()).toEqual([]);
    await expect(p.run(task({ probe, ms: 1, n: 1 }))).rejects.toThrow(/series k was not loaded/);
    p.load('k', candles);
    const running = [p.run(task({ probe, ms: 30, n: 1 })), p.run(task({ probe, ms: 1, n: 2 }))];
    p.drop('k'); // one task running, one queued: both still run
    expect(p.loadedKeys()).toEqual(['k']);
    expect(((await Promise.all(running)) as unknown as { n: number }[]).map((r) => r.n)).toEqual([2, 4]);
    expect(p.loadedKeys()).toEqual([]);
    p.load('k', candles); // loading again cancels nothing and works
    expect(((await p.run(task({ probe, ms: 1, n: 3 }))) as unknown as { n: number }).n).toBe(6);
  });

  it('load() after a deferred drop keeps the series', async () => {
    const p = pool(1, 1);
    const probe = new SharedArrayBuffer(12);
    const running = p.run(task({ probe, ms: 20, n: 1 }));
    p.drop('k');
    p.load('k', candles);
    await running;
    expect(p.loadedKeys()).toEqual(['k']);
  });
});
