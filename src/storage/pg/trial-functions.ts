/**
 * Calls of the trial functions of PG migration 003 (migrations/003_trial_functions.ts): each
 * trial write of the PostgreSQL study store in one round trip, its arrays passed as
 * parameters, encoded as Optuna stores them (storage/optuna-model.ts). Named statements:
 * each connection parses them once.
 */
import { StoreError, type Claim, type NewTrial, type Requeue, type TrialFinish } from '../../engine/optimizer/store.js';
import type { TrialState } from '../../engine/optimizer/trial.js';
import { encodeIntermediate, encodeValue, msToDatetime, type ParamRow } from '../optuna-model.js';
import { attrArrays, pgCode, type Queryable } from './trial-write.js';

/** The SQLSTATE tradelab_create_trial raises for a missing study. */
const NO_STUDY = 'TL404';

/**
 * The transactions that wrote a trial's rows when this process last saw them whole
 * (`tradelab_trial_xids`): a finish learns from them whether anyone wrote the trial since.
 */
export type TrialXids = readonly string[];

/** A trial this process created or claimed: its number and who had written it then. */
export interface TrialRowVersion {
  readonly number: number;
  readonly xids: TrialXids;
}

/** Inserts a RUNNING trial (numbered under the study's lock); null when `trial.limit` is reached. */
export async function createTrialRow(q: Queryable, studyId: number, trial: NewTrial, params: readonly (readonly [string, ParamRow])[]): Promise<TrialRowVersion | null> {
  try {
    const { rows } = await q.query<TrialRowVersion>({
      name: 'tradelab_create_trial',
      text: 'SELECT number, xids::text[] AS xids FROM tradelab_create_trial($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
      values: [
        studyId,
        trial.limit ?? null,
        msToDatetime(trial.datetime_start),
        params.map((p) => p[0]),
        params.map((p) => p[1].param_value),
        params.map((p) => p[1].distribution_json),
        ...attrArrays(trial.user_attrs),
        ...attrArrays(trial.system_attrs),
      ],
    });
    return rows[0] ?? null;
  } catch (e) {
    if (pgCode(e) === NO_STUDY) throw new StoreError('study_not_found', `study id ${studyId} does not exist`);
    throw e;
  }
}

export interface FinishOutcome {
  /** The state the trial had (null: there is no such trial); written only when RUNNING. */
  readonly prior: TrialState | null;
  /** Whether the transactions `xids` alone had written the trial before this finish. */
  readonly fresh: boolean;
}

/**
 * Finishes trial `number` if it is RUNNING: values (already checked, one per objective, or
 * null), intermediate values (checked steps), attributes, then state, datetime_complete and
 * constraints, in one transaction with its row locked.
 */
export async function finishTrialRow(
  q: Queryable,
  studyId: number,
  number: number,
  xids: TrialXids | null,
  finish: TrialFinish,
  values: readonly number[] | null,
  steps: readonly (readonly [number, number])[],
): Promise<FinishOutcome> {
  const vals = (values ?? []).map(encodeValue);
  const inter = steps.map(([, v]) => encodeIntermediate(v));
  const constraints = finish.constraints ? JSON.stringify(finish.constraints.map((c) => (Number.isFinite(c) ? c : String(c)))) : null;
  const { rows } = await q.query<FinishOutcome>({
    name: 'tradelab_finish_trial',
    text: 'SELECT prior, fresh FROM tradelab_finish_trial($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)',
    values: [
      studyId,
      number,
      xids,
      finish.state,
      msToDatetime(finish.datetime_complete),
      constraints,
      vals.map((e) => e.value),
      vals.map((e) => e.value_type),
      steps.map((s) => s[0]),
      inter.map((e) => e.value),
      inter.map((e) => e.value_type),
      ...attrArrays(finish.user_attrs),
      ...attrArrays(finish.system_attrs),
    ],
  });
  return rows[0];
}

/** Takes the study's lowest-numbered WAITING trial for this caller alone (RUNNING now); null when none waits. */
export async function claimTrialRow(q: Queryable, studyId: number, claim: Claim): Promise<TrialRowVersion | null> {
  const { rows } = await q.query<TrialRowVersion>({
    name: 'tradelab_claim_trial',
    text: 'SELECT number, xids::text[] AS xids FROM tradelab_claim_trial($1, $2, $3, $4)',
    values: [studyId, msToDatetime(claim.datetime_start), ...attrArrays(claim.system_attrs)],
  });
  return rows[0] ?? null;
}

/** Puts trial `number` back in the queue if it is RUNNING and its owner is `requeue.if_owner` (when given). */
export async function requeueTrialRow(q: Queryable, studyId: number, number: number, requeue: Requeue): Promise<{ readonly prior: TrialState | null; readonly requeued: boolean }> {
  const { rows } = await q.query<{ prior: TrialState | null; requeued: boolean }>({
    name: 'tradelab_requeue_trial',
    text: 'SELECT prior, requeued FROM tradelab_requeue_trial($1, $2, $3, $4, $5)',
    values: [studyId, number, requeue.if_owner === undefined ? null : JSON.stringify(requeue.if_owner), ...attrArrays(requeue.system_attrs)],
  });
  return rows[0];
}
