/**
 * limits.max_bars and limits.candle_cache_mb are checked from the dataset's stored metadata
 * before any candle is loaded, on every path that takes a new range (backtest, optimize,
 * walk_forward, batch items); the candle cache is bounded in bytes, and a series it evicts
 * while a study runs on it is loaded into the workers again, not lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp } from '../../src/research/app.js';
import { backtest } from '../../src/research/backtest.js';
import { BYTES_PER_BAR } from '../../src/research/candle-cache.js';
import { closeEvaluators } from '../../src/research/evaluator.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';
import { sqliteOf } from '../helpers/sqlite.js';

const START = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;
const iso = (bar: number): string => new Date(START + bar * HOUR).toISOString();

describe('max_bars from the dataset metadata', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ config: { limits: { max_bars: 1000 } } });
    insertDataset(h.app.db, { candles: generateSynthetic({ symbol: 'BIG', timeframe: '1h', bars: 3000, seed: 7, start: START }), source: 'test', isSynthetic: true, now: 1 });
  });
  afterAll(async () => h.close());

  const ds = { symbol: 'BIG', timeframe: '1h' };
  const refusal = /the selected range has (\d+) bars of BIG 1h \(dataset #1\), above the limit of 1000 \(limits\.max_bars\); field: from; expected: at most 1000 bars; narrow from\/to/;

  it('backtest, optimize and walk_forward refuse a range over the limit without loading the dataset', async () => {
    const calls: [string, Record<string, unknown>, number][] = [
      ['backtest', { strategy: 'sma_cross', ...ds }, 3000],
      ['backtest', { strategy: 'sma_cross', ...ds, from: iso(500), to: iso(1600) }, 1100],
      ['optimize', { strategy: 'sma_cross', ...ds, n_trials: 3, study_name: 'bars-opt' }, 3000],
      ['walk_forward', { strategy: 'sma_cross', ...ds, from: iso(1000), is: 400, oos: 100, n_trials: 3 }, 2000],
    ];
    for (const [tool, args, bars] of calls) {
      const r = await h.call(tool, args);
      expect(r.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(textOf(r)).toMatch(refusal);
      expect(textOf(r).match(refusal)![1]).toBe(String(bars));
      expect(h.app.candles.stats().series).toBe(0); // refused from the metadata: nothing was loaded
    }
    expect(sqliteOf(h.app).prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 0 });
  });

  it('a batch item over the limit fails with the reason; items within it run', async () => {
    const r = dataOf<{ status: string; items_failed: number; items_ok: number }>(
      await h.call('backtest_batch', { items: [{ strategy: 'sma_cross', ...ds }, { strategy: 'sma_cross', ...ds, from: iso(2000) }] }),
    );
    expect(r.status).toBe('succeeded');
    const items = dataOf<{ items: { items: { status: string; error: string | null }[] } }>(await h.call('get_run', { run_id: (r as unknown as { run_id: string }).run_id, include: 'items' })).items.items;
    expect(items.map((i) => i.status).sort()).toEqual(['failed', 'ok']);
    expect(items.find((i) => i.status === 'failed')!.error).toMatch(refusal);
  });

  it('a range within the limit runs (the whole dataset is loaded once, into the cache)', async () => {
    const r = dataOf<{ metrics: { trades: number }; summary?: unknown }>(await h.call('backtest', { strategy: 'sma_cross', ...ds, from: iso(2000), to: iso(3000) }));
    expect(r.metrics).toBeDefined();
    expect(h.app.candles.stats()).toMatchObject({ series: 1, bars: 3000 });
  });
});

describe('limits.candle_cache_mb', () => {
  it('refuses a dataset larger than the whole budget before reading it, whatever the range', async () => {
    const h = await harness({ config: { limits: { candle_cache_mb: 1 } } });
    try {
      const bars = 30_000; // 1.4 MiB; 1 MiB holds 21,845 bars
      insertDataset(h.app.db, { candles: generateSynthetic({ symbol: 'HUGE', timeframe: '1m', bars, seed: 2, start: START }), source: 'test', isSynthetic: true, now: 1 });
      const r = await h.call('backtest', { strategy: 'sma_cross', symbol: 'HUGE', timeframe: '1m', to: new Date(START + 100 * 60_000).toISOString() });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(new RegExp(`dataset #1 \\(HUGE 1m v1\\) has ${bars} bars, 1\\.4 MiB in memory, above the candle memory limit of 1 MiB \\(limits\\.candle_cache_mb\\); field: dataset_id; expected: a dataset of at most ${Math.floor((1024 * 1024) / BYTES_PER_BAR)} bars; hint: raise limits\\.candle_cache_mb`));
      expect(h.app.candles.stats().series).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('server_info reports the limit and what the cache holds', async () => {
    const h = await harness({ config: { limits: { candle_cache_mb: 64 } } });
    try {
      const d = dataOf<{ limits: { candle_cache_mb: number }; candle_cache: { series: number; bytes: number; max_bytes: number } }>(await h.call('server_info'));
      expect(d.limits.candle_cache_mb).toBe(64);
      expect(d.candle_cache).toEqual({ series: 0, bars: 0, bytes: 0, max_bytes: 64 * 1024 * 1024 });
    } finally {
      await h.close();
    }
  });

  it.each([1, 2])('a study (n_jobs %i) keeps running when another dataset evicts its series from the cache and the evaluator', async (nJobs) => {
    // room for one 12,000-bar series (1 MiB = 21,845 bars): loading the other evicts it while its study runs
    const dir = mkdtempSync(join(tmpdir(), 'tradelab-evict-'));
    const app = openApp({ dbFile: join(dir, 'tradelab.db'), home: dir, root: dir, config: { limits: { candle_cache_mb: 1 } } });
    const h = await harness({ app });
    try {
      for (const [symbol, seed] of [['A', 1], ['B', 2]] as const) insertDataset(app.db, { candles: generateSynthetic({ symbol, timeframe: '1h', bars: 12_000, seed, start: START }), source: 'test', isSynthetic: true, now: 1 });
      const started = dataOf<{ run_id: string }>(await h.call('optimize', { strategy: 'sma_cross', symbol: 'A', timeframe: '1h', n_trials: 40, n_jobs: nJobs, sampler: 'random', seed: 3, study_name: 'evicted', wait_seconds: 0 }));
      const evictions: string[] = [];
      app.candles.onEvict((k) => evictions.push(k));
      for (let i = 0; i < 5; i++) {
        // alternate: each load of one dataset evicts the other
        backtest(app, { strategy: 'sma_cross', symbol: i % 2 ? 'A' : 'B', timeframe: '1h', params: { fast: 5 + i, slow: 40 } });
        await new Promise((res) => setTimeout(res, 20));
      }
      expect(evictions.length).toBeGreaterThanOrEqual(4);
      const { done, run } = await h.jobs.wait(started.run_id, 60_000);
      expect(done).toBe(true);
      expect(run.status).toBe('succeeded');
      expect((run.summary as { counts: Record<string, number> }).counts).toMatchObject({ COMPLETE: 40, FAIL: 0 });
    } finally {
      await h.close();
      await closeEvaluators(app);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
