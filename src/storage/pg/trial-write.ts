/**
 * The writes the PostgreSQL study store makes inside its transactions: numbered trial rows,
 * params, attributes and intermediate values, each kind in one statement (arrays unnested
 * server-side), encoded as Optuna stores them (storage/optuna-model.ts).
 */
import type pg from 'pg';
import { StoreError, type AttrKind } from '../../engine/optimizer/store.js';
import type { FlatParams, ParamSpec } from '../../engine/optimizer/space.types.js';
import type { Attrs, TrialState } from '../../engine/optimizer/trial.js';
import { encodeIntermediate, encodeParam, msToDatetime, type ParamRow } from '../optuna-model.js';

/** A pool or one of its connections (inside a transaction). */
export type Queryable = pg.Pool | pg.PoolClient;

export const STUDY_ATTR_TABLE = { user: 'study_user_attributes', system: 'study_system_attributes' } as const;
export const TRIAL_ATTR_TABLE = { user: 'trial_user_attributes', system: 'trial_system_attributes' } as const;

/** The SQLSTATE of a driver error (undefined for other errors). */
export function pgCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/**
 * Locks the study's row for the rest of the transaction (`FOR UPDATE`, as Optuna's
 * `_create_new_trial`): trials are numbered under it. Throws study_not_found.
 */
export async function lockStudy(c: pg.PoolClient, studyId: number): Promise<void> {
  const { rowCount } = await c.query('SELECT study_id FROM studies WHERE study_id = $1 FOR UPDATE', [studyId]);
  if (rowCount === 0) throw new StoreError('study_not_found', `study id ${studyId} does not exist`);
}

/**
 * How many of the study's trials count towards a createTrial `limit`: all but FAIL trials
 * carrying `retried_as`. Under the study lock.
 */
export async function countedTrials(c: pg.PoolClient, studyId: number): Promise<number> {
  const { rows } = await c.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM trials t WHERE t.study_id = $1
       AND NOT (t.state = 'FAIL' AND EXISTS (SELECT 1 FROM trial_system_attributes a WHERE a.trial_id = t.trial_id AND a.key = 'retried_as'))`,
    [studyId],
  );
  return rows[0].n;
}

/**
 * Inserts a trial numbered as Optuna numbers them (the count of the study's trials), under
 * the study lock taken by `lockStudy` in the same transaction.
 */
export async function insertNumberedTrial(c: pg.PoolClient, studyId: number, state: TrialState, datetimeStart: number): Promise<{ trial_id: number; number: number }> {
  const { rows } = await c.query<{ trial_id: number; number: number }>(
    `INSERT INTO trials (number, study_id, state, datetime_start)
     SELECT COUNT(*), $1, $2, $3::timestamp FROM trials WHERE study_id = $1
     RETURNING trial_id, number`,
    [studyId, state, msToDatetime(datetimeStart)],
  );
  return rows[0];
}

/** A trial's params as Optuna stores them (internal value + distribution_json), by name. */
export function paramRows(params: Readonly<FlatParams>, distributions?: Readonly<Record<string, ParamSpec>>): [string, ParamRow][] {
  return Object.entries(params).map(([name, v]) => [name, encodeParam(v, distributions?.[name])]);
}

export async function insertParams(c: Queryable, trialId: number, rows: readonly (readonly [string, ParamRow])[]): Promise<void> {
  if (rows.length === 0) return;
  await c.query(
    `INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json)
     SELECT $1, n, v, d FROM unnest($2::text[], $3::float8[], $4::text[]) AS x (n, v, d)`,
    [trialId, rows.map((r) => r[0]), rows.map((r) => r[1].param_value), rows.map((r) => r[1].distribution_json)],
  );
}

/** Sets attributes (JSON text) of a study or a trial: `owner` is study_id or trial_id as the table says. */
export async function upsertAttrs(c: Queryable, table: (typeof STUDY_ATTR_TABLE)[AttrKind] | (typeof TRIAL_ATTR_TABLE)[AttrKind], owner: number, attrs: Attrs | undefined): Promise<void> {
  const entries = Object.entries(attrs ?? {});
  if (entries.length === 0) return;
  const id = table.startsWith('study_') ? 'study_id' : 'trial_id';
  await c.query(
    `INSERT INTO ${table} (${id}, key, value_json)
     SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS x (k, v)
     ON CONFLICT (${id}, key) DO UPDATE SET value_json = excluded.value_json`,
    [owner, entries.map((e) => e[0]), entries.map((e) => JSON.stringify(e[1]))],
  );
}

/** Checks intermediate steps before anything is written (non-negative integers); a step given twice keeps its last value. */
export function checkSteps(values: Iterable<readonly [number, number]>): [number, number][] {
  const out = new Map<number, number>();
  for (const [step, v] of values) {
    if (!Number.isInteger(step) || step < 0) throw new StoreError('invalid', `intermediate step must be a non-negative integer, got ${step}`);
    out.set(step, v);
  }
  return [...out];
}

export async function upsertIntermediates(c: Queryable, trialId: number, values: readonly (readonly [number, number])[]): Promise<void> {
  if (values.length === 0) return;
  const enc = values.map(([, v]) => encodeIntermediate(v));
  await c.query(
    `INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type)
     SELECT $1, s, v, t::trialintermediatevaluetype FROM unnest($2::int[], $3::float8[], $4::text[]) AS x (s, v, t)
     ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type`,
    [trialId, values.map((x) => x[0]), enc.map((e) => e.value), enc.map((e) => e.value_type)],
  );
}
