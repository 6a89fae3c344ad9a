/**
 * The StudyStore port (Optuna's storage model: studies with directions and attributes;
 * trials with params, values, intermediate values, constraints and attributes) and its
 * in-memory adapter. The SQLite adapter is `src/storage/study-store.ts`, the PostgreSQL one
 * `src/storage/pg/study-store.ts`; all pass the contract suite in
 * tests/engine/optimizer/store-contract.ts.
 *
 * Rules every adapter keeps:
 * - trial numbers are 0, 1, 2, … per study, assigned by the store at creation, unique even
 *   when several processes write one study;
 * - a finished trial (COMPLETE, PRUNED, FAIL) is immutable: any further write is refused;
 * - a RUNNING trial can be put back in the queue (WAITING, `requeueTrial`) and a WAITING one
 *   taken by exactly one caller (`popWaitingTrial`); a WAITING trial takes no other write;
 * - `finishTrial` writes state, values, constraints, intermediate values and attributes at
 *   once (one transaction in SQL stores), so a crash never leaves half a trial;
 * - reads return frozen snapshots, never live objects.
 */
import type { ParamSpec } from './space.types.js';
import type { FlatParams } from './space.types.js';
import {
  freezeTrial,
  isFinished,
  type AttrValue,
  type Attrs,
  type FinishedState,
  type FrozenTrial,
  type StudyDirection,
  type TrialState,
} from './trial.js';

export interface StudyRecord {
  readonly study_id: number;
  readonly name: string;
  readonly directions: readonly StudyDirection[];
  readonly user_attrs: Attrs;
  readonly system_attrs: Attrs;
  readonly datetime_start: number;
}

export interface NewStudy {
  readonly name: string;
  readonly directions: readonly StudyDirection[];
  readonly user_attrs?: Attrs;
  readonly system_attrs?: Attrs;
  readonly datetime_start: number;
}

export interface NewTrial {
  readonly params: Readonly<FlatParams>;
  /** Optional per-parameter specs stored beside the values (Optuna keeps a distribution per param). */
  readonly distributions?: Readonly<Record<string, ParamSpec>>;
  readonly user_attrs?: Attrs;
  readonly system_attrs?: Attrs;
  readonly datetime_start: number;
  /**
   * A budget: the trial is created only while the study has fewer than `limit` trials that
   * count (every trial except a FAIL trial carrying the system attribute `retried_as`, whose
   * retry counts instead); otherwise createTrial resolves null and nothing is written.
   * Checked and used atomically with the creation, so workers sharing a study never overshoot.
   */
  readonly limit?: number;
}

/** The system attribute a failed trial gets when a retry replaces it (it no longer counts towards a `limit`). */
export const RETRIED_AS_ATTR = 'retried_as';

/** Does this trial count towards a createTrial `limit`? */
export function countsTowardsLimit(t: Pick<FrozenTrial, 'state' | 'system_attrs'>): boolean {
  return !(t.state === 'FAIL' && Object.hasOwn(t.system_attrs, RETRIED_AS_ATTR));
}

export interface TrialFinish {
  readonly state: FinishedState;
  /** Required (one per objective) for COMPLETE; ignored otherwise. */
  readonly values?: readonly number[] | null;
  readonly constraints?: readonly number[] | null;
  /** Intermediate values to add in the same transaction. */
  readonly intermediate_values?: Iterable<readonly [number, number]>;
  readonly user_attrs?: Attrs;
  readonly system_attrs?: Attrs;
  readonly datetime_complete: number;
  /**
   * The caller's own writes that belong with this trial (e.g. its result-cache and trial-ledger
   * entries): run inside the same transaction when the store has them (SQLite), so the trial
   * and they are committed together, with one commit; right before the finish otherwise.
   */
  readonly alongside?: () => void;
}

export type AttrKind = 'user' | 'system';

/** The system attribute naming the process that runs a trial (Study's `owner`). */
export const OWNER_ATTR = 'owner';

export interface Requeue {
  /** Merged into the trial's system attributes (e.g. why it was stopped). */
  readonly system_attrs?: Attrs;
  /**
   * Only when the trial's `owner` system attribute is still this (null: it has none), so a
   * trial another process has taken meanwhile is left alone; undefined: whatever its owner.
   */
  readonly if_owner?: string | null;
}

export interface Claim {
  readonly datetime_start: number;
  /** Merged into the trial's system attributes (e.g. its new owner). */
  readonly system_attrs?: Attrs;
}

export class StoreError extends Error {
  constructor(
    readonly code: 'study_exists' | 'study_not_found' | 'trial_not_found' | 'trial_finished' | 'trial_waiting' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface StudyStore {
  createStudy(study: NewStudy): Promise<StudyRecord>;
  getStudy(name: string): Promise<StudyRecord | null>;
  listStudies(): Promise<StudyRecord[]>;
  setStudyAttr(studyId: number, kind: AttrKind, key: string, value: AttrValue): Promise<void>;
  /**
   * Creates a RUNNING trial numbered after the study's last trial. Null only when the trial
   * has a `limit` the study has reached (so a call without one always gets its trial).
   */
  createTrial(studyId: number, trial: NewTrial & { readonly limit?: undefined }): Promise<FrozenTrial>;
  createTrial(studyId: number, trial: NewTrial): Promise<FrozenTrial | null>;
  /** Records a RUNNING trial's value at a step (refused once the trial is finished). */
  setIntermediateValue(studyId: number, number: number, step: number, value: number): Promise<void>;
  setTrialAttr(studyId: number, number: number, kind: AttrKind, key: string, value: AttrValue): Promise<void>;
  /** Finishes a RUNNING trial, atomically. */
  finishTrial(studyId: number, number: number, finish: TrialFinish): Promise<FrozenTrial>;
  /**
   * Puts a RUNNING trial back in the queue as WAITING, keeping its number and params and
   * dropping the intermediate values of the stopped attempt. Returns it, or null when it is
   * no longer RUNNING or `if_owner` does not match (nothing written then).
   */
  requeueTrial(studyId: number, number: number, requeue?: Requeue): Promise<FrozenTrial | null>;
  /** Takes the lowest-numbered WAITING trial: it is RUNNING for this caller alone. Null when none waits. */
  popWaitingTrial(studyId: number, claim: Claim): Promise<FrozenTrial | null>;
  getTrial(studyId: number, number: number): Promise<FrozenTrial | null>;
  /** Trials ordered by number; optionally only some states, or numbers >= from. */
  listTrials(studyId: number, opts?: { readonly states?: readonly TrialState[]; readonly from?: number }): Promise<FrozenTrial[]>;
}

/** Checks shared by every adapter before a finish is written. */
export function checkFinish(directions: readonly StudyDirection[], finish: TrialFinish): readonly number[] | null {
  if (!isFinished(finish.state)) throw new StoreError('invalid', `finishTrial: state must be COMPLETE, PRUNED or FAIL, got ${String(finish.state)}`);
  if (finish.state !== 'COMPLETE') return null;
  const v = finish.values;
  if (!v || v.length !== directions.length) {
    throw new StoreError('invalid', `finishTrial: a COMPLETE trial needs ${directions.length} value(s), got ${v ? v.length : 'none'}`);
  }
  if (v.some((x) => Number.isNaN(x))) throw new StoreError('invalid', 'finishTrial: a COMPLETE trial cannot have a NaN value (finish it as FAIL)');
  return v.map(plainZero);
}

/** Refuses a write to a trial that is not RUNNING (finished, or WAITING to be run again). */
export function notRunning(number: number, state: TrialState): void {
  if (isFinished(state)) throw new StoreError('trial_finished', `trial ${number} is ${state}; finished trials are immutable`);
  if (state !== 'RUNNING') throw new StoreError('trial_waiting', `trial ${number} is ${state}: it takes writes once it runs again`);
}

/** −0 → 0 (SQL stores do not keep the sign of zero; every adapter returns the same numbers). */
export function plainZero(x: number): number {
  return x === 0 ? 0 : x;
}

interface MemTrial {
  trial: FrozenTrial;
  distributions?: Readonly<Record<string, ParamSpec>>;
}

interface MemStudy {
  record: StudyRecord;
  trials: MemTrial[];
}

/** In-memory adapter: for tests, ephemeral studies and benchmarks of the sampler alone. */
export class InMemoryStudyStore implements StudyStore {
  private readonly studies = new Map<number, MemStudy>();
  private readonly byName = new Map<string, number>();
  private nextId = 1;

  private study(studyId: number): MemStudy {
    const s = this.studies.get(studyId);
    if (!s) throw new StoreError('study_not_found', `study id ${studyId} does not exist`);
    return s;
  }

  private running(studyId: number, number: number): MemTrial {
    const t = this.study(studyId).trials[number];
    if (!t) throw new StoreError('trial_not_found', `study id ${studyId} has no trial ${number}`);
    notRunning(number, t.trial.state);
    return t;
  }

  async createStudy(study: NewStudy): Promise<StudyRecord> {
    if (this.byName.has(study.name)) throw new StoreError('study_exists', `a study named "${study.name}" already exists`);
    if (study.directions.length === 0) throw new StoreError('invalid', 'a study needs at least one direction');
    const record: StudyRecord = Object.freeze({
      study_id: this.nextId++,
      name: study.name,
      directions: Object.freeze([...study.directions]),
      user_attrs: Object.freeze({ ...(study.user_attrs ?? {}) }),
      system_attrs: Object.freeze({ ...(study.system_attrs ?? {}) }),
      datetime_start: study.datetime_start,
    });
    this.studies.set(record.study_id, { record, trials: [] });
    this.byName.set(study.name, record.study_id);
    return record;
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    const id = this.byName.get(name);
    return id === undefined ? null : this.study(id).record;
  }

  async listStudies(): Promise<StudyRecord[]> {
    return [...this.studies.values()].map((s) => s.record);
  }

  async setStudyAttr(studyId: number, kind: AttrKind, key: string, value: AttrValue): Promise<void> {
    const s = this.study(studyId);
    const field = kind === 'user' ? 'user_attrs' : 'system_attrs';
    s.record = Object.freeze({ ...s.record, [field]: Object.freeze({ ...s.record[field], [key]: value }) });
  }

  async createTrial(studyId: number, trial: NewTrial & { readonly limit?: undefined }): Promise<FrozenTrial>;
  async createTrial(studyId: number, trial: NewTrial): Promise<FrozenTrial | null>;
  async createTrial(studyId: number, trial: NewTrial): Promise<FrozenTrial | null> {
    const s = this.study(studyId);
    if (trial.limit !== undefined && s.trials.filter((m) => countsTowardsLimit(m.trial)).length >= trial.limit) return null;
    const t = freezeTrial({ number: s.trials.length, state: 'RUNNING', params: trial.params, user_attrs: trial.user_attrs, system_attrs: trial.system_attrs, datetime_start: trial.datetime_start });
    s.trials.push({ trial: t, distributions: trial.distributions });
    return t;
  }

  async setIntermediateValue(studyId: number, number: number, step: number, value: number): Promise<void> {
    if (!Number.isInteger(step) || step < 0) throw new StoreError('invalid', `intermediate step must be a non-negative integer, got ${step}`);
    const m = this.running(studyId, number);
    const iv = new Map(m.trial.intermediate_values);
    iv.set(step, plainZero(value));
    m.trial = freezeTrial({ ...m.trial, intermediate_values: iv });
  }

  async setTrialAttr(studyId: number, number: number, kind: AttrKind, key: string, value: AttrValue): Promise<void> {
    const m = this.running(studyId, number);
    const field = kind === 'user' ? 'user_attrs' : 'system_attrs';
    m.trial = freezeTrial({ ...m.trial, [field]: { ...m.trial[field], [key]: value } });
  }

  async finishTrial(studyId: number, number: number, finish: TrialFinish): Promise<FrozenTrial> {
    const s = this.study(studyId);
    const m = this.running(studyId, number);
    const values = checkFinish(s.record.directions, finish);
    const added = [...(finish.intermediate_values ?? [])];
    for (const [step] of added) {
      if (!Number.isInteger(step) || step < 0) throw new StoreError('invalid', `intermediate step must be a non-negative integer, got ${step}`);
    }
    finish.alongside?.();
    const iv = new Map(m.trial.intermediate_values);
    for (const [step, v] of added) iv.set(step, plainZero(v));
    m.trial = freezeTrial({
      ...m.trial,
      state: finish.state,
      values,
      constraints: finish.constraints ? finish.constraints.map(plainZero) : null,
      intermediate_values: iv,
      user_attrs: { ...m.trial.user_attrs, ...(finish.user_attrs ?? {}) },
      system_attrs: { ...m.trial.system_attrs, ...(finish.system_attrs ?? {}) },
      datetime_complete: finish.datetime_complete,
    });
    return m.trial;
  }

  async requeueTrial(studyId: number, number: number, requeue: Requeue = {}): Promise<FrozenTrial | null> {
    const m = this.study(studyId).trials[number];
    if (!m) throw new StoreError('trial_not_found', `study id ${studyId} has no trial ${number}`);
    if (m.trial.state !== 'RUNNING') return null;
    if (requeue.if_owner !== undefined && (m.trial.system_attrs[OWNER_ATTR] ?? null) !== requeue.if_owner) return null;
    m.trial = freezeTrial({ ...m.trial, state: 'WAITING', intermediate_values: [], system_attrs: { ...m.trial.system_attrs, ...(requeue.system_attrs ?? {}) } });
    return m.trial;
  }

  async popWaitingTrial(studyId: number, claim: Claim): Promise<FrozenTrial | null> {
    const m = this.study(studyId).trials.find((x) => x.trial.state === 'WAITING');
    if (!m) return null;
    m.trial = freezeTrial({ ...m.trial, state: 'RUNNING', datetime_start: claim.datetime_start, system_attrs: { ...m.trial.system_attrs, ...(claim.system_attrs ?? {}) } });
    return m.trial;
  }

  async getTrial(studyId: number, number: number): Promise<FrozenTrial | null> {
    return this.study(studyId).trials[number]?.trial ?? null;
  }

  async listTrials(studyId: number, opts: { readonly states?: readonly TrialState[]; readonly from?: number } = {}): Promise<FrozenTrial[]> {
    const from = opts.from ?? 0;
    return this.study(studyId)
      .trials.slice(from)
      .map((m) => m.trial)
      .filter((t) => !opts.states || opts.states.includes(t.state));
  }
}
