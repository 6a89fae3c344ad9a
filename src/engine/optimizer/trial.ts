/**
 * Optuna's trial model. A trial is RUNNING until it is finished as COMPLETE, PRUNED or FAIL;
 * finished trials are immutable. A WAITING trial is queued to run with the params it holds:
 * here, a trial that was stopped before it finished (its process died, or the study was
 * cancelled while it was queued), put back under its own number so the next run of the study
 * runs it first (Study.ask). Field names are snake_case because trials map straight to rows
 * and JSON.
 */
import type { FlatParams } from './space.types.js';

export const TRIAL_STATES = ['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];
export type FinishedState = Exclude<TrialState, 'RUNNING' | 'WAITING'>;

export const DIRECTIONS = ['minimize', 'maximize'] as const;
export type StudyDirection = (typeof DIRECTIONS)[number];

export type AttrValue = string | number | boolean | null | readonly AttrValue[] | { readonly [k: string]: AttrValue };
export type Attrs = Readonly<Record<string, AttrValue>>;

export interface FrozenTrial {
  /** 0-based, consecutive within a study, in creation order. */
  readonly number: number;
  readonly state: TrialState;
  /** Flat params keyed by dotted path. */
  readonly params: Readonly<FlatParams>;
  /** One value per objective (COMPLETE only; null otherwise). */
  readonly values: readonly number[] | null;
  /** step → reported value (steps are checkpoint indices along one common axis). */
  readonly intermediate_values: ReadonlyMap<number, number>;
  /** Constraint values, Optuna's convention: > 0 violated by that amount, <= 0 satisfied. */
  readonly constraints: readonly number[] | null;
  readonly user_attrs: Attrs;
  readonly system_attrs: Attrs;
  /** Epoch ms, passed in by the caller (the engine has no clock). */
  readonly datetime_start: number;
  readonly datetime_complete: number | null;
}

export function isFinished(state: TrialState): state is FinishedState {
  return state === 'COMPLETE' || state === 'PRUNED' || state === 'FAIL';
}

export function isTrialState(x: unknown): x is TrialState {
  return typeof x === 'string' && (TRIAL_STATES as readonly string[]).includes(x);
}

/** The last reported step, or null. */
export function lastStep(t: FrozenTrial): number | null {
  let best: number | null = null;
  for (const s of t.intermediate_values.keys()) if (best === null || s > best) best = s;
  return best;
}

/** Total constraint violation: Σ max(0, cᵢ). 0 = feasible (also when there are no constraints). */
export function totalViolation(constraints: readonly number[] | null): number {
  if (constraints === null) return 0;
  let v = 0;
  for (const c of constraints) v += Number.isNaN(c) ? Infinity : Math.max(0, c);
  return v;
}

export function isFeasible(t: FrozenTrial): boolean {
  return totalViolation(t.constraints) === 0;
}

/** Builds a frozen trial (defensive copies). */
export function freezeTrial(t: {
  number: number;
  state: TrialState;
  params: Readonly<FlatParams>;
  values?: readonly number[] | null;
  intermediate_values?: ReadonlyMap<number, number> | Iterable<readonly [number, number]>;
  constraints?: readonly number[] | null;
  user_attrs?: Attrs;
  system_attrs?: Attrs;
  datetime_start: number;
  datetime_complete?: number | null;
}): FrozenTrial {
  const iv = new Map<number, number>(t.intermediate_values ?? []);
  return Object.freeze({
    number: t.number,
    state: t.state,
    params: Object.freeze({ ...t.params }),
    values: t.values == null ? null : Object.freeze([...t.values]),
    intermediate_values: iv,
    constraints: t.constraints == null ? null : Object.freeze([...t.constraints]),
    user_attrs: Object.freeze({ ...(t.user_attrs ?? {}) }),
    system_attrs: Object.freeze({ ...(t.system_attrs ?? {}) }),
    datetime_start: t.datetime_start,
    datetime_complete: t.datetime_complete ?? null,
  });
}

/** JSON-friendly form (intermediate values as [step, value] pairs sorted by step). */
export function trialToJSON(t: FrozenTrial): Record<string, unknown> {
  return {
    number: t.number,
    state: t.state,
    params: t.params,
    values: t.values,
    intermediate_values: [...t.intermediate_values.entries()].sort((a, b) => a[0] - b[0]),
    constraints: t.constraints,
    user_attrs: t.user_attrs,
    system_attrs: t.system_attrs,
    datetime_start: t.datetime_start,
    datetime_complete: t.datetime_complete,
  };
}

/** What samplers and pruners see: an immutable snapshot of the study. */
export interface StudyHistory {
  readonly study_name: string;
  readonly directions: readonly StudyDirection[];
  /** All trials (any state), ordered by number. */
  readonly trials: readonly FrozenTrial[];
}
