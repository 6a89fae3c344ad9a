/**
 * The ask/tell core of a study over the StudyStore port (Optuna's model).
 *
 * Scaling: the study keeps an in-memory mirror of its trials (loaded once on open, then
 * appended to on ask and replaced on tell), so the sampler and pruner read snapshots
 * without re-reading the trial table; the store receives one insert per ask and one
 * transaction per finished trial (intermediate values are buffered in the mirror and written
 * with the finish), plus one indexed read per ask for what other writers of the same study
 * did (study-mirror.ts).
 *
 * Reproducibility: trial n's sampler RNG is seeded with deriveSeed(seed, 'trial', n), and a
 * trial stopped before it finished keeps its number: it goes back to WAITING with its params
 * (when the study is opened again after its process died, or at once when a cancel gives it
 * up) and the next ask runs it first — Optuna's RetryFailedTrialCallback re-runs the params
 * too, but under a new number, which would shift every later trial's seed. So with one job a
 * study interrupted any number of times ends with the same trials (numbers, params, values)
 * as the uninterrupted one.
 */
import { createRng, deriveSeed, type Rng } from '../random.js';
import { createPruner, type Pruner, type PrunerConfig } from './pruners/index.js';
import { createSampler, DEFAULT_SAMPLER, type Sampler, type SamplerConfig } from './samplers/index.js';
import { canonicalSpace, checkParams, validateSpace } from './space.js';
import type { FlatParams, SearchSpace } from './space.types.js';
import { StoreError, OWNER_ATTR, type StudyRecord, type StudyStore } from './store.js';
import { INTERRUPTIONS_ATTR, ownerOf, requeueOrphan, TrialMirror, withInterruption } from './study-mirror.js';
import { freezeTrial, type AttrValue, type Attrs, type FrozenTrial, type StudyDirection, type StudyHistory } from './trial.js';

export interface StudyOptions {
  readonly store: StudyStore;
  readonly name: string;
  readonly directions: readonly StudyDirection[];
  readonly space: SearchSpace;
  readonly sampler?: SamplerConfig | Sampler;
  readonly pruner?: PrunerConfig | Pruner;
  /** Seeds every proposal (trial n draws from deriveSeed(seed, 'trial', n)); a `seed` in the sampler config takes precedence. */
  readonly seed: number;
  /** Epoch ms; the engine has no clock of its own. */
  readonly clock: () => number;
  /**
   * What must not change for a stored study to be resumed (strategy, objectives, dataset
   * hash, date range, execution spec, engine version …). The space and the directions are
   * always part of it.
   */
  readonly signature?: Readonly<Record<string, AttrValue>>;
  /** Resume even when the signature differs; the override is recorded on the study. */
  readonly force?: boolean;
  readonly user_attrs?: Attrs;
  /**
   * Who runs this study's trials (e.g. `host:pid`), recorded as each trial's `owner` system
   * attribute so that other processes opening the study leave them alone while it lives.
   */
  readonly owner?: string;
  /**
   * Whether the owner of a RUNNING trial found on open still runs it (several processes may
   * write one study). Default: nobody else does, so every RUNNING trial found on open was
   * stopped mid-trial and goes back to WAITING.
   */
  readonly isLive?: (owner: string | null) => boolean;
  /**
   * The study's budget when several workers share it: a new trial is created only while the
   * study has fewer trials that count (the store's `limit`); past it, ask() returns null and
   * `full` is true. Default: no limit (the caller counts its own trials).
   */
  readonly trial_limit?: number;
}

export class StudySignatureError extends Error {
  constructor(
    readonly study: string,
    readonly changed: readonly string[],
    message: string,
  ) {
    super(message);
    this.name = 'StudySignatureError';
  }
}

interface TellCommon {
  readonly user_attrs?: Attrs;
  readonly system_attrs?: Attrs;
  readonly intermediate_values?: Iterable<readonly [number, number]>;
  /** Writes of the caller's that belong with the trial (TrialFinish.alongside). */
  readonly alongside?: () => void;
}

export type TellResult =
  | (TellCommon & { readonly state: 'COMPLETE'; readonly values: readonly number[]; readonly constraints?: readonly number[] | null })
  | (TellCommon & { readonly state: 'PRUNED' })
  | (TellCommon & { readonly state: 'FAIL'; readonly reason: string });

export interface AskedTrial {
  readonly number: number;
  readonly params: FlatParams;
  /** A trial stopped before it finished, run again with its own number and params. */
  readonly retry: boolean;
}

/**
 * System attribute of FAIL trials that an earlier version stored for trials stopped mid-run
 * (now they go back to WAITING instead): they are not counted as evaluations.
 */
export const INTERRUPTED_ATTR = 'interrupted';

function describe(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'absent' : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export class Study {
  private readonly mirror: TrialMirror;
  /** Asks run one after another so concurrent workers see each other's RUNNING trials. */
  private askChain: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly store: StudyStore,
    readonly record: StudyRecord,
    readonly space: SearchSpace,
    readonly sampler: Sampler,
    readonly pruner: Pruner,
    readonly seed: number,
    readonly clock: () => number,
    trials: FrozenTrial[],
    /** Trials put back to WAITING on open because they were RUNNING when their process stopped. */
    readonly interruptedOnOpen: readonly number[],
    readonly resumed: boolean,
    private readonly owner: string | undefined,
    private readonly isLive: ((owner: string | null) => boolean) | undefined,
    private readonly trialLimit: number | undefined,
  ) {
    this.mirror = new TrialMirror(store, record.study_id, trials);
  }

  /** Creates the study, or resumes it when it exists and its signature matches. */
  static async open(opts: StudyOptions): Promise<Study> {
    const space = validateSpace(opts.space);
    if (opts.directions.length === 0) throw new RangeError('a study needs at least one objective direction');
    const signature: Record<string, AttrValue> = { ...(opts.signature ?? {}), space: canonicalSpace(space), directions: [...opts.directions] };
    const isInstance = typeof (opts.sampler as Sampler | undefined)?.sample === 'function';
    const samplerConfig = isInstance ? null : ((opts.sampler as SamplerConfig | undefined) ?? DEFAULT_SAMPLER);
    const seed = samplerConfig?.seed ?? opts.seed;
    const sampler = isInstance ? (opts.sampler as Sampler) : createSampler({ ...(samplerConfig as SamplerConfig), seed });
    const pruner = typeof (opts.pruner as Pruner | undefined)?.shouldPrune === 'function' ? (opts.pruner as Pruner) : createPruner((opts.pruner as PrunerConfig | undefined) ?? { type: 'none' });
    const now = opts.clock();
    let record = await opts.store.getStudy(opts.name);
    if (record === null) {
      try {
        record = await opts.store.createStudy({ name: opts.name, directions: opts.directions, user_attrs: opts.user_attrs, system_attrs: { signature }, datetime_start: now });
        return new Study(opts.store, record, space, sampler, pruner, seed, opts.clock, [], [], false, opts.owner, opts.isLive, opts.trial_limit);
      } catch (e) {
        // another process created it meanwhile: resume it like any stored study
        if (!(e instanceof StoreError && e.code === 'study_exists')) throw e;
        record = (await opts.store.getStudy(opts.name)) as StudyRecord;
      }
    }
    const stored = (record.system_attrs.signature ?? {}) as Record<string, AttrValue>;
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(signature)])].sort();
    const changed = keys.filter((k) => JSON.stringify(stored[k]) !== JSON.stringify(signature[k]));
    if (changed.length > 0) {
      if (!opts.force) {
        const detail = changed.map((k) => `${k} (stored ${describe(stored[k])}, now ${describe(signature[k])})`).join('; ');
        throw new StudySignatureError(opts.name, changed, `study "${opts.name}" cannot be resumed: ${detail} changed. Use a new study name, or force the resume (it is recorded on the study).`);
      }
      const prior = (record.system_attrs.forced_resumes ?? []) as AttrValue[];
      await opts.store.setStudyAttr(record.study_id, 'system', 'forced_resumes', [...prior, { at: now, changed }]);
      await opts.store.setStudyAttr(record.study_id, 'system', 'signature', signature);
    }
    const trials = await opts.store.listTrials(record.study_id);
    const interrupted: number[] = [];
    for (const t of trials) {
      if (t.state !== 'RUNNING' || opts.isLive?.(ownerOf(t))) continue; // another live process runs it
      const { trial, requeued } = await requeueOrphan(opts.store, record.study_id, t, now);
      trials[t.number] = trial;
      if (requeued) interrupted.push(t.number);
    }
    record = (await opts.store.getStudy(opts.name)) as StudyRecord;
    return new Study(opts.store, record, space, sampler, pruner, seed, opts.clock, trials, interrupted, true, opts.owner, opts.isLive, opts.trial_limit);
  }

  get name(): string {
    return this.record.name;
  }

  get directions(): readonly StudyDirection[] {
    return this.record.directions;
  }

  /** True once ask() found the study's trial_limit reached (until a later ask creates or claims a trial). */
  get full(): boolean {
    return this.atLimit;
  }

  private atLimit = false;

  /** Numbers of the trials this study object runs (asked or claimed here, not yet told). */
  ownNumbers(): number[] {
    return this.mirror.ownNumbers();
  }

  /** Reads what other writers of the study did since (new trials, and their running or waiting ones). */
  sync(): Promise<void> {
    return this.mirror.sync();
  }

  /** All trials, by number (a live read-only view of the mirror; copy before keeping). */
  get trials(): readonly FrozenTrial[] {
    return this.mirror.trials;
  }

  /** A snapshot for samplers and pruners (may be structured-cloned into a worker). */
  history(): StudyHistory {
    return { study_name: this.record.name, directions: this.record.directions, trials: this.mirror.trials };
  }

  /** The RNG trial `number`'s proposal is drawn with. */
  rngFor(number: number): Rng {
    return createRng(deriveSeed(this.seed, 'trial', number));
  }

  /**
   * The next trial to run (RUNNING): a WAITING one first (lowest number, `retry`), else a new
   * trial with the sampler's proposal — or `params` (an enqueued trial). Returns null when the
   * sampler is exhausted.
   */
  ask(params?: Readonly<FlatParams>): Promise<AskedTrial | null> {
    const next = this.askChain.then(() => this.askNow(params));
    this.askChain = next.catch(() => undefined);
    return next;
  }

  private async askNow(fixed?: Readonly<FlatParams>): Promise<AskedTrial | null> {
    this.atLimit = false;
    await this.mirror.sync();
    // a writer that died while this study runs: its trials go back to the queue (run here next)
    for (const t of this.isLive ? this.mirror.othersRunning() : []) {
      if (!this.isLive?.(ownerOf(t))) this.mirror.refresh((await requeueOrphan(this.store, this.record.study_id, t, this.clock())).trial);
    }
    const system_attrs: Attrs = this.owner === undefined ? {} : { [OWNER_ATTR]: this.owner };
    if (!fixed && this.mirror.hasWaiting()) {
      const w = await this.store.popWaitingTrial(this.record.study_id, { datetime_start: this.clock(), system_attrs });
      if (w) {
        this.atLimit = false;
        await this.mirror.claim(w);
        return { number: w.number, params: { ...w.params }, retry: true };
      }
    }
    // with other writers the store may number it later; its proposal is still this one
    const number = this.mirror.trials.length;
    const params = fixed ? { ...fixed } : this.sampler.sample(this.space, this.history(), this.rngFor(number));
    if (params === null) return null;
    const problem = checkParams(this.space, params);
    if (problem !== null) throw new RangeError(`ask: ${problem}`);
    const t = await this.store.createTrial(this.record.study_id, { params, distributions: this.space, system_attrs, datetime_start: this.clock(), ...(this.trialLimit === undefined ? {} : { limit: this.trialLimit }) });
    this.atLimit = t === null;
    if (t === null) return null;
    await this.mirror.claim(t);
    return { number: t.number, params, retry: false };
  }

  /**
   * Puts a trial this study was running back in the queue (WAITING, under its number and
   * params) because it was stopped before it finished, e.g. queued when the study was
   * cancelled: nothing of it is stored and the next ask, here or in another process, runs it.
   */
  async requeue(number: number, reason: string): Promise<void> {
    const t = this.runningTrial(number);
    const attrs = { [INTERRUPTIONS_ATTR]: withInterruption(t.system_attrs[INTERRUPTIONS_ATTR], this.clock(), reason) };
    const w = await this.store.requeueTrial(this.record.study_id, number, { system_attrs: attrs });
    if (w) this.mirror.release(w);
    else await this.forget(number);
  }

  /**
   * Lets go of a trial this study ran but another writer finished meanwhile (a worker judged
   * it stale and failed it): the mirror takes the stored trial; nothing is written.
   */
  async forget(number: number): Promise<FrozenTrial> {
    const t = (await this.store.getTrial(this.record.study_id, number)) as FrozenTrial;
    this.mirror.release(t);
    return t;
  }

  /** Puts every trial this study still runs back in the queue (after a failure of the loop running them; best effort). */
  async requeueOwn(reason: string): Promise<void> {
    for (const n of this.mirror.ownNumbers()) await this.requeue(n, reason).catch(() => undefined);
  }

  private runningTrial(number: number): FrozenTrial {
    const t = this.mirror.trials[number];
    if (!t) throw new RangeError(`study "${this.name}" has no trial ${number}`);
    if (t.state !== 'RUNNING') throw new StoreError('trial_finished', `trial ${number} is ${t.state}; finished trials are immutable`);
    return t;
  }

  /**
   * Records trial `number`'s value at `step` (a checkpoint index on the common axis) and
   * returns the pruner's decision. A step already reported is ignored (as in Optuna).
   */
  report(number: number, step: number, value: number): boolean {
    if (!Number.isInteger(step) || step < 0) throw new RangeError(`report: step must be a non-negative integer, got ${step}`);
    if (typeof value !== 'number') throw new TypeError(`report: value must be a number, got ${typeof value}`);
    const t = this.runningTrial(number);
    if (!t.intermediate_values.has(step)) {
      const iv = new Map(t.intermediate_values);
      iv.set(step, value);
      this.mirror.update(freezeTrial({ ...t, intermediate_values: iv }));
    }
    return this.shouldPrune(number);
  }

  shouldPrune(number: number): boolean {
    return this.pruner.shouldPrune(this.runningTrial(number), this.history());
  }

  /**
   * Finishes a trial (one store transaction). A COMPLETE result with a NaN value becomes a
   * FAIL trial (the objective could not be computed), never a crash.
   */
  async tell(number: number, result: TellResult): Promise<FrozenTrial> {
    const t = this.runningTrial(number);
    const iv = new Map(t.intermediate_values);
    for (const [s, v] of result.intermediate_values ?? []) if (!iv.has(s)) iv.set(s, v);
    const system: Record<string, AttrValue> = { ...(result.system_attrs ?? {}) };
    let state = result.state;
    let values: readonly number[] | null = null;
    let constraints: readonly number[] | null = null;
    if (result.state === 'COMPLETE') {
      if (result.values.length !== this.directions.length) {
        state = 'FAIL';
        system.fail_reason = `the objective returned ${result.values.length} value(s) for ${this.directions.length} objective(s)`;
      } else if (result.values.some((v) => typeof v !== 'number' || Number.isNaN(v))) {
        state = 'FAIL';
        system.fail_reason = `the objective returned NaN (${JSON.stringify(result.values.map((v) => (Number.isNaN(v) ? 'NaN' : v)))})`;
      } else {
        values = result.values;
        constraints = result.constraints ?? null;
      }
    } else if (result.state === 'FAIL') {
      system.fail_reason = result.reason;
    }
    const finish = { state, values, constraints, intermediate_values: iv, user_attrs: result.user_attrs, system_attrs: system, datetime_complete: this.clock() };
    let finished: FrozenTrial;
    try {
      finished = await this.store.finishTrial(this.record.study_id, number, { ...finish, alongside: result.alongside });
    } catch (e) {
      if (!result.alongside || e instanceof StoreError) throw e;
      // the caller's own writes failed (and were rolled back with the trial): the trial is
      // still told, as FAIL with the reason, so one bad write never stops a study
      const reason = `storing the trial's own records failed: ${e instanceof Error ? e.message : String(e)}`;
      finished = await this.store.finishTrial(this.record.study_id, number, { ...finish, state: 'FAIL', values: null, constraints: null, system_attrs: { ...system, fail_reason: reason } });
    }
    this.mirror.update(finished);
    return finished;
  }
}
