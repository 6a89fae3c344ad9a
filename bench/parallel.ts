/**
 * `npm run bench:parallel`: trial throughput of the worker pool, 2 workers vs 1 worker, on a
 * realistic workload (issue 3: rsi_reversion on 200,000 bars; target ≥ 1.7×). Both sides
 * use a WorkerPool (size 1 vs size 2) over the same seeded list of params, so both pay the
 * same thread and message costs; then the same comparison end to end through the optimize
 * workflow (random sampler, SQLite study, result cache off by distinct stores).
 * Each pool is warmed up first (JIT, indicator caches: 20 tasks per worker) so the comparison
 * measures steady-state throughput, as in a real study of hundreds of trials.
 * Flags: --bars N (200000), --trials N (120), --rounds N (3), --json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EXECUTION } from '../src/engine/backtest/types.js';
import { generateSynthetic } from '../src/engine/data/synthetic.js';
import { WorkerPool } from '../src/engine/parallel/pool.js';
import { createRng } from '../src/engine/random.js';
import { distModule } from '../src/paths.js';
import { openApp } from '../src/research/app.js';
import { closeEvaluators } from '../src/research/evaluator.js';
import { runStudy } from '../src/research/optimize/run-study.js';
import { insertDataset } from '../src/storage/datasets.js';
import { createRun } from '../src/storage/runs.js';
import { median } from './stats.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const bars = arg("bars", 200_000);
const trials = arg('trials', 120);
const rounds = arg('rounds', 3);
const json = process.argv.includes('--json');
const candles = generateSynthetic({ symbol: 'PAR', timeframe: '5m', bars, seed: 3, start: Date.UTC(2022, 0, 1) });

function paramList(seed: number): Record<string, unknown>[] {
  const rng = createRng(seed);
  return Array.from({ length: trials }, () => ({ period: rng.int(5, 30), lower: 10 + 5 * rng.int(0, 6), upper: 60 + 5 * rng.int(0, 6), direction: rng.next() < 0.5 ? 'long_only' : 'long_short' }));
}

async function poolThroughput(size: number, seed: number): Promise<number> {
  const pool = new WorkerPool(size, distModule('engine/parallel/worker.js'));
  try {
    pool.load('k', candles);
    // warm-up: spawn the workers, load the series, let the JIT and the indicator caches settle
    const warm = paramList(seed + 1000).slice(0, 20 * size);
    await Promise.all(warm.map((params) => pool.run({ key: 'k', start: 0, end: bars, strategy: 'rsi_reversion', params, spec: DEFAULT_EXECUTION, want: 'metrics' })));
    const list = paramList(seed);
    const t0 = performance.now();
    await Promise.all(list.map((params) => pool.run({ key: 'k', start: 0, end: bars, strategy: 'rsi_reversion', params, spec: DEFAULT_EXECUTION, want: 'metrics' })));
    return (list.length / (performance.now() - t0)) * 1000;
  } finally {
    await pool.close();
  }
}

async function studyThroughput(nJobs: number, seed: number): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'tradelab-par-'));
  const app = openApp({ home, root: home, config: {} });
  try {
    insertDataset(app.db, { candles, source: 'bench', now: 0 });
    const signal = new AbortController().signal;
    // a first study warms the evaluator (the pool is kept per app and size), then the measured one
    const warmRun = createRun(app.db, { kind: 'optimize', status: 'running', spec: {}, now: 0 });
    await runStudy(app, { strategy: 'rsi_reversion', symbol: 'PAR', timeframe: '5m', sampler: 'random', n_trials: 20 * nJobs, n_jobs: nJobs, seed: seed + 1000, study_name: 'warm' }, { run_id: warmRun.id, signal });
    const run = createRun(app.db, { kind: 'optimize', status: 'running', spec: {}, now: 0 });
    const t0 = performance.now();
    const s = await runStudy(app, { strategy: 'rsi_reversion', symbol: 'PAR', timeframe: '5m', sampler: 'random', n_trials: trials, n_jobs: nJobs, seed, study_name: 'measured' }, { run_id: run.id, signal });
    return ((s.trials_this_call as number) / (performance.now() - t0)) * 1000;
  } finally {
    await closeEvaluators(app);
    app.db.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const rows: Record<string, number>[] = [];
for (let r = 0; r < rounds; r++) {
  const one = await poolThroughput(1, 100 + r);
  const two = await poolThroughput(2, 100 + r);
  const s1 = await studyThroughput(1, 200 + r);
  const s2 = await studyThroughput(2, 200 + r);
  rows.push({ pool1: one, pool2: two, pool_ratio: two / one, study_inline: s1, study_2jobs: s2, study_ratio: s2 / s1 });
}
const summary = {
  workload: `rsi_reversion on ${bars} bars, ${trials} trials per measurement, ${rounds} rounds`,
  pool_1_worker_trials_per_s: median(rows.map((x) => x.pool1)),
  pool_2_workers_trials_per_s: median(rows.map((x) => x.pool2)),
  pool_speedup: median(rows.map((x) => x.pool_ratio)),
  study_n_jobs_1_inline_trials_per_s: median(rows.map((x) => x.study_inline)),
  study_n_jobs_2_trials_per_s: median(rows.map((x) => x.study_2jobs)),
  study_speedup: median(rows.map((x) => x.study_ratio)),
  target_speedup: 1.7,
  rounds: rows,
};
if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
else {
  process.stdout.write(`${summary.workload}\n`);
  process.stdout.write(`worker pool: 1 worker ${summary.pool_1_worker_trials_per_s.toFixed(1)} trials/s, 2 workers ${summary.pool_2_workers_trials_per_s.toFixed(1)} trials/s → ${summary.pool_speedup.toFixed(2)}× (median of ${rounds}; target ≥ 1.7×)\n`);
  process.stdout.write(`optimize study: n_jobs 1 (inline) ${summary.study_n_jobs_1_inline_trials_per_s.toFixed(1)} trials/s, n_jobs 2 ${summary.study_n_jobs_2_trials_per_s.toFixed(1)} trials/s → ${summary.study_speedup.toFixed(2)}×\n`);
}
