/**
 * `npm run bench:workers`: studies shared through PostgreSQL (issue 15).
 *
 * 1. Throughput: one study run by 1, 2 and 4 `tradelab worker` processes (concurrency 1 each)
 *    on a throwaway local server; trials per second read from the trials' own times, warm (the
 *    middle of the study: warmRate; the target's measure) and while every worker runs
 *    (start-up and warm-up included: steadyRate). The sides
 *    are measured in rotated order per round (1,2,4 then 2,4,1 …); each ratio is the median of
 *    the per-round ratios. Target: ≥ 1.8× with 2 workers on this 2-core machine.
 * 2. Storage overhead per trial: the store's work for one trial (ask: create it with its
 *    params; tell: finish it with values, metrics and intermediate values; plus the reads a
 *    writer sharing the study makes) through PgStudyStore vs SqliteStudyStore on a file, in
 *    one process, with a trivial objective. Target: ≤ 3 ms per trial through PostgreSQL.
 *
 * Flags: --strategy NAME (sma_cross), --sampler tpe|random (tpe), --bars N (300000), --trials N (800), --rounds N (3), --json.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynthetic } from '../src/engine/data/synthetic.js';
import { optimize } from '../src/engine/optimizer/optimize.js';
import type { StudyStore } from '../src/engine/optimizer/store.js';
import type { FrozenTrial } from '../src/engine/optimizer/trial.js';
import { Study } from '../src/engine/optimizer/study.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { openApp } from '../src/research/app.js';
import { openRemote, type RemoteBackend } from '../src/research/remote/backend.js';
import { enqueueStudy } from '../src/research/remote/task.js';
import { insertDataset } from '../src/storage/datasets.js';
import { openDb } from '../src/storage/db.js';
import { startPostgres } from '../src/storage/pg/local-server.js';
import { SqliteStudyStore } from '../src/storage/study-store.js';
import { median } from './stats.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const bars = arg('bars', 300_000);
// 800: a worker's first few hundred trials still compute new indicator periods (each process
// its own cache) and the study's start-up dominates a shorter study: 200 trials measured 1.09×
// for 2 workers where 800 measured 1.49× on the same machine the same hour
const nTrials = arg('trials', 800);
const rounds = arg('rounds', 3);
const json = process.argv.includes('--json');
function sarg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}
const strategy = sarg('strategy', 'sma_cross');
const sampler = sarg('sampler', 'tpe');
const CLI = join(PACKAGE_ROOT, 'bin', 'tradelab.js');

/** k worker processes of `threads` trials at a time each. */
interface Setup {
  readonly label: string;
  readonly k: number;
  readonly threads: number;
}
const SETUPS: readonly Setup[] = [
  { label: '1 worker', k: 1, threads: 1 },
  { label: '2 workers', k: 2, threads: 1 },
  { label: '4 workers', k: 4, threads: 1 },
  { label: '1 worker × 2 threads', k: 1, threads: 2 },
];

interface Rates {
  /** While every worker runs (start-up and warm-up included). */
  readonly all_running: number;
  /** The middle of the study (warm: see warmRate). */
  readonly warm: number;
}

async function runWorkers(url: string, remote: RemoteBackend, study: string, setup: Setup): Promise<Rates> {
  const procs = Array.from({ length: setup.k }, () =>
    spawn(process.execPath, [CLI, 'worker', '--storage', url, '--study', study, '--idle-exit', '0.5', '--concurrency', String(setup.threads)], { stdio: ['ignore', 'ignore', 'pipe'] }),
  );
  const errs = procs.map((p) => {
    let s = '';
    p.stderr.on('data', (b: Buffer) => (s += b.toString()));
    return () => s;
  });
  const codes = await Promise.all(procs.map((p) => new Promise<number | null>((r) => p.on('exit', r))));
  if (codes.some((c) => c !== 0)) throw new Error(`a worker failed:\n${errs.map((e) => e()).join('\n')}`);
  const s = (await remote.store.getStudy(study))!;
  const trials = await remote.store.listTrials(s.study_id);
  // every trial finished (a long TPE study may also FAIL a few: params the strategy refuses); the rate counts COMPLETE ones
  const finished = trials.filter((t) => t.state !== 'RUNNING' && t.state !== 'WAITING');
  if (finished.length !== nTrials) throw new Error(`${study}: ${finished.length} finished trials, expected ${nTrials}`);
  const done = trials.filter((t) => t.state === 'COMPLETE');
  return { all_running: steadyRate(done), warm: warmRate(done) };
}

/**
 * Trials per second while every worker runs: from the moment the last worker started its
 * first trial to the moment the first worker finished its last one (start-up — a worker
 * fetching the dataset's bars, building its objective — and the drain at the end are not
 * steady state), counting the trials finished in that window.
 */
function steadyRate(done: readonly FrozenTrial[]): number {
  const byOwner = new Map<string, FrozenTrial[]>();
  for (const t of done) {
    const o = String(t.system_attrs.owner);
    byOwner.set(o, [...(byOwner.get(o) ?? []), t]);
  }
  const from = Math.max(...[...byOwner.values()].map((ts) => Math.min(...ts.map((t) => t.datetime_start))));
  const to = Math.min(...[...byOwner.values()].map((ts) => Math.max(...ts.map((t) => t.datetime_complete as number))));
  const inWindow = done.filter((t) => (t.datetime_complete as number) > from && (t.datetime_complete as number) <= to).length;
  if (to - from < 500 || inWindow < 10) throw new Error(`steady window too short (${to - from} ms, ${inWindow} trials): use more --trials`);
  return (inWindow / (to - from)) * 1000;
}

/**
 * Trials per second in the middle of the study: from the completion of its (3/8·n)th trial to
 * that of its (7/8·n)th, in completion order. By then every worker has computed the indicator
 * periods it meets (each process keeps its own cache: the first few hundred trials of a
 * worker still compute new ones) and the samplers are past their random start-up, as in the
 * long studies many machines are for; every worker must have finished trials on both sides of
 * the window (all of them ran through it).
 */
function warmRate(done: readonly FrozenTrial[]): number {
  const byEnd = [...done].sort((a, b) => (a.datetime_complete as number) - (b.datetime_complete as number));
  const i = Math.floor((byEnd.length * 3) / 8);
  const j = Math.floor((byEnd.length * 7) / 8);
  const from = byEnd[i].datetime_complete as number;
  const to = byEnd[j].datetime_complete as number;
  const owners = new Set(done.map((t) => String(t.system_attrs.owner)));
  for (const o of owners) {
    const mine = done.filter((t) => String(t.system_attrs.owner) === o).map((t) => t.datetime_complete as number);
    if (!(Math.min(...mine) < from && Math.max(...mine) > to)) throw new Error(`worker ${o} did not run through the middle of the study: use more --trials`);
  }
  if (to - from < 500) throw new Error(`middle window too short (${to - from} ms): use more --trials`);
  return ((j - i) / (to - from)) * 1000;
}

async function storeOverhead(store: StudyStore, name: string, n: number): Promise<number> {
  const study = await Study.open({
    store,
    name,
    directions: ['maximize'],
    space: { fast: { type: 'int', low: 2, high: 50 }, slow: { type: 'int', low: 10, high: 200 }, mode: { type: 'categorical', choices: ['long_only', 'long_short'] } },
    sampler: { type: 'random' },
    seed: 1,
    clock: () => Date.now(),
    owner: 'bench',
    isLive: () => true,
  });
  const metrics = { return_pct: 12.5, sharpe: 1.1, sortino: 1.4, calmar: 0.8, max_drawdown_pct: -14.2, trades: 140, win_rate_pct: 52, profit_factor: 1.3, score: 0.9, exposure_pct: 61 };
  const t0 = performance.now();
  await optimize(study, (p) => ({ values: [Number(p.fast) / Number(p.slow)], user_attrs: { metrics }, intermediate_values: [[0, 0.1], [1, 0.2]] }), { n_trials: n, duplicate_limit: 1e9 });
  return (performance.now() - t0) / n;
}

async function main(): Promise<void> {
  const pg = await startPostgres();
  const home = mkdtempSync(join(tmpdir(), 'tradelab-bench-workers-'));
  const app = openApp({ home, config: {} });
  const remote = await openRemote(pg.url);
  try {
    insertDataset(app.db, { candles: generateSynthetic({ symbol: 'BW', timeframe: '1m', bars, seed: 5, start: Date.UTC(2024, 0, 1) }), source: 'bench', isSynthetic: true, now: 0 });
    const rates = SETUPS.map(() => [] as Rates[]);
    for (let round = 0; round < rounds; round++) {
      // rotated order: each setup runs first, second, … in turn
      for (let j = 0; j < SETUPS.length; j++) {
        const i = (j + round) % SETUPS.length;
        const name = `bench-${i}-${round}`;
        await enqueueStudy(app, remote, { strategy, symbol: 'BW', timeframe: '1m', study_name: name, sampler, pruner: 'none', n_trials: nTrials, seed: round } as never);
        rates[i].push(await runWorkers(pg.url, remote, name, SETUPS[i]));
        const r = rates[i][rates[i].length - 1];
        if (!json) console.log(`round ${round + 1}: ${SETUPS[i].label} ${r.warm.toFixed(1)} trials/s warm, ${r.all_running.toFixed(1)} while all run`);
      }
    }
    const ratio = (i: number, k: keyof Rates): number => median(rates[i].map((r, round) => r[k] / rates[0][round][k]));
    const rate = (i: number, k: keyof Rates): number => median(rates[i].map((r) => r[k]));
    const n = 400;
    const pgMs: number[] = [];
    const sqliteMs: number[] = [];
    for (let round = 0; round < 3; round++) {
      pgMs.push(await storeOverhead(remote.store, `overhead-${round}`, n));
      const db = openDb(join(home, `overhead-${round}.db`));
      sqliteMs.push(await storeOverhead(new SqliteStudyStore(db), 'overhead', n));
      db.close();
    }
    const out = {
      strategy,
      sampler,
      bars,
      trials: nTrials,
      rounds,
      setups: SETUPS.map((s, i) => ({ ...s, trials_per_s: rate(i, 'warm'), speedup: ratio(i, 'warm'), all_running: { trials_per_s: rate(i, 'all_running'), speedup: ratio(i, 'all_running') } })),
      overhead_ms_per_trial: { postgresql: median(pgMs), sqlite: median(sqliteMs), trials: n },
    };
    if (json) console.log(JSON.stringify(out));
    else {
      console.log(`${strategy} on ${bars} bars, ${sampler}, ${nTrials} trials; medians of ${rounds} round(s):`);
      console.log('  warm (the middle of the study)                 | while every worker runs (start-up included)');
      for (const x of out.setups) {
        console.log(`  ${x.label.padEnd(22)} ${x.trials_per_s.toFixed(1).padStart(7)} trials/s  ${x.speedup.toFixed(2)}×${x.k === 2 ? ' (target ≥ 1.8×)' : '               '} | ${x.all_running.trials_per_s.toFixed(1).padStart(7)} trials/s  ${x.all_running.speedup.toFixed(2)}×`);
      }
      console.log(`store work per trial (ask + tell, random sampler, ${n} trials, median of 3): PostgreSQL ${out.overhead_ms_per_trial.postgresql.toFixed(2)} ms (target ≤ 3), SQLite ${out.overhead_ms_per_trial.sqlite.toFixed(2)} ms`);
    }
  } finally {
    await remote.close();
    app.db.close();
    await pg.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
