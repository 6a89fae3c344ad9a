/**
 * Batch throughput (issue 5, item 1): 40 rsi_reversion items on 200,000 synthetic bars,
 * run through the whole batch machinery (validation, evaluation, storing each item with
 * its ledger entry) on a WorkerPool of 1 thread vs 2 threads — both sides pay the same
 * thread and message costs. Target: 2 workers ≥ 1.7× the throughput of 1 (DESIGN.md §7).
 * Each repetition uses a fresh database file (no answers from the store), with the dataset's
 * candles already in the app's cache and the workers' connections to the file open (a
 * one-item-per-worker batch first), as in a running server; the pools are warmed up once. --runs (default 9) interleaved pairs (1 then 2, then 2 then 1, …); the
 * ratio is the median of the per-pair ratios, for the whole batch (validation and summary
 * included) and for the steady state (items/s from the first to the last finished item). By default the
 * workers store the items (src/research/batch/worker-store.ts, the path of a file store);
 * --main-store measures the main thread storing them (the in-memory-store path) instead.
 * Run: npm run build && node dist/bench/batch.js [--runs N] [--items N] [--bars N] [--main-store] [--dir D] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynthetic } from '../src/engine/data/synthetic.js';
import { WorkerPool } from '../src/engine/parallel/pool.js';
import { ENGINE_WORKER_SCRIPT } from '../src/research/evaluator.js';
import { openApp } from '../src/research/app.js';
import { startBatch } from '../src/research/batch/job.js';
import { datasetCandles } from '../src/research/datasets.js';
import { BATCH_WORKER_SCRIPT } from '../src/research/batch/worker-store.js';
import { JobRunner } from '../src/research/jobs.js';
import { insertDataset } from '../src/storage/datasets.js';
import { fmt, interleavedPair, median } from './stats.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const runs = arg('runs', 9);
const nItems = arg('items', 40);
const bars = arg('bars', 200_000);
const json = process.argv.includes('--json');
/** --main-store: the engine's workers, the main thread storing every item (the in-memory-store path). */
const mainStore = process.argv.includes('--main-store');
/** --dir D: where the database files go (default the OS temp dir; /dev/shm leaves the disk out; :memory: = in-memory stores, main thread storing). */
const dirArg = process.argv.indexOf('--dir');
const memory = dirArg >= 0 && process.argv[dirArg + 1] === ':memory:';
const dir = mkdtempSync(join(dirArg >= 0 && !memory ? process.argv[dirArg + 1] : tmpdir(), 'tradelab-bench-batch-'));
let repetition = 0;
const candles = generateSynthetic({ symbol: 'BENCH', timeframe: '1m', bars, seed: 9, start: Date.UTC(2022, 0, 1) });
const paramSets = Array.from({ length: nItems }, (_, k) => ({ period: 5 + k, lower: 30, upper: 70 }));
if (nItems < 1) throw new Error('--items must be at least 1');

interface Once {
  readonly ms: number;
  /** Items per second between the first and the last finished item (the batch's steady state). */
  readonly rate: number;
}

async function once(pool: WorkerPool): Promise<Once> {
  // a fresh database file per repetition: nothing can be answered from the store
  const file = memory ? ':memory:' : join(dir, `bench-${repetition++}.db`);
  const app = openApp({ dbFile: file, home: dir, config: { workers: pool.size, wait_seconds: 600 } });
  const { dataset: ds } = insertDataset(app.db, { candles, source: 'bench', isSynthetic: true, now: 0 });
  // the candles in the app's cache, as in a running server after the dataset's first use
  datasetCandles(app, ds);
  const jobs = new JobRunner(app);
  const ticks: number[] = [];
  try {
    // open every worker's connection to this new file (in a running server they stay open):
    // one item per worker, with params the measured batch does not use
    const warm = Array.from({ length: pool.size }, (_, k) => ({ period: 2 + k, lower: 30, upper: 70 }));
    const { run: w0 } = startBatch(app, jobs, 'bench', { strategy: 'rsi_reversion', param_sets: warm, symbols: ['BENCH'], timeframes: ['1m'], concurrency: pool.size }, { evaluator: pool, db_file: mainStore || memory ? null : file });
    await jobs.wait(w0.id, 3_600_000);
    const t0 = performance.now();
    const { run } = startBatch(app, jobs, 'bench', { strategy: 'rsi_reversion', param_sets: paramSets, symbols: ['BENCH'], timeframes: ['1m'], concurrency: pool.size }, { evaluator: pool, db_file: mainStore || memory ? null : file });
    const w = await jobs.wait(run.id, 3_600_000, undefined, () => ticks.push(performance.now()));
    const ms = performance.now() - t0;
    const counts = (w.run.summary as { counts: { ok: number } } | null)?.counts;
    if (w.run.status !== 'succeeded' || counts?.ok !== nItems) throw new Error(`batch ${w.run.status}: ${w.run.error ?? JSON.stringify(counts)}`);
    return { ms, rate: ((ticks.length - 1) / (ticks[ticks.length - 1] - ticks[0])) * 1000 };
  } finally {
    await jobs.close();
    app.db.close();
  }
}

const script = mainStore || memory ? ENGINE_WORKER_SCRIPT : BATCH_WORKER_SCRIPT;
const pools = { 1: new WorkerPool(1, script), 2: new WorkerPool(2, script) } as const;
const rows: { one: Once; two: Once }[] = [];
try {
  // warm-up: threads started, series loaded, JIT warm
  await once(pools[1]);
  await once(pools[2]);
  // interleaved pairs (1 then 2, then 2 then 1, …): the host's speed drifts by ±20 % over seconds
  for (let r = 0; r < runs; r++) {
    const got = await interleavedPair(r, (size) => once(pools[size]));
    rows.push(got);
    if (!json) process.stderr.write(`round ${r + 1}/${runs}: ${(got.one.ms / got.two.ms).toFixed(2)}× whole batch, ${(got.two.rate / got.one.rate).toFixed(2)}× items/s\n`);
  }
} finally {
  await pools[1].close();
  await pools[2].close();
  rmSync(dir, { recursive: true, force: true });
}
const m1 = median(rows.map((r) => r.one.ms));
const m2 = median(rows.map((r) => r.two.ms));
const result = {
  case: `backtest batch: ${nItems} rsi_reversion items on ${bars.toLocaleString('en-US')} bars, each stored (${mainStore || memory ? 'by the main thread' : 'by the workers'}, ${memory ? 'in-memory SQLite' : `SQLite file in WAL mode under ${dir}`})`,
  pool1_ms: rows.map((r) => r.one.ms),
  pool2_ms: rows.map((r) => r.two.ms),
  pool1_median_ms: m1,
  pool2_median_ms: m2,
  items_per_s_1: (nItems / m1) * 1000,
  items_per_s_2: (nItems / m2) * 1000,
  /** Median over the interleaved pairs of (1-worker time / 2-worker time) for the whole batch. */
  ratio: median(rows.map((r) => r.one.ms / r.two.ms)),
  /** The same for the steady-state item rate (first to last finished item). */
  item_rate_ratio: median(rows.map((r) => r.two.rate / r.one.rate)),
  target_ratio: 1.7,
};
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(`${result.case}\n`);
  process.stdout.write(`  1 worker : median ${fmt(m1)} ms (${result.items_per_s_1.toFixed(1)} items/s)  runs ${result.pool1_ms.map(fmt).join(', ')}\n`);
  process.stdout.write(`  2 workers: median ${fmt(m2)} ms (${result.items_per_s_2.toFixed(1)} items/s)  runs ${result.pool2_ms.map(fmt).join(', ')}\n`);
  process.stdout.write(`  whole batch: ratio ${result.ratio.toFixed(2)}× (median of per-pair ratios; target ≥ ${result.target_ratio}×) ${result.ratio >= result.target_ratio ? 'PASS' : 'FAIL'}\n`);
  process.stdout.write(`  items/s between the first and the last finished item: ratio ${result.item_rate_ratio.toFixed(2)}×\n`);
}
