/**
 * backtest_batch's workflow (src/research/batch): failure isolation, ranking, best per
 * symbol/timeframe, the item cap, answers from the store, ledger entries, worker pool.
 * Reference values come from running the same configurations one by one through the
 * `backtest` journey, which is itself checked against backtesting.py elsewhere.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION } from '../../src/engine/backtest/types.js';
import { sliceByTime } from '../../src/engine/data/candles.js';
import { getStrategy } from '../../src/engine/strategies/registry.js';
import { ENGINE_VERSION } from '../../src/engine/version.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp, type App } from '../../src/research/app.js';
import { backtest } from '../../src/research/backtest.js';
import { readItems } from '../../src/research/batch/item-rows.js';
import { planBatch } from '../../src/research/batch/expand.js';
import { executeBatch } from '../../src/research/batch/run.js';
import { startBatch } from '../../src/research/batch/job.js';
import { batchEvaluator, closeBatchEvaluators } from '../../src/research/batch/worker-store.js';
import type { BatchCounts, BestOfDataset, Matrix, RankStats } from '../../src/research/batch/rank.js';
import { closeEvaluators } from '../../src/research/evaluator.js';
import { UserError } from '../../src/research/errors.js';
import { JobRunner } from '../../src/research/jobs.js';
import { appendChampionVersion } from '../../src/storage/champions.js';
import { findDataset, insertDataset, loadCandles, type DatasetRow } from '../../src/storage/datasets.js';
import { loadBacktestResult } from '../../src/storage/run-results.js';
import { loadRunResult } from '../../src/research/run-result.js';
import { freshRun } from '../helpers/fresh-run.js';
import { createRun, listRuns } from '../../src/storage/runs.js';
import { runBatch, seededApp, START } from './batch-fixtures.js';
import { sqliteOf } from '../helpers/sqlite.js';

let app: App;
beforeEach(() => {
  app = seededApp();
});
afterEach(async () => {
  await closeEvaluators(app);
  app.db.close();
});

function ledgerKinds(a: App): Record<string, number> {
  const rows = sqliteOf(a).prepare('SELECT source_kind, COUNT(*) AS n FROM ledger_entries GROUP BY source_kind').all() as { source_kind: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.source_kind, r.n]));
}

describe('backtest batch', () => {
  it('isolates failures (unknown symbol, invalid param set) with their reason while the rest succeed', async () => {
    const run = await runBatch(app, {
      strategy: 'sma_cross',
      param_sets: [{ fast: 10, slow: 30 }, { fast: 50, slow: 20 }, { fast: 5, slow: 40 }],
      symbols: ['DEMO-BTC', 'NOPE'],
      timeframes: ['1h'],
    });
    expect(run.status).toBe('succeeded');
    const s = run.summary as { counts: BatchCounts; failures: { i: number; symbol: string; error: string }[] };
    expect(s.counts).toEqual({ items: 6, ok: 2, failed: 4, cancelled: 0, cached: 0 });
    // item order: param set major, then symbol: 0 = (10/30, DEMO-BTC), 1 = (10/30, NOPE), 2 = (50/20, DEMO-BTC), ...
    const items = readItems(app, run.id);
    expect(items.map((i) => i.status)).toEqual(['ok', 'failed', 'failed', 'failed', 'ok', 'failed']);
    expect(items[1].error).toMatch(/unknown symbol "NOPE"/);
    expect(items[2].error).toMatch(/fast \(50\) must be < slow \(20\)/);
    expect(items[3].error).toMatch(/NOPE|fast/);
    expect(s.failures.map((f) => f.i).sort()).toEqual([1, 2, 3, 5]);
    // every item is a stored child run of the batch: 2 succeeded with results, 4 failed with the reason
    const children = listRuns(app.db, { parent_id: run.id, limit: 100, offset: 0 }).runs;
    expect(children).toHaveLength(6);
    expect(children.filter((c) => c.status === 'succeeded' && c.kind === 'backtest')).toHaveLength(2);
    expect(children.filter((c) => c.status === 'failed').every((c) => (c.error ?? '').length > 10)).toBe(true);
    // one batch_item ledger entry per evaluated item, none for failures
    expect(ledgerKinds(app)).toEqual({ batch_item: 2 });
  });

  it('stores each item exactly as the single-backtest journey would (same metrics, found by fingerprint)', async () => {
    const run = await runBatch(app, { strategy: 'rsi_reversion', param_sets: [{ period: 14 }, { period: 7, lower: 25, upper: 75 }], symbols: ['DEMO-BTC', 'ALT'], timeframes: ['1h', '4h'], from: '2023-01-15' });
    const items = readItems(app, run.id).filter((i) => i.status === 'ok');
    expect(items).toHaveLength(4); // DEMO-BTC has no 4h data, ALT no 1h
    for (const it of items) {
      const single = backtest(app, { strategy: 'rsi_reversion', params: it.params ?? undefined, symbol: it.symbol as string, timeframe: it.timeframe as string, from: '2023-01-15' });
      expect(single.cached).toBe(true);
      expect(single.run_id).toBe(it.run_id);
      expect(it.metrics).toEqual(single.result.metrics);
    }
    // and the engine run directly on the same bars (no store involved) gives the same numbers
    const ds = findDataset(app.db, 'ALT', '4h') as DatasetRow;
    const bars = sliceByTime(loadCandles(app.db, ds), Date.UTC(2023, 0, 15));
    const def = getStrategy('rsi_reversion');
    const direct = runBacktest(bars, def, def.params.parse({ period: 14 }) as Record<string, unknown>, DEFAULT_EXECUTION);
    expect(items.find((i) => i.symbol === 'ALT' && i.params?.period === 14)?.metrics).toEqual(direct.metrics);
  });

  it('ranks by the chosen metric and direction, with statistics and the best item per symbol/timeframe', async () => {
    const sets = [5, 10, 20].flatMap((fast) => [40, 80].map((slow) => ({ fast, slow })));
    const run = await runBatch(app, { strategy: 'sma_cross', param_sets: sets, symbols: ['DEMO-BTC', 'ALT'], timeframes: ['1h', '4h'], rank_by: 'return_pct', top: 4 });
    const s = run.summary as { top: Matrix; stats: RankStats; best_per_dataset: BestOfDataset[]; items_left_out: number; rank_order: string };
    const items = readItems(app, run.id).filter((i) => i.status === 'ok');
    expect(items).toHaveLength(12);
    // independent reference: each item's return from its own stored run, via the single journey
    const ret = (it: (typeof items)[number]): number => backtest(app, { strategy: 'sma_cross', params: it.params ?? undefined, symbol: it.symbol as string, timeframe: it.timeframe as string }).result.metrics.return_pct as number;
    const values = items.map(ret);
    const sorted = [...values].sort((a, b) => b - a);
    expect(s.rank_order).toBe('desc');
    const col = s.top.columns.indexOf('return_pct');
    expect(s.top.rows.map((r) => r[col])).toEqual(sorted.slice(0, 4));
    expect(s.top.rows.map((r) => r[0])).toEqual([1, 2, 3, 4]);
    expect(s.items_left_out).toBe(24 - 4); // 12 failed items (no such datasets) are not in the top rows
    expect(s.stats.n).toBe(12);
    expect(s.stats.best).toBe(sorted[0]);
    expect(s.stats.worst).toBe(sorted[11]);
    expect(s.stats.median).toBeCloseTo((sorted[5] + sorted[6]) / 2, 12);
    expect(s.stats.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / 12, 12);
    // best per dataset: the maximum return among that dataset's items
    expect(s.best_per_dataset).toHaveLength(2);
    for (const b of s.best_per_dataset) {
      const own = items.filter((i) => i.symbol === b.symbol && i.timeframe === b.timeframe).map(ret);
      expect(b.value).toBe(Math.max(...own));
      expect(b.of).toBe(6);
    }
    // ascending order puts the worst first
    const asc = await runBatch(app, { strategy: 'sma_cross', param_sets: sets, symbols: ['DEMO-BTC'], timeframes: ['1h'], rank_by: 'return_pct', rank_order: 'asc', top: 1 });
    const ascTop = (asc.summary as { top: Matrix }).top;
    const demo = items.filter((i) => i.symbol === 'DEMO-BTC').map(ret);
    expect(ascTop.rows[0][col]).toBe(Math.min(...demo));
  });

  it('answers a repeated batch from the store (same run ids, no new ledger entries) and runs duplicates once', async () => {
    const spec = { strategy: 'sma_cross', param_sets: [{ fast: 10, slow: 30 }, { fast: 12, slow: 30 }], symbols: ['DEMO-BTC'], timeframes: ['1h'] };
    const first = await runBatch(app, spec);
    const again = await runBatch(app, spec);
    expect((again.summary as { counts: BatchCounts }).counts).toEqual({ items: 2, ok: 2, failed: 0, cancelled: 0, cached: 2 });
    const a = readItems(app, first.id);
    const b = readItems(app, again.id);
    expect(b.map((i) => i.run_id)).toEqual(a.map((i) => i.run_id));
    expect(b.every((i) => i.cached)).toBe(true);
    expect(b.map((i) => i.metrics)).toEqual(a.map((i) => i.metrics));
    expect(ledgerKinds(app)).toEqual({ batch_item: 2 });
    // the same configuration twice in one batch (explicit defaults = the default set) runs once
    const dup = await runBatch(app, { strategy: 'ema_cross', param_sets: [{}, { fast: 12, slow: 26 }, { fast: 12 }], symbols: ['ALT'], timeframes: ['4h'] });
    const d = readItems(app, dup.id);
    expect(d.filter((i) => !i.cached)).toHaveLength(1);
    expect(new Set(d.map((i) => i.run_id)).size).toBe(1);
    expect(ledgerKinds(app)).toEqual({ batch_item: 3 });
  });

  it('refuses a batch above the item cap, naming the count and the cap, before storing anything', async () => {
    const small = seededApp({ limits: { max_batch_items: 5 } });
    try {
      const jobs = new JobRunner(small);
      const spec = { strategy: 'sma_cross', param_sets: [{ fast: 5 }, { fast: 6 }, { fast: 7 }], symbols: ['DEMO-BTC', 'ALT'], timeframes: ['1h'] };
      expect(() => startBatch(small, jobs, 't', spec)).toThrow(UserError);
      expect(() => startBatch(small, jobs, 't', spec)).toThrow(/6 items, above the limit of 5/);
      expect(listRuns(small.db, { limit: 10, offset: 0 }).total).toBe(0);
      const ok = await runBatch(small, { ...spec, param_sets: [{ fast: 5 }, { fast: 6 }] });
      expect((ok.summary as { counts: BatchCounts }).counts.items).toBe(4);
    } finally {
      small.db.close();
    }
  });

  it('rejects batch-wide mistakes up front with a "did you mean"', () => {
    const jobs = new JobRunner(app);
    const described = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as UserError).describe();
      }
      return 'no error';
    };
    expect(described(() => startBatch(app, jobs, 't', { strategy: 'sma_cross', symbols: ['DEMO-BTC'], timeframes: ['1h'], rank_by: 'sharp' }))).toMatch(/unknown metric "sharp".*did you mean sharpe/);
    expect(() => startBatch(app, jobs, 't', { strategy: 'sma_cross', symbols: ['DEMO-BTC'] })).toThrow(/timeframes/);
    expect(() => startBatch(app, jobs, 't', { strategy: 'sma_cross', symbols: ['DEMO-BTC'], timeframes: ['1h'], execution: { commission: 2 } })).toThrow(/execution\.commission/);
    expect(() => startBatch(app, jobs, 't', {})).toThrow(/empty/);
  });

  it('pairs: datasets listed as {symbol, timeframe} (e.g. DEMO-BTC 1h and ALT 4h), not every combination', async () => {
    const pairs = [
      { symbol: 'DEMO-BTC', timeframe: '1h' },
      { symbol: 'ALT', timeframe: '4h' },
    ];
    const sets = [{ fast: 5, slow: 20 }, { fast: 10, slow: 40 }];
    const plan = planBatch({ strategy: 'sma_cross', param_sets: sets, pairs }, 100);
    // param set-major like the symbols × timeframes product, the pairs in their order
    expect(plan.items.map((i) => [i.params, i.symbol, i.timeframe])).toEqual([
      [sets[0], 'DEMO-BTC', '1h'],
      [sets[0], 'ALT', '4h'],
      [sets[1], 'DEMO-BTC', '1h'],
      [sets[1], 'ALT', '4h'],
    ]);
    const run = await runBatch(app, { strategy: 'sma_cross', param_sets: sets, pairs, items: [{ strategy: 'sma_cross', symbol: 'ALT', timeframe: '4h', label: 'extra' }] });
    const items = readItems(app, run.id);
    expect(items.map((i) => [i.symbol, i.timeframe, i.status])).toEqual([
      ['DEMO-BTC', '1h', 'ok'],
      ['ALT', '4h', 'ok'],
      ['DEMO-BTC', '1h', 'ok'],
      ['ALT', '4h', 'ok'],
      ['ALT', '4h', 'ok'],
    ]);
    // the item cap counts pairs like combinations
    expect(() => planBatch({ strategy: 'sma_cross', param_sets: sets, pairs }, 3)).toThrow(/4 items, above the limit of 3/);
  });

  it('refuses pairs given with symbols or timeframes, and pairs without a strategy', () => {
    const err = (spec: Record<string, unknown>): string => {
      try {
        planBatch(spec, 100);
      } catch (e) {
        return (e as UserError).describe();
      }
      return 'no error';
    };
    const pairs = [{ symbol: 'DEMO-BTC', timeframe: '1h' }];
    expect(err({ strategy: 'sma_cross', pairs, symbols: ['ALT'] })).toMatch(/^pairs and symbols given together: pairs lists the datasets itself, instead of symbols × timeframes; expected: either "pairs": \[\{"symbol": "EURUSD", "timeframe": "1h"\}/);
    expect(err({ strategy: 'sma_cross', pairs, timeframes: ['4h'] })).toMatch(/^pairs and timeframes given together/);
    expect(err({ pairs })).toMatch(/^pairs needs a strategy; expected: a `strategy`/);
    expect(err({ strategy: 'sma_cross' })).toMatch(/needs both symbols and timeframes, or pairs/);
  });

  it('runs explicit items; a bad per-item execution spec fails that item only', async () => {
    const run = await runBatch(app, {
      items: [
        { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', execution: { commission: 5 }, label: 'bad costs' },
        { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', execution: { commission: 0.001 }, label: 'ok' },
        { strategy: 'no_such', symbol: 'DEMO-BTC', timeframe: '1h' },
      ],
      execution: { slippage_bps: 5 },
    });
    const items = readItems(app, run.id);
    expect(items.map((i) => [i.label, i.status])).toEqual([['bad costs', 'failed'], ['ok', 'ok'], [null, 'failed']]);
    expect(items[0].error).toMatch(/execution\.commission/);
    expect(items[2].error).toMatch(/unknown strategy "no_such"/);
    // the item's execution is the batch's merged with its own overrides
    const single = backtest(app, { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', execution: { slippage_bps: 5, commission: 0.001 } });
    expect(single.cached).toBe(true);
    expect(single.run_id).toBe(items[1].run_id);
  });

  it('"champion" as a param set uses the current champion of each symbol/timeframe', async () => {
    const ds = findDataset(app.db, 'ALT', '4h') as DatasetRow;
    appendChampionVersion(
      app.db,
      { strategy: 'sma_cross', symbol: 'ALT', timeframe: '4h', params: { fast: 7, slow: 50 }, metrics: {}, source_run_id: null, source_trial: null, evidence: {}, dataset_hash: ds.content_hash, engine_version: ENGINE_VERSION, promoted_at: 1, promoted_by: 'test', reason: 'test', rollback_of: null },
      null,
    );
    const run = await runBatch(app, { strategy: 'sma_cross', param_sets: ['champion', { fast: 5, slow: 20 }], symbols: ['ALT', 'DEMO-BTC'], timeframes: ['4h', '1h'] });
    const items = readItems(app, run.id);
    const champ = items.filter((i) => i.label?.startsWith('champion'));
    expect(champ.map((i) => [i.symbol, i.timeframe, i.status])).toEqual([['ALT', '4h', 'ok'], ['ALT', '1h', 'failed'], ['DEMO-BTC', '4h', 'failed'], ['DEMO-BTC', '1h', 'failed']]);
    expect(champ[0].label).toBe('champion v1');
    expect(champ[3].error).toMatch(/no champion for sma_cross on DEMO-BTC 1h/);
    const single = backtest(app, { strategy: 'sma_cross', params: { fast: 7, slow: 50 }, symbol: 'ALT', timeframe: '4h' });
    expect(single.run_id).toBe(champ[0].run_id);
  });

  it('with a database file, the workers store the items themselves: same runs, results and ledger entries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradelab-batch-'));
    const file = openApp({ dbFile: join(dir, 'tradelab.db'), home: dir, config: { workers: 2 } });
    try {
      insertDataset(file.db, { candles: generateSynthetic({ symbol: 'DEMO-BTC', timeframe: '1h', bars: 2_000, seed: 42, start: START }), source: 'test', now: 0 });
      expect(batchEvaluator(file, 2).db_file).toBe(join(dir, 'tradelab.db'));
      const spec = { strategy: 'rsi_reversion', param_sets: [{ period: 10 }, { period: 14 }, { period: 21 }, { period: 14 }], symbols: ['DEMO-BTC'], timeframes: ['1h'] };
      const run = await runBatch(file, spec);
      const items = readItems(file, run.id);
      const ref = readItems(app, (await runBatch(app, spec)).id);
      expect(items.map((i) => [i.status, i.cached])).toEqual([['ok', false], ['ok', false], ['ok', false], ['ok', true]]);
      expect(items.map((i) => i.metrics)).toEqual(ref.map((i) => i.metrics));
      for (const it of items.slice(0, 3)) {
        const stored = loadBacktestResult(file.db, it.run_id as string);
        const single = freshRun(app, { strategy: 'rsi_reversion', params: it.params ?? undefined, symbol: 'DEMO-BTC', timeframe: '1h' });
        expect(stored?.trades).toEqual(single.trades);
        // batch items keep no per-bar curve; it is recomputed, checked, on demand
        expect(stored?.equity).toBeNull();
        expect(loadRunResult(file, it.run_id as string)?.equity).toEqual(single.equity);
      }
      expect(ledgerKinds(file)).toEqual({ batch_item: 3 });
      // the item runs are children of the batch, with the batch_item tag the item pages read
      expect(listRuns(file.db, { parent_id: run.id, limit: 10, offset: 0 }).total).toBe(4);
    } finally {
      await closeBatchEvaluators(file);
      file.db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('at the wall-time limit, items not started — queued at a worker included — are recorded as cancelled', async () => {
    const big = seededApp({ workers: 2 }, 100_000);
    try {
      const run = createRun(big.db, { kind: 'batch', status: 'running', spec: {}, now: 0 });
      const plan = planBatch({ strategy: 'rsi_reversion', param_sets: Array.from({ length: 300 }, (_, k) => ({ period: 5 + k })), symbols: ['DEMO-BTC'], timeframes: ['1h'] }, 400);
      const job = { run_id: run.id, signal: new AbortController().signal, progress: () => undefined };
      await executeBatch(big, job, plan.items.slice(0, 2)); // the workers started and warm
      // ~300 items of a few ms each on 2 workers cannot all finish within 300 ms; the first start
      // at once (a deadline this long still lets some start on a heavily loaded machine)
      const items = await executeBatch(big, job, plan.items.slice(2), { deadline: big.now() + 300 });
      const by = (st: string) => items.filter((i) => i.status === st);
      expect(items).toHaveLength(298);
      expect(by('failed')).toEqual([]);
      expect(by('ok').length).toBeGreaterThan(0);
      expect(by('cancelled').length).toBeGreaterThan(0);
      for (const i of by('cancelled')) expect(i.error).toMatch(/not started: the wall-time limit/);
    } finally {
      await closeEvaluators(big);
      big.db.close();
    }
  });

  it('gives the same results on the worker pool (2 threads) as inline', async () => {
    const spec = { strategy: 'rsi_reversion', param_sets: [{ period: 10 }, { period: 14 }, { period: 21 }], symbols: ['DEMO-BTC', 'ALT'], timeframes: ['1h', '4h'] };
    const inline = readItems(app, (await runBatch(app, spec)).id);
    const pooled = seededApp({ workers: 2 });
    try {
      const run = await runBatch(pooled, spec);
      expect(run.spec.resolved).toMatchObject({ concurrency: 2 });
      const p = readItems(pooled, run.id);
      expect(p.map((i) => i.status)).toEqual(inline.map((i) => i.status));
      expect(p.map((i) => i.metrics)).toEqual(inline.map((i) => i.metrics));
    } finally {
      await closeEvaluators(pooled);
      pooled.db.close();
    }
  });
});
