/**
 * Retention (`tradelab gc`): what goes, what always stays, and that removal is whole per run
 * tree, leaves nothing dangling and never touches the ledger, studies or champions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { ENGINE_VERSION } from '../../src/engine/version.js';
import { openApp, type App } from '../../src/research/app.js';
import { backtest } from '../../src/research/backtest.js';
import { closeBatchEvaluators } from '../../src/research/batch/worker-store.js';
import { closeEvaluators } from '../../src/research/evaluator.js';
import { UserError } from '../../src/research/errors.js';
import { JobRunner } from '../../src/research/jobs.js';
import { parseTask, startOptimize } from '../../src/research/optimize/index.js';
import { applyGc, planGc } from '../../src/research/retention.js';
import { loadRunResult } from '../../src/research/run-result.js';
import { appendChampionVersion } from '../../src/storage/champions.js';
import { insertDataset, type DatasetRow } from '../../src/storage/datasets.js';
import { putCachedResult } from '../../src/storage/result-cache.js';
import { createRun, getRun, listRuns, type RunRow } from '../../src/storage/runs.js';
import { freshRun } from '../helpers/fresh-run.js';
import { insertLegacyResult } from '../helpers/legacy-results.js';
import { runBatch, START } from './batch-fixtures.js';
import { sqliteOf } from '../helpers/sqlite.js';

const DAY = 86_400_000;
let clock: number;
let app: App;
let jobs: JobRunner;
let ds: DatasetRow;

beforeEach(() => {
  clock = Date.UTC(2024, 0, 1);
  app = openApp({ dbFile: ':memory:', home: '/nonexistent-tradelab-home', config: { workers: 1 }, now: () => clock });
  ds = insertDataset(app.db, { candles: generateSynthetic({ symbol: 'DEMO-BTC', timeframe: '1h', bars: 2_000, seed: 42, start: START }), source: 'test', isSynthetic: true, now: 0 }).dataset;
  jobs = new JobRunner(app);
});
afterEach(async () => {
  await jobs.close();
  await closeEvaluators(app);
  await closeBatchEvaluators(app);
  app.db.close();
});

const bt = (fast: number, slow: number, extra: Record<string, unknown> = {}): string =>
  backtest(app, { strategy: 'sma_cross', params: { fast, slow }, symbol: 'DEMO-BTC', timeframe: '1h', ...extra }).run_id as string;

async function optimizeRun(trials: number): Promise<RunRow> {
  const run = await startOptimize(app, jobs, 'test', parseTask({ strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', n_trials: trials, study_name: 'gc-study', seed: 3, sampler: 'random' }));
  const w = await jobs.wait(run.id, 60_000);
  expect(w.run.status).toBe('succeeded');
  return w.run;
}

function promote(sourceRunId: string, evidenceRunId: string): void {
  appendChampionVersion(
    app.db,
    { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', params: { fast: 7, slow: 50 }, metrics: { run_id: evidenceRunId }, source_run_id: sourceRunId, source_trial: null, evidence: { oos: { run_id: evidenceRunId } }, dataset_hash: ds.content_hash, engine_version: ENGINE_VERSION, promoted_at: clock, promoted_by: 'test', reason: 'test', rollback_of: null },
    null,
  );
}

const ids = (): string[] => (sqliteOf(app).prepare('SELECT id FROM runs ORDER BY id').all() as { id: string }[]).map((r) => r.id);
const count = (sql: string): number => (sqliteOf(app).prepare(sql).get() as { n: number }).n;

/** Nothing dangling: every result has its run, every child its parent. */
function expectNoOrphans(): void {
  expect(count('SELECT COUNT(*) AS n FROM run_results WHERE run_id NOT IN (SELECT id FROM runs)')).toBe(0);
  expect(count('SELECT COUNT(*) AS n FROM runs WHERE parent_id IS NOT NULL AND parent_id NOT IN (SELECT id FROM runs)')).toBe(0);
}

describe('gc', () => {
  it('removes old run trees whole; keeps champion, study, unfinished, recent and named runs; never touches the ledger, studies or trials', async () => {
    const old = bt(5, 40);
    const batch = await runBatch(app, { strategy: 'sma_cross', param_sets: [{ fast: 6, slow: 40 }, { fast: 6, slow: 45 }], symbols: ['DEMO-BTC'], timeframes: ['1h'] }, jobs);
    const batchItems = listRuns(app.db, { parent_id: batch.id, limit: 10, offset: 0 }).runs.map((r) => r.id);
    const champ = bt(7, 50, { to: '2023-02-15' });
    const evidence = bt(7, 50, { from: '2023-02-15' });
    promote(champ, evidence);
    const opt1 = await optimizeRun(4);
    const opt1Children = listRuns(app.db, { parent_id: opt1.id, limit: 10, offset: 0 }).runs.map((r) => r.id);
    const unfinished = createRun(app.db, { kind: 'batch', status: 'running', spec: {}, now: clock }).id;
    const named = bt(8, 60); // an old run a recent one names (a batch item answered from the store)
    clock += DAY;
    const opt2 = await optimizeRun(6); // the same study resumed: the newest run of the study
    // its best trial is still opt1's: its best run is answered from the store, opt1's child
    expect((opt2.summary?.best as { run_id: string }).run_id).toBe(opt1Children[0]);
    expect(listRuns(app.db, { parent_id: opt2.id, limit: 10, offset: 0 }).total).toBe(0);
    clock += 100 * DAY;
    const recent = bt(9, 70);
    const cachedItem = await runBatch(app, { strategy: 'sma_cross', param_sets: [{ fast: 8, slow: 60 }], symbols: ['DEMO-BTC'], timeframes: ['1h'] }, jobs);
    const before = { runs: ids(), ledger: count('SELECT COUNT(*) AS n FROM ledger_entries'), trials: count('SELECT COUNT(*) AS n FROM trials'), studies: count('SELECT COUNT(*) AS n FROM studies'), champions: count('SELECT COUNT(*) AS n FROM champion_versions') };
    expect(before.trials).toBe(6); // n_trials is the study's total: the resume added 2

    const plan = planGc(app, { keep_days: 30, keep_runs: 0 });
    expect(ids()).toEqual(before.runs); // planning changes nothing
    const gone = [old, batch.id, ...batchItems].sort();
    expect(plan.runs).toMatchObject({ remove_trees: 2, remove_runs: gone.length, remove_by_kind: { backtest: 3, batch: 1 } });
    expect(plan.runs.remove_bytes).toBeGreaterThan(0);
    // opt1 (an older run of the study) stays only because opt2 names its child as its best run
    expect(plan.kept).toEqual({ champion: 2, study: 1, unfinished: 1, recent: 2, newest: 0, referenced: 2 });

    const r = applyGc(app, plan);
    expect(r).toMatchObject({ removed_trees: 2, removed_runs: gone.length, spared_trees: 0 });
    expect(ids()).toEqual(before.runs.filter((id) => !gone.includes(id)));
    for (const id of [champ, evidence, opt1.id, opt1Children[0], opt2.id, unfinished, recent, named, cachedItem.id]) expect(getRun(app.db, id), id).toBeDefined();
    expectNoOrphans();
    // append-only and referenced stores are untouched; the removed runs' evaluations still count
    expect(count('SELECT COUNT(*) AS n FROM ledger_entries')).toBe(before.ledger);
    expect(count(`SELECT COUNT(*) AS n FROM ledger_entries WHERE source_id = '${old}'`)).toBe(1);
    expect(count('SELECT COUNT(*) AS n FROM trials')).toBe(before.trials);
    expect(count('SELECT COUNT(*) AS n FROM studies')).toBe(before.studies);
    expect(count('SELECT COUNT(*) AS n FROM champion_versions')).toBe(before.champions);
    // a second pass finds nothing more
    expect(planGc(app, { keep_days: 30, keep_runs: 0 }).runs.remove_trees).toBe(0);
  });

  it('keeps the newest keep_runs trees and those younger than keep_days; refuses a policy that keeps nothing by either', () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push(bt(5 + i, 50));
      clock += 10 * DAY;
    }
    // created at days 0, 10, 20, 30, 40; now is day 50
    expect(planGc(app, { keep_days: 25, keep_runs: 0 }).remove).toEqual(made.slice(0, 3));
    expect(planGc(app, { keep_days: null, keep_runs: 2 }).remove).toEqual(made.slice(0, 3));
    expect(planGc(app, { keep_days: 35, keep_runs: 4 }).remove).toEqual(made.slice(0, 1));
    expect(planGc(app, { keep_days: 0, keep_runs: 0 }).remove).toEqual(made);
    expect(() => planGc(app, { keep_days: null, keep_runs: null })).toThrow(UserError);
    expect(() => planGc(app, { keep_days: null, keep_runs: null })).toThrow(/keeps runs neither by age nor by count/);
  });

  it("keeps only the newest optimize run of each study (the study's handle); older ones follow the policy", () => {
    const run = (study: string): string => createRun(app.db, { kind: 'optimize', status: 'succeeded', spec: { study_name: study }, now: clock }).id;
    const a1 = run('study-a');
    const b1 = run('study-b');
    clock += DAY;
    const a2 = run('study-a');
    clock += 100 * DAY;
    const plan = planGc(app, { keep_days: 30, keep_runs: 0 });
    expect(plan.remove).toEqual([a1]);
    expect(plan.kept.study).toBe(2);
    applyGc(app, plan);
    expect([a1, b1, a2].map((id) => getRun(app.db, id) !== undefined)).toEqual([false, true, true]);
  });

  it('spares a planned tree that a champion, a started run or a new run came to name before it was removed', () => {
    const a = bt(5, 40);
    const b = bt(6, 40);
    const c = bt(7, 40);
    const d = bt(8, 40);
    clock += 100 * DAY;
    const plan = planGc(app, { keep_days: 1, keep_runs: 0 });
    expect([...plan.remove].sort()).toEqual([a, b, c, d].sort());
    promote(a, a);
    sqliteOf(app).prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(b);
    createRun(app.db, { kind: 'analysis', status: 'succeeded', spec: { run_ids: [c] }, now: clock });
    const r = applyGc(app, plan);
    expect(r).toMatchObject({ removed_trees: 1, spared_trees: 3 });
    expect([a, b, c, d].map((id) => getRun(app.db, id) !== undefined)).toEqual([true, true, true, false]);
  });

  it('removes a tree all or nothing: a failure midway leaves every run of it in place', async () => {
    const batch = await runBatch(app, { strategy: 'sma_cross', param_sets: [{ fast: 5, slow: 40 }, { fast: 6, slow: 40 }, { fast: 7, slow: 40 }], symbols: ['DEMO-BTC'], timeframes: ['1h'] }, jobs);
    const items = listRuns(app.db, { parent_id: batch.id, limit: 10, offset: 0 }).runs.map((r) => r.id);
    clock += 100 * DAY;
    const plan = planGc(app, { keep_days: 1, keep_runs: 0 });
    expect(plan.remove).toEqual([batch.id]);
    // the last run of the tree cannot be deleted (a stand-in for a crash or a constraint failing midway)
    app.db.exec(`CREATE TRIGGER gc_fails BEFORE DELETE ON runs WHEN OLD.id = '${items[2]}' BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`);
    expect(() => applyGc(app, plan)).toThrow(/simulated failure/);
    expect([batch.id, ...items].every((id) => getRun(app.db, id) !== undefined)).toBe(true);
    expect(count('SELECT COUNT(*) AS n FROM run_results')).toBe(3);
    app.db.exec('DROP TRIGGER gc_fails');
    expect(applyGc(app, plan)).toMatchObject({ removed_trees: 1, removed_runs: 4 });
    expectNoOrphans();
    expect(count('SELECT COUNT(*) AS n FROM run_results')).toBe(0);
  });

  it('drops optimizer cache entries older than cache_days', () => {
    const entry = { metrics: { sharpe: 1 }, warnings: [], intermediate: [], ledger: null };
    putCachedResult(app.db, 'old', entry, clock);
    clock += 100 * DAY;
    putCachedResult(app.db, 'new', entry, clock);
    const plan = planGc(app, { keep_days: 30, cache_days: 30 });
    expect(plan.cache.remove_entries).toBe(1);
    expect(applyGc(app, plan).removed_cache_entries).toBe(1);
    expect((sqliteOf(app).prepare('SELECT fingerprint FROM result_cache').all() as { fingerprint: string }[]).map((r) => r.fingerprint)).toEqual(['new']);
  });

  it('rewrites old-format results compactly: a reproducible curve is dropped, any other kept bit for bit', () => {
    const req = { strategy: 'sma_cross', params: { fast: 10, slow: 50 }, symbol: 'DEMO-BTC', timeframe: '1h' };
    const a = bt(10, 50);
    const b = bt(11, 50);
    const fa = freshRun(app, req);
    const fb = freshRun(app, { ...req, params: { fast: 11, slow: 50 } });
    const marked = fb.equity.slice();
    marked[100] += 1e-9; // not what the engine gives any more: must be kept as stored
    for (const [id, r] of [[a, { ...fa, equity_time: null }], [b, { ...fb, equity: marked, equity_time: null }]] as const) {
      sqliteOf(app).prepare('DELETE FROM run_results WHERE run_id = ?').run(id);
      insertLegacyResult(sqliteOf(app), id, r);
    }
    const plan = planGc(app, { keep_days: 30 });
    expect(plan.legacy.rows).toBe(2);
    expect(plan.legacy.bytes).toBeGreaterThan(2 * 8 * 2_000);
    expect(applyGc(app, plan).compacted).toEqual({ rows: 2, curves_dropped: 1, curves_kept: 1 });
    expect(sqliteOf(app).prepare('SELECT run_id, codec, equity_stored FROM run_results ORDER BY run_id').all()).toEqual(
      [{ run_id: a, codec: 1, equity_stored: 0 }, { run_id: b, codec: 1, equity_stored: 1 }].sort((x, y) => (x.run_id < y.run_id ? -1 : 1)),
    );
    expect(loadRunResult(app, a)?.equity).toEqual(fa.equity);
    expect(loadRunResult(app, b)?.equity).toEqual(marked);
    expect(loadRunResult(app, a)?.trades).toEqual(fa.trades);
    expect(planGc(app, { keep_days: 30 }).legacy.rows).toBe(0);
  });
});
