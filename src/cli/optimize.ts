/** `tradelab optimize <job.yaml>` and `tradelab summarize <study>`. */
import { strategyInputName } from '../research/strategies.js';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { App } from '../research/app.js';
import { openCliApp } from './app.js';
import { UserError } from '../research/errors.js';
import { parseStrict } from '../research/strict-input.js';
import { closeEvaluators } from '../research/evaluator.js';
import { jobFileSchema, type OptimizeTask } from '../research/optimize/job.js';
import { resumeText, taskProgress, trialText } from '../research/optimize/progress.js';
import { summarizeStudy } from '../research/optimize/summarize.js';
import { duplicatesText, shortStopOf, studyFailureOf, stopText } from '../research/optimize/outcome.js';
import { runStudy } from '../research/optimize/run-study.js';
import type { FailReasonCount } from '../engine/optimizer/results.js';
import { createRun, updateRun } from '../storage/runs.js';
import { num } from '../tools/format.js';
import { err, numberFlag, out, parse } from './args.js';
import { ProgressBar } from './progress.js';

export const OPTIMIZE_HELP = `tradelab optimize <job.yaml> [--task NAME] [--n-jobs N] [--json]
  Runs every entry of strategy_optimization_tasks (or only --task NAME) as a persistent, resumable study.
  Ctrl-C stops at the next trial boundary; finished trials stay stored and a rerun resumes
  (a trial stopped before it finished is run again first, under its own number).
  Exit codes: 0 every task reached its n_trials (or evaluated its whole grid); 1 a task's trials
  all failed (the most common reason is printed); 3 a task stopped short of its n_trials (timeout,
  wall limit, or only repeated proposals left); 130 stopped by Ctrl-C; 2 bad input.
  Examples: config/optimizer/*.yaml`;

/** Exit code of `tradelab optimize` when a task stopped before its n_trials (not by Ctrl-C). */
export const EXIT_STOPPED_SHORT = 3;

export function loadJobFile(file: string): OptimizeTask[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read job file ${file}: ${(e as Error).message}`, { field: '<job.yaml>', value: file });
  }
  return parseStrict(jobFileSchema, raw, { source: file, expected: 'strategy_optimization_tasks: [ {strategy, symbol, timeframe, space?, objective?, n_trials?, ...} ]' }).strategy_optimization_tasks;
}

const bestText = (v: number | null): string => (v === null ? 'n/a' : num(v, 4));

async function runTask(app: App, task: OptimizeTask, signal: AbortSignal, json: boolean): Promise<Record<string, unknown>> {
  const label = task.task_name ?? task.study_name ?? strategyInputName(task.strategy);
  const run = createRun(app.db, { kind: 'optimize', status: 'running', spec: task as Record<string, unknown>, strategy: strategyInputName(task.strategy), now: app.now() });
  const bar = json ? null : new ProgressBar(label);
  try {
    const count = taskProgress(task);
    const summary = await runStudy(app, task, {
      run_id: run.id,
      signal,
      onStart: (s) => {
        const resumed = resumeText(s);
        if (!bar || !resumed) return;
        const c = count({ stage: s.stage, study_done: s.finished });
        bar.note(`${label}: ${resumed}`);
        bar.resumeFrom(c.done);
        if (s.finished < s.target) bar.update(c.done, c.total, '', bestText(s.best));
      },
      onTrial: (e) => {
        const c = count(e);
        bar?.update(c.done, c.total, trialText(e), bestText(e.best));
      },
    });
    bar?.finish();
    const failure = studyFailureOf(summary);
    const status = signal.aborted ? 'cancelled' : failure ? 'failed' : 'succeeded';
    updateRun(app.db, run.id, { status, summary, error: failure, finished_at: app.now() });
    return { run_id: run.id, status, ...summary };
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
    let failed = 0;
    let short = 0;
    for (const t of tasks) {
      if (controller.signal.aborted) break;
      const s = await runTask(app, nJobs ? { ...t, n_jobs: nJobs } : t, controller.signal, v.json === true);
      if (s.status === 'failed') failed++;
      else if (shortStopOf(s)) short++;
      if (v.json) out(JSON.stringify(s));
      else printSummary(s);
    }
    // a study whose trials all failed is a failed task; the other tasks still ran
    return controller.signal.aborted ? 130 : failed > 0 ? 1 : short > 0 ? EXIT_STOPPED_SHORT : 0;
  } finally {
    process.off('SIGINT', onSig);
    process.off('SIGTERM', onSig);
    await closeEvaluators(app);
    app.db.close();
  }
}

/** Why trials failed: the study's failure when they all did, else each reason with its count. */
function printFailures(s: Record<string, unknown>): void {
  const failure = studyFailureOf(s);
  if (failure) out(`  FAILED: ${failure}`);
  else for (const r of (s.fail_reasons ?? []) as FailReasonCount[]) out(`  ${r.count} trial(s) failed: ${r.reason} (e.g. #${r.trials.join(', #')})`);
}

function printSummary(s: Record<string, unknown>): void {
  const best = s.best as { number: number; values: number[]; params: unknown; run_id: string } | null;
  const counts = Object.entries(s.counts as Record<string, number>).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  const resumed = s.resumed ? ` (resumed at ${String(s.resumed_at)}, ${String(s.trials_this_call)} this run)` : '';
  out(`study ${String(s.study_name)} (run ${String(s.run_id)}): ${String(s.trials_finished)} of ${String(s.n_trials_target)} trials finished${resumed}; ${counts.join(', ') || 'no trials'}; cache hits ${String(s.cache_hits)}`);
  out(`  ${stopText(s)}`);
  printFailures(s);
  if (best) out(`  best #${best.number}: ${best.values.map((x) => num(x, 4)).join(', ')}  ${JSON.stringify(best.params)}  (backtest run ${best.run_id})`);
  if (duplicatesText(s)) out(`  ${duplicatesText(s).trim()}`);
  if (s.narrowed_space) out(`  fine stage searched the narrowed space ${JSON.stringify(s.narrowed_space)}`);
  for (const t of (s.validated ?? []) as { number: number; passed: boolean; reasons: string[]; holdout_run_id: string }[]) {
    out(`  holdout check of trial #${t.number}: ${t.passed ? 'PASSED' : `failed (${t.reasons.join('; ')})`} (run ${t.holdout_run_id})`);
  }
}

export const SUMMARIZE_HELP = `tradelab summarize <study> [--top N] [--json]
  Prints a stored study: meta, counts by state, durations, how its last run stopped, why trials failed,
  and the best and the top N distinct configurations, ranked as the optimizer ranks them
  (feasible trials first, infeasible ones by total constraint violation, then the objective).`;

export async function summarizeCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, { top: { type: 'string' }, json: { type: 'boolean' } }, 'summarize', 1);
  if (v.help) return (out(SUMMARIZE_HELP), 0);
  const name = positionals[0];
  if (!name) throw new UserError('summarize needs a study name', { field: '<study>', hint: 'tradelab summarize <study> --top 5' });
  const top = numberFlag(v.top, 'top') ?? 5;
  const app = openCliApp();
  try {
    const s = await summarizeStudy(app, name, top);
    if (v.json) return (out(JSON.stringify(s)), 0);
    printStudy(s, top);
    return 0;
  } finally {
    app.db.close();
  }
}

type Row = { number: number; values: number[]; params: unknown; feasible: boolean; copies: number };

function printStudy(s: Record<string, unknown>, top: number): void {
  const meta = s.meta as Record<string, unknown> & { directions: string[]; created: string; forced_resumes: unknown[] };
  const d = s.durations as { wall_seconds: number | null; mean_trial_ms: number | null };
  const counts = Object.entries(s.counts as Record<string, number>).filter(([, n]) => n > 0);
  out(`study ${String(s.study)} — ${String(meta.strategy ?? '?')} on ${String(meta.symbol ?? '?')} ${String(meta.timeframe ?? '')}, ${meta.directions.join('/')}, created ${meta.created}`);
  out(`  trials: ${counts.length ? counts.map(([k, n]) => `${n} ${k}${k === 'WAITING' ? ' (stopped before finishing; run first when the study resumes)' : ''}`).join(', ') : 'none'}; ${String(s.distinct_configurations)} distinct complete configuration(s)`);
  out(`  durations: wall ${d.wall_seconds === null ? 'n/a' : d.wall_seconds.toFixed(1) + ' s'}, mean trial ${d.mean_trial_ms === null ? 'n/a' : d.mean_trial_ms.toFixed(1) + ' ms'}`);
  const stopped = s.stopped as { reason: string; detail: string; short?: { finished: number; target: number } | null } | null;
  if (stopped) out(`  last run stopped by ${stopped.reason} (${stopped.detail})${stopped.short ? `, short of n_trials: ${stopped.short.finished} of ${stopped.short.target} trials finished` : ''}`);
  if (meta.forced_resumes.length) out(`  forced resumes: ${JSON.stringify(meta.forced_resumes)}`);
  printFailures(s);
  const collapsed = s.top_duplicates_collapsed as number;
  out(`  top ${top} distinct configurations${collapsed > 0 ? ` (${collapsed} repeated trial(s) collapsed)` : ''}, feasible first:`);
  for (const t of s.top as Row[]) {
    const notes = [t.feasible ? '' : 'infeasible', t.copies > 1 ? `×${t.copies}` : ''].filter((x) => x !== '').join(', ');
    out(`    #${String(t.number).padEnd(5)} ${t.values.map((x) => num(x, 4)).join(', ').padEnd(12)} ${JSON.stringify(t.params)}${notes ? `  (${notes})` : ''}`);
  }
}
