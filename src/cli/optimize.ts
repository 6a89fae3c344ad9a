/** `tradelab optimize <job.yaml>`: the tasks of a job file as resumable studies, with a progress bar. */
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
import { duplicatesText, shortStopOf, studyFailureOf, stopText } from '../research/optimize/outcome.js';
import { runStudy } from '../research/optimize/run-study.js';
import { createRun, updateRun } from '../storage/runs.js';
import { num } from '../tools/format.js';
import { err, numberFlag, out, parse } from './args.js';
import { ProgressBar } from './progress.js';
import { printFailures } from './summarize.js';

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
