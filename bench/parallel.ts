/**
 * `npm run bench:parallel`: trial throughput with 2 workers vs 1 on a realistic workload
 * (issue 3: rsi_reversion on 200,000 bars; target ≥ 1.7×), measured two ways:
 *
 * - worker pool: a WorkerPool of 1 thread vs one of 2 threads running the same seeded list
 *   of trials (both sides pay the same thread and message costs);
 * - optimize study: the whole trial loop of `runStudy` (ask → cache lookup → worker →
 *   tell, trial ledger, SQLite file store) with n_jobs 2 vs n_jobs 1 (inline, the fastest
 *   single-job path), random sampler over a wide space so results are not answered from the
 *   cache. Trial throughput = trials / time to the last finished trial; the study's fixed
 *   costs after the loop (re-running the best trial as a stored backtest, importance) are
 *   reported apart.
 *
 * The machine is shared and its speed drifts by ±20 % over seconds, so the two sides are
 * measured in interleaved pairs (1 then 2, then 2 then 1, …) on pools and stores that stay
 * warm across rounds, as in a real study of hundreds of trials (steady state: every worker's
 * indicator cache already holds every period of the space); the result is the median of the
 * per-pair ratios. Flags: --bars N (200000), --trials N (120), --rounds N (9), --json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EXECUTION } from '../src/engine/backtest/types.js';
import { generateSynthetic } from '../src/engine/data/synthetic.js';
import { WorkerPool } from '../src/engine/parallel/pool.js';
import { createRng } from '../src/engine/random.js';
import { openApp, type App } from '../src/research/app.js';
import { closeEvaluators, ENGINE_WORKER_SCRIPT, getEvaluator } from '../src/research/evaluator.js';
import { runStudy } from '../src/research/optimize/run-study.js';
import type { OptimizeTask } from '../src/research/optimize/job.js';
import { insertDataset } from '../src/storage/datasets.js';
import { createRun } from '../src/storage/runs.js';
import { interleavedPair, median } from './stats.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const bars = arg('bars', 200_000);
const trials = arg('trials', 120);
const rounds = arg('rounds', 9);
const json = process.argv.includes('--json');
const candles = generateSynthetic({ symbol: 'PAR', timeframe: '5m', bars, seed: 3, start: Date.UTC(2022, 0, 1) });
/** A wide space (≈ 200k points): random trials almost never repeat, so none is answered from the cache. */
const SPACE: NonNullable<OptimizeTask['space']> = {
  period: { type: 'int', low: 2, high: 60 },
  lower: { type: 'int', low: 5, high: 45 },
  upper: { type: 'int', low: 55, high: 95 },
  direction: { type: 'categorical', choices: ['long_only', 'long_short'] },
};

/** Every period of the space twice (consecutive tasks alternate between workers, so each worker sees each period). */
function everyPeriod(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let pass = 0; pass < 2; pass++) for (let period = 2; period <= 60; period++) out.push({ period, lower: 30, upper: 70, direction: 'long_only' });
  return out;
}

function paramList(seed: number, n: number): Record<string, unknown>[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => ({ period: rng.int(2, 60), lower: rng.int(5, 45), upper: rng.int(55, 95), direction: rng.next() < 0.5 ? 'long_only' : 'long_short' }));
}

/** Runs the list on the pool; returns trials per second. */
async function poolRate(pool: WorkerPool, list: Record<string, unknown>[]): Promise<number> {
  const t0 = performance.now();
  await Promise.all(list.map((params) => pool.run({ key: 'k', start: 0, end: bars, strategy: 'rsi_reversion', params, spec: DEFAULT_EXECUTION, want: 'metrics' })));
  return (list.length / (performance.now() - t0)) * 1000;
}

interface StudyRate {
  readonly loop: number;
  readonly after_loop_ms: number;
  readonly evaluated: number;
  readonly cache_hits: number;
}

/** One study of `n` trials in `app` with `nJobs`; returns its trial-loop throughput. */
async function studyRate(app: App, nJobs: number, seed: number, n: number, name: string): Promise<StudyRate> {
  const run = createRun(app.db, { kind: 'optimize', status: 'running', spec: {}, now: 0 });
  let last = 0;
  const t0 = performance.now();
  const s = await runStudy(
    app,
    { strategy: 'rsi_reversion', symbol: 'PAR', timeframe: '5m', space: SPACE, sampler: 'random', n_trials: n, n_jobs: nJobs, seed, study_name: name },
    { run_id: run.id, signal: new AbortController().signal, onTrial: () => (last = performance.now()) },
  );
  const end = performance.now();
  return { loop: ((s.trials_this_call as number) / (last - t0)) * 1000, after_loop_ms: end - last, evaluated: s.evaluated as number, cache_hits: s.cache_hits as number };
}

const home = mkdtempSync(join(tmpdir(), 'tradelab-par-'));
const pools = { 1: new WorkerPool(1, ENGINE_WORKER_SCRIPT), 2: new WorkerPool(2, ENGINE_WORKER_SCRIPT) } as const;
const apps = { 1: openApp({ home, dbFile: join(home, 'one.db'), root: home, config: {} }), 2: openApp({ home, dbFile: join(home, 'two.db'), root: home, config: {} }) } as const;
const rows: Record<string, number>[] = [];
try {
  // warm-up: threads spawned, the series loaded, the JIT settled, and every worker's
  // indicator cache holding the RSI of every period of the space — the steady state of a
  // study after its first hundred or so trials, which is what is compared here
  for (const size of [1, 2] as const) {
    pools[size].load('k', candles);
    await poolRate(pools[size], [...everyPeriod(), ...paramList(1000 + size, 30 * size)]);
    const { dataset } = insertDataset(apps[size].db, { candles, source: 'bench', now: 0 });
    const ev = getEvaluator(apps[size], size);
    ev.load(dataset.content_hash, candles);
    await Promise.all(everyPeriod().map((params) => ev.run({ key: dataset.content_hash, start: 0, end: bars, strategy: 'rsi_reversion', params, spec: DEFAULT_EXECUTION, want: 'metrics' })));
    await studyRate(apps[size], size, 1000 + size, 30 * size, 'warm');
  }
  for (let r = 0; r < rounds; r++) {
    const list = paramList(100 + r, trials);
    const pool = await interleavedPair(r, (size) => poolRate(pools[size], list));
    const study = await interleavedPair(r, (size) => studyRate(apps[size], size, 200 + r, trials, `measured-${r}`));
    rows.push({
      pool1: pool.one,
      pool2: pool.two,
      pool_ratio: pool.two / pool.one,
      study1: study.one.loop,
      study2: study.two.loop,
      study_ratio: study.two.loop / study.one.loop,
      after_loop_ms_1: study.one.after_loop_ms,
      after_loop_ms_2: study.two.after_loop_ms,
      cache_hits: study.one.cache_hits + study.two.cache_hits,
    });
    if (!json) process.stderr.write(`round ${r + 1}/${rounds}: pool ${rows[r].pool_ratio.toFixed(2)}×, study ${rows[r].study_ratio.toFixed(2)}×\n`);
  }
} finally {
  await pools[1].close();
  await pools[2].close();
  for (const app of Object.values(apps)) {
    await closeEvaluators(app);
    app.db.close();
  }
  rmSync(home, { recursive: true, force: true });
}
const col = (k: string): number[] => rows.map((x) => x[k]);
const summary = {
  workload: `rsi_reversion on ${bars} bars, ${trials} trials per measurement, ${rounds} interleaved rounds`,
  pool_1_worker_trials_per_s: median(col('pool1')),
  pool_2_workers_trials_per_s: median(col('pool2')),
  pool_speedup: median(col('pool_ratio')),
  study_n_jobs_1_inline_trials_per_s: median(col('study1')),
  study_n_jobs_2_trials_per_s: median(col('study2')),
  study_speedup: median(col('study_ratio')),
  study_after_loop_ms: { n_jobs_1: median(col('after_loop_ms_1')), n_jobs_2: median(col('after_loop_ms_2')) },
  cache_hits: col('cache_hits').reduce((a, b) => a + b, 0),
  target_speedup: 1.7,
  rounds: rows,
};
if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
else {
  const f = (x: number): string => x.toFixed(2);
  process.stdout.write(`${summary.workload}\n`);
  process.stdout.write(`worker pool: 1 worker ${summary.pool_1_worker_trials_per_s.toFixed(1)} trials/s, 2 workers ${summary.pool_2_workers_trials_per_s.toFixed(1)} trials/s → ${f(summary.pool_speedup)}× (median of per-round ratios ${col('pool_ratio').map(f).join(' ')}; target ≥ 1.7×)\n`);
  process.stdout.write(`optimize study (trial loop): n_jobs 1 (inline) ${summary.study_n_jobs_1_inline_trials_per_s.toFixed(1)} trials/s, n_jobs 2 ${summary.study_n_jobs_2_trials_per_s.toFixed(1)} trials/s → ${f(summary.study_speedup)}× (ratios ${col('study_ratio').map(f).join(' ')})\n`);
  process.stdout.write(`  after the loop (best trial re-run and stored, importance): ${summary.study_after_loop_ms.n_jobs_1.toFixed(0)} / ${summary.study_after_loop_ms.n_jobs_2.toFixed(0)} ms; trials answered from the cache: ${summary.cache_hits}\n`);
}
