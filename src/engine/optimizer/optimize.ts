/**
 * `optimize()`: a thin async ask → evaluate → tell loop around a Study.
 *
 * - stops on n_trials (trials started by this call), timeout (injected clock), an
 *   AbortSignal (at the next trial boundary: running trials finish and are stored, queued
 *   ones go back to WAITING and are run first next time), or exhaustion (the sampler has
 *   nothing left, or `duplicate_limit` proposals in a row were points the study had already
 *   evaluated); `stop_detail` says which, in words;
 * - the duplicate streak is the study's own (trials in the order they were asked, each one
 *   repeating an earlier trial's params or not), so it carries over a resume; a trial run
 *   again after an interruption counts once, as its first proposal did, never as a repeat
 *   of itself;
 * - `n_jobs` trials run concurrently (p-limit), plus `queue_ahead` asked early; asks are
 *   serialised, so each proposal sees the others' RUNNING trials (TPE's constant liar);
 * - a thrown error or a NaN objective makes a FAIL trial, stored, never a crash; its
 *   `fail_reason` system attribute says why (TrialFailed also keeps what was measured);
 * - `lookup(params)` can answer a trial from a cache: it is stored as a COMPLETE trial with
 *   the `cache_hit` system attribute and costs no evaluation; a duplicate of a COMPLETE
 *   trial of this study is answered from that trial (`duplicate_of`).
 */
import pLimit from 'p-limit';
import { paramsKey } from './space.js';
import type { FlatParams } from './space.types.js';
import { TaskCancelled } from '../cancel.js';
import { INTERRUPTED_ATTR, type Study, type TellResult } from './study.js';
import { StoreError } from './store.js';
import { isFinished, type AttrValue, type Attrs, type FrozenTrial } from './trial.js';

export const STOP_REASONS = ['n_trials', 'timeout', 'cancelled', 'exhausted'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

/** Thrown (or returned as `{ pruned: true }`) by an objective that stops because it was pruned. */
export class TrialPruned extends Error {
  constructor(message = 'trial pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}

/**
 * Thrown by an objective whose trial fails for a reason it can name (e.g. the backtest ran but
 * the objective metric is undefined): the trial is FAIL with `message` as its `fail_reason`
 * and keeps `user_attrs` (what was measured, e.g. the backtest's metrics).
 */
export class TrialFailed extends Error {
  constructor(
    message: string,
    readonly user_attrs: Attrs = {},
  ) {
    super(message);
    this.name = 'TrialFailed';
  }
}

export interface ObjectiveContext {
  readonly number: number;
  /** Records the running objective at a checkpoint; returns true when the trial should stop (pruned). */
  report(step: number, value: number): boolean;
  readonly signal: AbortSignal;
}

export interface ObjectiveOutcome {
  readonly values?: number | readonly number[];
  readonly constraints?: readonly number[] | null;
  readonly user_attrs?: Attrs;
  readonly system_attrs?: Attrs;
  /** The objective stopped early because report() said so. */
  readonly pruned?: boolean;
  /** Intermediate values measured elsewhere (e.g. in a worker thread). */
  readonly intermediate_values?: Iterable<readonly [number, number]>;
  /** Writes that belong with the trial, committed with it (TrialFinish.alongside). */
  readonly alongside?: () => void;
}

export type ObjectiveResult = number | readonly number[] | ObjectiveOutcome;
export type Objective = (params: FlatParams, ctx: ObjectiveContext) => ObjectiveResult | Promise<ObjectiveResult>;

export interface OptimizeOptions {
  /** Trials to start in this call (default: unlimited, then a timeout or signal must stop it). */
  readonly n_trials?: number;
  readonly timeout_ms?: number;
  readonly signal?: AbortSignal;
  readonly n_jobs?: number;
  /**
   * Trials asked ahead of a free job slot (default 0). With an evaluator that limits itself to
   * `n_jobs` parallel evaluations (a worker pool), 1 keeps a trial queued, so a worker that
   * finishes starts the next one at once instead of idling while the main thread tells the
   * finished trial and asks a new one. The queued trial is RUNNING, so TPE's constant liar
   * sees it like the others.
   */
  readonly queue_ahead?: number;
  /** A cached result for these params, or null/undefined to evaluate. */
  readonly lookup?: (params: FlatParams) => ObjectiveResult | null | undefined | Promise<ObjectiveResult | null | undefined>;
  /** Consecutive proposals of already-evaluated points before stopping as exhausted (default 20). */
  readonly duplicate_limit?: number;
  readonly onTrial?: (trial: FrozenTrial, study: Study) => void;
  /** A trial this call ran that another writer finished first (its result is dropped). */
  readonly onLost?: (number: number, why: string) => void;
}

export interface OptimizeSummary {
  readonly stop_reason: StopReason;
  /** Why, in words (which limit, or what made the space count as exhausted). */
  readonly stop_detail: string;
  /** Exhausted because the sampler had no point left (every point of a grid was tried). */
  readonly space_exhausted: boolean;
  readonly trials_started: number;
  readonly elapsed_ms: number;
}

function toTell(result: ObjectiveResult, extra: Attrs = {}): TellResult {
  if (typeof result === 'number') return { state: 'COMPLETE', values: [result], system_attrs: extra };
  if (Array.isArray(result)) return { state: 'COMPLETE', values: result as readonly number[], system_attrs: extra };
  const o = result as ObjectiveOutcome;
  const system_attrs = { ...extra, ...(o.system_attrs ?? {}) };
  const common = { user_attrs: o.user_attrs, system_attrs, intermediate_values: o.intermediate_values, alongside: o.alongside };
  if (o.pruned) return { state: 'PRUNED', ...common };
  if (o.values === undefined) return { state: 'FAIL', reason: 'the objective returned no values', ...common };
  const values = typeof o.values === 'number' ? [o.values] : o.values;
  return { state: 'COMPLETE', values, constraints: o.constraints, ...common };
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export async function optimize(study: Study, objective: Objective, opts: OptimizeOptions = {}): Promise<OptimizeSummary> {
  const nJobs = opts.n_jobs ?? 1;
  if (!Number.isInteger(nJobs) || nJobs < 1) throw new RangeError(`n_jobs must be an integer >= 1, got ${nJobs}`);
  const nTrials = opts.n_trials ?? Infinity;
  if (!(nTrials >= 0)) throw new RangeError(`n_trials must be >= 0, got ${nTrials}`);
  if (opts.n_trials === undefined && opts.timeout_ms === undefined && opts.signal === undefined) {
    throw new RangeError('optimize needs n_trials, timeout_ms or a signal to stop');
  }
  const ahead = opts.queue_ahead ?? 0;
  if (!Number.isInteger(ahead) || ahead < 0) throw new RangeError(`queue_ahead must be an integer >= 0, got ${ahead}`);
  const slots = nJobs + ahead;
  const dupLimit = opts.duplicate_limit ?? 20;
  const signal = opts.signal ?? new AbortController().signal;
  const start = study.clock();
  let started = 0;
  let stop: StopReason | null = null;
  let detail = '';
  let spaceExhausted = false;
  const stopAs = (reason: StopReason, why: string): void => {
    if (stop !== null) return;
    stop = reason;
    detail = why;
  };

  // Params key → a COMPLETE trial with those params (duplicates are answered from it).
  const completeByKey = new Map<string, FrozenTrial>();
  // Params key → the trial that proposed it first; a later trial with it is a repeat.
  const firstWith = new Map<string, number>();
  let dupStreak = 0;
  /** Registers a proposal; true when an earlier trial (not this one) had the same params. */
  const repeats = (number: number, key: string): boolean => {
    const first = firstWith.get(key);
    if (first === undefined) firstWith.set(key, number);
    return first !== undefined && first !== number;
  };
  for (const t of study.trials) {
    if (!isEvaluation(t)) continue; // WAITING: proposed, but counted when it runs
    const key = paramsKey(study.space, t.params);
    dupStreak = repeats(t.number, key) ? dupStreak + 1 : 0;
    if (t.state === 'COMPLETE') completeByKey.set(key, t);
  }

  function checkStop(): StopReason | null {
    if (stop) return stop;
    if (signal.aborted) stopAs('cancelled', `cancelled after ${started} trial(s) had started`);
    else if (started >= nTrials) stopAs('n_trials', `started the ${nTrials} trial(s) asked for`);
    else if (opts.timeout_ms !== undefined && study.clock() - start >= opts.timeout_ms) stopAs('timeout', `the timeout of ${opts.timeout_ms / 1000} s was reached after ${started} trial(s) had started`);
    return stop;
  }

  async function runTrial(): Promise<void> {
    const asked = await study.ask();
    if (asked === null && study.full) {
      stopAs('n_trials', "the study's trial budget is taken: every trial is done or running (here or in another worker)");
      return;
    }
    if (asked === null) {
      spaceExhausted = true;
      stopAs('exhausted', 'the sampler has no point left to propose (every point of the grid was tried)');
      return;
    }
    const { number, params } = asked;
    const key = paramsKey(study.space, params);
    const twin = completeByKey.get(key);
    dupStreak = repeats(number, key) ? dupStreak + 1 : 0;
    let result: TellResult;
    try {
      if (twin && twin.values) {
        result = { state: 'COMPLETE', values: twin.values, constraints: twin.constraints, user_attrs: twin.user_attrs, system_attrs: { duplicate_of: twin.number } };
      } else {
        const cached = opts.lookup ? await opts.lookup(params) : null;
        if (cached !== null && cached !== undefined) {
          result = toTell(cached, { cache_hit: true });
        } else {
          const ctx: ObjectiveContext = { number, signal, report: (step, value) => study.report(number, step, value) };
          result = toTell(await objective(params, ctx));
        }
      }
    } catch (e) {
      if (e instanceof TrialPruned) result = { state: 'PRUNED' };
      else if (e instanceof TrialFailed) result = { state: 'FAIL', reason: e.message, user_attrs: e.user_attrs };
      else if (e instanceof TaskCancelled) {
        // queued when the study was cancelled, never run: back to WAITING under its own number,
        // so the next run of the study runs it first and nothing about it is counted
        await study.requeue(number, e.message);
        return;
      } else result = { state: 'FAIL', reason: errorText(e), system_attrs: { error: errorText(e) as AttrValue } };
    }
    let finished: FrozenTrial;
    try {
      finished = await study.tell(number, result);
    } catch (e) {
      // finished elsewhere meanwhile (another worker failed it as stale and queued its retry):
      // this evaluation is dropped, the study goes on
      if (!(e instanceof StoreError && (e.code === 'trial_finished' || e.code === 'trial_waiting'))) throw e;
      await study.forget(number);
      opts.onLost?.(number, e.message);
      return;
    }
    if (finished.state === 'COMPLETE') completeByKey.set(key, finished);
    if (dupStreak >= dupLimit) stopAs('exhausted', `${dupLimit} proposals in a row were configurations the study had already evaluated: the sampler finds nothing new in this space`);
    opts.onTrial?.(finished, study);
  }

  const limit = pLimit(slots);
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  while (checkStop() === null && failure === null) {
    if (inFlight.size >= slots) {
      await Promise.race(inFlight);
      continue;
    }
    started++;
    const p: Promise<void> = limit(runTrial)
      .catch((e: unknown) => {
        failure ??= e;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    // Let a single-job loop finish the trial before deciding on the next one.
    if (slots === 1) await p;
  }
  await Promise.all(inFlight);
  if (failure !== null) {
    // trials this loop asked and could not tell are not left RUNNING under a live owner
    await study.requeueOwn(`the study stopped on an error: ${errorText(failure)}`);
    throw failure;
  }
  if (stop === null) stopAs('n_trials', `started the ${nTrials} trial(s) asked for`);
  return { stop_reason: stop ?? 'n_trials', stop_detail: detail, space_exhausted: spaceExhausted, trials_started: started, elapsed_ms: study.clock() - start };
}

/**
 * A trial that was (or is being) evaluated: not WAITING to run again, and not one of the FAIL
 * trials an earlier version stored for trials stopped mid-run.
 */
export function isEvaluation(t: FrozenTrial): boolean {
  return t.state !== 'WAITING' && !(t.state === 'FAIL' && t.system_attrs[INTERRUPTED_ATTR] === true);
}

/** Finished trials that count towards a study's n_trials (see isEvaluation). */
export function finishedTrials(study: Study): number {
  return study.trials.filter((t) => isFinished(t.state) && isEvaluation(t)).length;
}

/** Trials still to run for a study that should end with `target` finished trials (WAITING ones are among them). */
export function remainingTrials(study: Study, target: number): number {
  return Math.max(0, target - finishedTrials(study));
}
