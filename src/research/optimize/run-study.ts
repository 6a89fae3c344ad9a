/**
 * Running one optimisation task as a persistent, resumable study: open (or resume) the
 * study in SQLite, ask → evaluate in the worker pool → tell until n_trials / timeout /
 * cancellation / exhaustion, then summarise, re-run the best trial as a stored backtest,
 * and optionally validate the top trials on a holdout window and refine coarse → fine.
 */
import { definitionRef, strategyRequest, strategySpec } from '../strategies.js';
import { finishedTrials, optimize, remainingTrials, type OptimizeSummary } from '../../engine/optimizer/optimize.js';
import { unflatten } from '../../engine/optimizer/paths.js';
import { studyResults } from '../../engine/optimizer/results.js';
import { narrowSpace } from '../../engine/optimizer/space.js';
import { Study, StudySignatureError } from '../../engine/optimizer/study.js';
import { isFeasible, type FrozenTrial } from '../../engine/optimizer/trial.js';
import { compareTrials } from '../../engine/optimizer/objectives.js';
import type { ParamSpec, SearchSpace } from '../../engine/optimizer/space.types.js';
import { PROCESS_TRIAL_OWNER, trialOwnerAlive } from '../../storage/runs.js';
import { appStudyStore } from '../study-store.js';
import type { StudyStore } from '../../engine/optimizer/store.js';
import type { App } from '../app.js';
import { backtest } from '../backtest.js';
import { UserError } from '../errors.js';
import { getEvaluator, queueAhead } from '../evaluator.js';
import type { OptimizeTask, OptimizeTaskInput } from './job.js';
import { makeObjective, type ObjectiveStats } from './objective.js';
import { failReasonOf, stoppedShort, studyFailure, studyStop, wallTimeout, type WallLimit } from './outcome.js';
import { resolveTask, type ResolvedTask } from './resolve.js';
import { validateTop, type ValidatedTrial } from './validate.js';
import { watchStudy } from '../remote/watch.js';
import { recordTrialLedger } from '../remote/ledger-on-trial.js';

export interface TrialEvent {
  readonly trial: FrozenTrial;
  /** Trials finished in this call / to run in this call. */
  readonly done: number;
  readonly total: number;
  /** Finished trials of the study (earlier calls included) / its n_trials: the count progress shows. */
  readonly study_done: number;
  readonly target: number;
  /** The study's best first value so far (earlier calls included), by the optimizer's rule. */
  readonly best: number | null;
  readonly stage: string;
}

/** Said once per stage before its first trial runs: where the study starts (resumed at `finished`). */
export interface StageStart {
  readonly study_name: string;
  readonly stage: string;
  readonly finished: number;
  readonly target: number;
  readonly resumed: boolean;
  /** The study's best first value before this call (null when none). */
  readonly best: number | null;
}

export interface RunOptions {
  readonly run_id: string;
  readonly signal: AbortSignal;
  readonly onTrial?: (e: TrialEvent) => void;
  readonly onStart?: (e: StageStart) => void;
  /** Label of this stage in progress messages (coarse/fine). */
  readonly stage?: string;
  /** The job's wall-time limit (server jobs): the study stops there, as `wall_limit`. */
  readonly wall?: WallLimit;
  /** Remote workers run the trials (n_workers: "external"): this call follows them instead of running any. */
  readonly external?: boolean;
}

export interface TrialView {
  readonly number: number;
  readonly state: string;
  readonly values: readonly number[] | null;
  readonly params: Record<string, unknown>;
  readonly metrics: unknown;
  readonly feasible: boolean;
  /** Why a FAIL trial failed (null otherwise). */
  readonly fail_reason: string | null;
}

export function viewTrial(t: FrozenTrial, base: Record<string, unknown>): TrialView {
  return {
    number: t.number,
    state: t.state,
    values: t.values,
    params: unflatten(t.params, base),
    metrics: t.user_attrs.metrics ?? null,
    feasible: isFeasible(t),
    fail_reason: failReasonOf(t),
  };
}

/** Keeps at most `n` evenly spaced points (always the last). */
export function downsample<T>(xs: readonly T[], n: number): T[] {
  if (xs.length <= n) return [...xs];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(xs[Math.round((i * (xs.length - 1)) / (n - 1))]);
  return out;
}

/**
 * The fine stage searches the narrowed bounds at the parameter's natural resolution, not
 * the coarse grid's step: the step of the strategy's default space when it has one, else
 * every integer / a continuous range.
 */
export function refineResolution(narrowed: SearchSpace, defaults: SearchSpace): SearchSpace {
  const out: Record<string, ParamSpec> = {};
  for (const [k, spec] of Object.entries(narrowed)) {
    if (spec.type === 'categorical') {
      out[k] = spec;
      continue;
    }
    const d = defaults[k];
    const step = d && d.type !== 'categorical' && d.type === spec.type ? d.step : undefined;
    const { step: _coarse, ...rest } = spec;
    void _coarse;
    out[k] = (step !== undefined && !spec.log ? { ...rest, step } : rest) as ParamSpec;
  }
  return out;
}

/** How a study is shared: its store (default this machine's SQLite), who runs it, when another writer counts as alive. */
export interface StudySharing {
  readonly owner?: string;
  readonly isLive?: (owner: string | null) => boolean;
  readonly trial_limit?: number;
}

export async function openStudy(app: App, r: ResolvedTask, store?: StudyStore, sharing: StudySharing = {}): Promise<Study> {
  try {
    return await Study.open({
      store: store ?? (await appStudyStore(app)),
      name: r.study_name,
      directions: r.objectives.map((o) => o.direction),
      space: r.space,
      sampler: r.sampler,
      pruner: r.pruner,
      seed: r.seed,
      clock: app.now,
      signature: r.signature,
      force: r.task.force ?? false,
      user_attrs: { strategy: r.strategy.name, ...(definitionRef(r.strategy) ? { strategy_definition: definitionRef(r.strategy)?.hash ?? null } : {}), dataset_id: r.dataset.id, symbol: r.dataset.symbol, timeframe: r.dataset.timeframe },
      // several processes may run one study: a trial is re-run only when its process is gone
      owner: sharing.owner ?? PROCESS_TRIAL_OWNER,
      isLive: sharing.isLive ?? trialOwnerAlive,
      trial_limit: sharing.trial_limit,
    });
  } catch (e) {
    if (e instanceof StudySignatureError) {
      throw new UserError(e.message, { field: 'study_name', value: r.study_name, expected: 'the same strategy, space, objectives, dataset, date range, execution spec and engine version as when the study was created', hint: 'pick a new study_name, or pass force: true (recorded on the study)' });
    }
    throw e;
  }
}

export async function runStudy(app: App, input: OptimizeTaskInput, opts: RunOptions, opened?: { r: ResolvedTask; study: Study }): Promise<Record<string, unknown>> {
  const r = opened?.r ?? resolveTask(app, input);
  const task = r.task;
  const started = app.now();
  const study = opened?.study ?? (await openStudy(app, r));
  const evaluator = getEvaluator(app, r.n_jobs);
  evaluator.load(r.dataset.content_hash, r.series);
  const stats: ObjectiveStats = { cache_hits: 0, evaluated: 0 };
  const todo = remainingTrials(study, r.n_trials);
  const before = finishedTrials(study);
  const stage = opts.stage ?? 'study';
  let done = 0;
  // progress shows the study's best trial so far by the optimizer's own rule (feasible first)
  const better = compareTrials(r.objectives[0].direction);
  let leader: FrozenTrial | null = null;
  const lead = (t: FrozenTrial): void => {
    if (t.state === 'COMPLETE' && t.values !== null && (leader === null || better(t, leader) < 0)) leader = t;
  };
  for (const t of study.trials) lead(t);
  opts.onStart?.({ study_name: study.name, stage, finished: before, target: r.n_trials, resumed: study.resumed, best: (leader as FrozenTrial | null)?.values?.[0] ?? null });
  let run: OptimizeSummary | null = null;
  const budget = wallTimeout(app.now(), task.timeout, opts.wall);
  // followed even when no trial seems left: retries of failed trials may still be queued
  if (opts.external) {
    run = await watchStudy(study, {
      n_trials: r.n_trials,
      signal: opts.signal,
      onTrial: (t) => {
        done++;
        lead(t);
        // a worker's trial counts in this store's trial ledger, under this run
        recordTrialLedger(app, r, opts.run_id, t);
        opts.onTrial?.({ trial: t, done, total: todo, study_done: Math.min(r.n_trials, before + done), target: r.n_trials, best: leader?.values?.[0] ?? null, stage });
      },
    });
  } else if (todo > 0) {
    run = await optimize(study, makeObjective(app, r, opts.run_id, () => study, evaluator, stats, { stage: opts.stage === 'fine' ? 'fine' : undefined }), {
      n_trials: todo,
      timeout_ms: budget.timeout_ms,
      signal: opts.signal,
      n_jobs: r.n_jobs,
      queue_ahead: queueAhead(evaluator),
      onTrial: (t) => {
        done++;
        lead(t);
        opts.onTrial?.({ trial: t, done, total: todo, study_done: Math.min(r.n_trials, before + done), target: r.n_trials, best: leader?.values?.[0] ?? null, stage });
      },
    });
  }
  const stopped = studyStop(run, { n_trials: r.n_trials, aborted: opts.signal.aborted, by_wall: budget.by_wall, wall: opts.wall });
  const finished = finishedTrials(study);
  const short = stoppedShort(stopped, run, finished, r.n_trials);
  // the study itself says how its last run ended (tradelab summarize shows it)
  await study.store.setStudyAttr(study.record.study_id, 'system', 'last_stop', { ...stopped, at: app.now(), trials: study.trials.length, short: short ? { ...short } : null });
  const res = studyResults(r.space, study.trials, study.directions, { top: task.top, seed: r.seed });
  const base = { ...r.defaults, ...r.fixed };
  const view = (t: FrozenTrial): TrialView => viewTrial(t, base);
  let bestRun: string | null = null;
  let bestMetrics: unknown = null;
  if (res.best) {
    const out = backtest(app, {
      ...strategyRequest(r.strategy),
      params: unflatten(res.best.params, base),
      dataset_id: r.dataset.id,
      from: task.from,
      to: task.to,
      execution: task.execution,
      parent_id: opts.run_id,
      // the best trial's own evaluation is already in the ledger (same config, same bars)
      ledger_source: null,
    });
    bestRun = out.run_id;
    bestMetrics = out.result.metrics;
  }
  const failure = studyFailure(study.trials, res.fail_reasons);
  let validated: ValidatedTrial[] | undefined;
  // validation and refinement take the best distinct configurations, like the top list
  if (task.validate && !opts.signal.aborted) validated = validateTop(app, r, res.ranking.trials, opts.run_id);
  const summary: Record<string, unknown> = {
    study_name: study.name,
    stage,
    strategy: r.strategy.name,
    ...strategySpec(r.strategy),
    dataset_id: r.dataset.id,
    symbol: r.dataset.symbol,
    timeframe: r.dataset.timeframe,
    synthetic_data: r.dataset.is_synthetic,
    range: { from: new Date(r.candles.time[0]).toISOString(), to: new Date(r.candles.time[r.candles.time.length - 1]).toISOString(), bars: r.candles.time.length },
    objectives: r.objectives,
    constraints: r.constraints.map((c) => c.source),
    sampler: r.sampler,
    pruner: r.pruner,
    seed: r.seed,
    n_trials_target: r.n_trials,
    trials_total: study.trials.length,
    trials_finished: finished,
    trials_this_call: done,
    resumed: study.resumed,
    // finished trials when this call started (progress counts from here)
    resumed_at: before,
    // RUNNING when their process stopped: back to WAITING and run first, under their own numbers
    interrupted_trials_requeued: study.interruptedOnOpen,
    stop_reason: stopped.reason,
    stopped,
    stopped_short: short,
    elapsed_ms: app.now() - started,
    counts: res.counts,
    cache_hits: stats.cache_hits,
    evaluated: stats.evaluated,
    best: res.best ? { ...view(res.best), run_id: bestRun, full_metrics: bestMetrics } : null,
    top: res.top.map((t, i) => ({ ...view(t), copies: res.top_copies[i] })),
    top_duplicates_collapsed: res.top_duplicates_collapsed,
    distinct_configurations: res.ranking.trials.length,
    pareto_front: res.pareto_front.slice(0, 20).map(view),
    pareto_front_size: res.pareto_front.length,
    convergence: downsample(res.convergence, 20),
    importance: res.importance,
    fail_reasons: res.fail_reasons.slice(0, 10),
    ...(failure ? { failure } : {}),
    space: r.space,
    ...(validated ? { validated } : {}),
  };
  if (task.refine && !opts.signal.aborted && stopped.reason !== 'wall_limit' && res.top.length > 0) {
    const fineSpace = refineResolution(narrowSpace(r.space, res.ranking.trials.slice(0, task.refine.top).map((t) => t.params), task.refine.factor), r.strategy.defaultSpace);
    const fine = await runStudy(
      app,
      { ...task, study_name: `${study.name}.fine`, space: fineSpace as OptimizeTask['space'], sampler: task.refine.sampler, n_trials: task.refine.n_trials, refine: undefined, force: task.force },
      { ...opts, stage: 'fine' },
    );
    return { ...fine, coarse: { study_name: study.name, counts: res.counts, best: summary.best, stop_reason: stopped.reason, stopped, stopped_short: short, fail_reasons: summary.fail_reasons, space: r.space }, narrowed_space: fineSpace };
  }
  return summary;
}
