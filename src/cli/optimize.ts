/** `tradelab optimize <job.yaml>` and `tradelab summarize <study>`. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { unflatten } from '../engine/optimizer/paths.js';
import type { App } from '../research/app.js';
import { openCliApp } from './app.js';
import { UserError } from '../research/errors.js';
import { parseStrict } from '../research/strict-input.js';
import { closeEvaluators } from '../research/evaluator.js';
import { jobFileSchema, type OptimizeTask } from '../research/optimize/job.js';
import { listTrialsSync, progressMessage } from '../research/optimize/index.js';
import { runStudy } from '../research/optimize/run-study.js';
import { createRun, updateRun } from '../storage/runs.js';
import { num } from '../tools/format.js';
import { err, numberFlag, out, parse } from './args.js';
import { ProgressBar } from './progress.js';

export const OPTIMIZE_HELP = `tradelab optimize <job.yaml> [--task NAME] [--n-jobs N] [--json]
  Runs every entry of strategy_optimization_tasks (or only --task NAME) as a persistent, resumable study.
  Ctrl-C stops at the next trial boundary; finished trials stay stored and a rerun resumes.
  Examples: config/optimizer/*.yaml`;

export function loadJobFile(file: string): OptimizeTask[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read job file ${file}: ${(e as Error).message}`, { field: '<job.yaml>', value: file });
  }
  return parseStrict(jobFileSchema, raw, { source: file, expected: 'strategy_optimization_tasks: [ {strategy, symbol, timeframe, space?, objective?, n_trials?, ...} ]' }).strategy_optimization_tasks;
}

async function runTask(app: App, task: OptimizeTask, signal: AbortSignal, json: boolean): Promise<Record<string, unknown>> {
  const label = task.task_name ?? task.study_name ?? task.strategy;
  const run = createRun(app.db, { kind: 'optimize', status: 'running', spec: task as Record<string, unknown>, strategy: task.strategy, now: app.now() });
  const bar = json ? null : new ProgressBar(label);
  try {
    const total = (task.n_trials ?? 100) + (task.refine?.n_trials ?? 0);
    let base = 0;
    let stage = '';
    const summary = await runStudy(app, task, {
      run_id: run.id,
      signal,
      onTrial: (e) => {
        if (e.stage !== stage) {
          if (stage !== '') base = task.n_trials ?? 100;
          stage = e.stage;
        }
        bar?.update(base + e.done, total, progressMessage(e).replace(/ \(\d+\/\d+\)$/, ''));
      },
    });
    bar?.finish();
    updateRun(app.db, run.id, { status: signal.aborted ? 'cancelled' : 'succeeded', summary, finished_at: app.now() });
    return { run_id: run.id, ...summary };
  } catch (e) {
    bar?.finish();
    updateRun(app.db, run.id, { status: 'failed', error: e instanceof UserError ? e.describe() : (e as Error).message, finished_at: app.now() });
    throw e;
  }
}

export async function optimizeCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, { task: { type: 'string' }, 'n-jobs': { type: 'string' }, json: { type: 'boolean' } }, 'optimize', 1);
  if (v.help) return (out(OPTIMIZE_HELP), 0);
  const file = positionals[0];
  if (!file) throw new UserError('optimize needs a job file', { field: '<job.yaml>', hint: OPTIMIZE_HELP.split('\n')[0] });
  let tasks = loadJobFile(file);
  if (typeof v.task === 'string') {
    const names = tasks.map((t) => t.task_name ?? '(unnamed)');
    tasks = tasks.filter((t) => t.task_name === v.task);
    if (tasks.length === 0) throw new UserError(`no task named ${JSON.stringify(v.task)} in ${file}`, { field: '--task', value: v.task, expected: names.join(', ') });
  }
  const nJobs = numberFlag(v['n-jobs'], 'n-jobs');
  const controller = new AbortController();
  const onSig = (): void => {
    err('\ntradelab: stopping at the next trial boundary (finished trials are kept; rerun to resume)');
    controller.abort();
  };
  process.once('SIGINT', onSig);
  process.once('SIGTERM', onSig);
  const app = openCliApp();
  try {
    for (const t of tasks) {
      if (controller.signal.aborted) break;
      const s = await runTask(app, nJobs ? { ...t, n_jobs: nJobs } : t, controller.signal, v.json === true);
      if (v.json) out(JSON.stringify(s));
      else printSummary(s);
    }
    return controller.signal.aborted ? 130 : 0;
  } finally {
    process.off('SIGINT', onSig);
    process.off('SIGTERM', onSig);
    await closeEvaluators(app);
    app.db.close();
  }
}

function printSummary(s: Record<string, unknown>): void {
  const best = s.best as { number: number; values: number[]; params: unknown; run_id: string } | null;
  out(`study ${String(s.study_name)} (run ${String(s.run_id)}): ${String(s.trials_total)} trials, stopped by ${String(s.stop_reason)}, ${JSON.stringify(s.counts)}, cache hits ${String(s.cache_hits)}`);
  if (best) out(`  best #${best.number}: ${best.values.map((x) => num(x, 4)).join(', ')}  ${JSON.stringify(best.params)}  (backtest run ${best.run_id})`);
  if (s.narrowed_space) out(`  fine stage searched the narrowed space ${JSON.stringify(s.narrowed_space)}`);
  for (const t of (s.validated ?? []) as { number: number; passed: boolean; reasons: string[]; holdout_run_id: string }[]) {
    out(`  holdout check of trial #${t.number}: ${t.passed ? 'PASSED' : `failed (${t.reasons.join('; ')})`} (run ${t.holdout_run_id})`);
  }
}

export const SUMMARIZE_HELP = `tradelab summarize <study> [--top N] [--json]
  Prints a stored study: meta, counts by state, durations, the best and the top N trials.`;

export async function summarizeCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, { top: { type: 'string' }, json: { type: 'boolean' } }, 'summarize', 1);
  if (v.help) return (out(SUMMARIZE_HELP), 0);
  const name = positionals[0];
  if (!name) throw new UserError('summarize needs a study name', { field: '<study>', hint: 'tradelab summarize <study> --top 5' });
  const top = numberFlag(v.top, 'top') ?? 5;
  const app = openCliApp();
  try {
    const study = app.db.prepare('SELECT study_id, datetime_start FROM studies WHERE study_name = ?').get(name) as { study_id: number; datetime_start: number } | undefined;
    if (!study) {
      const known = (app.db.prepare('SELECT study_name FROM studies ORDER BY study_id DESC LIMIT 20').all() as { study_name: string }[]).map((r) => r.study_name);
      throw new UserError(`no study named ${JSON.stringify(name)}`, { field: '<study>', value: name, expected: known.length ? `one of ${known.join(', ')}` : 'none stored yet' });
    }
    const dirs = (app.db.prepare('SELECT direction FROM study_directions WHERE study_id = ? ORDER BY objective').all(study.study_id) as { direction: string }[]).map((d) => d.direction);
    const attrs = Object.fromEntries((app.db.prepare('SELECT key, value_json FROM study_user_attributes WHERE study_id = ?').all(study.study_id) as { key: string; value_json: string }[]).map((a) => [a.key, JSON.parse(a.value_json)]));
    const sys = Object.fromEntries((app.db.prepare('SELECT key, value_json FROM study_system_attributes WHERE study_id = ?').all(study.study_id) as { key: string; value_json: string }[]).map((a) => [a.key, JSON.parse(a.value_json)]));
    const times = app.db.prepare('SELECT MIN(datetime_start) AS s, MAX(datetime_complete) AS e, AVG(datetime_complete - datetime_start) AS avg FROM trials WHERE study_id = ?').get(study.study_id) as { s: number | null; e: number | null; avg: number | null };
    const trials = listTrialsSync(app, name);
    const counts: Record<string, number> = {};
    for (const t of trials) counts[t.state as string] = (counts[t.state as string] ?? 0) + 1;
    const sign = dirs[0] === 'minimize' ? 1 : -1;
    const ranked = trials.filter((t) => t.state === 'COMPLETE').sort((a, b) => sign * (((a.values as number[])[0] ?? 0) - ((b.values as number[])[0] ?? 0)));
    const summary = {
      study: name,
      meta: { ...attrs, directions: dirs, signature: sys.signature ?? null, forced_resumes: sys.forced_resumes ?? [], created: new Date(study.datetime_start).toISOString() },
      counts,
      durations: { first_start: times.s === null ? null : new Date(times.s).toISOString(), last_finish: times.e === null ? null : new Date(times.e).toISOString(), wall_seconds: times.s !== null && times.e !== null ? (times.e - times.s) / 1000 : null, mean_trial_ms: times.avg },
      best: ranked[0] ?? null,
      top: ranked.slice(0, top),
    };
    if (v.json) return (out(JSON.stringify(summary)), 0);
    out(`study ${name} — ${String(attrs.strategy ?? '?')} on ${String(attrs.symbol ?? '?')} ${String(attrs.timeframe ?? '')}, ${dirs.join('/')}, created ${summary.meta.created}`);
    out(`  trials: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}`);
    out(`  durations: wall ${summary.durations.wall_seconds === null ? 'n/a' : summary.durations.wall_seconds.toFixed(1) + ' s'}, mean trial ${times.avg === null ? 'n/a' : times.avg.toFixed(1) + ' ms'}`);
    if ((summary.meta.forced_resumes as unknown[]).length) out(`  forced resumes: ${JSON.stringify(summary.meta.forced_resumes)}`);
    out(`  top ${top}:`);
    for (const t of summary.top) out(`    #${String(t.number).padEnd(5)} ${(t.values as number[]).map((x) => num(x, 4)).join(', ').padEnd(12)} ${JSON.stringify(unflatten((t.params ?? {}) as Record<string, string | number | boolean | null>))}`);
    return 0;
  } finally {
    app.db.close();
  }
}
