/**
 * Writes of the PostgreSQL study store beside its trial functions (trial-functions.ts):
 * study attributes, numbered trial rows and attributes inside its own transactions (stale
 * trials), each kind in one statement (arrays unnested server-side), encoded as Optuna
 * stores them (storage/optuna-model.ts).
 */
import type pg from 'pg';
import { StoreError, type AttrKind } from '../../engine/optimizer/store.js';
import type { FlatParams, ParamSpec } from '../../engine/optimizer/space.types.js';
import type { Attrs, TrialState } from '../../engine/optimizer/trial.js';
import { encodeParam, msToDatetime, type ParamRow } from '../optuna-model.js';

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

/** Attributes as two arrays: their keys, and their values as JSON text. */
export function attrArrays(attrs: Attrs | undefined): [string[], string[]] {
  const entries = Object.entries(attrs ?? {});
  return [entries.map((e) => e[0]), entries.map((e) => JSON.stringify(e[1]))];
}

/** Sets attributes (JSON text) of a study or a trial: `owner` is study_id or trial_id as the table says. */
export async function upsertAttrs(c: Queryable, table: (typeof STUDY_ATTR_TABLE)[AttrKind] | (typeof TRIAL_ATTR_TABLE)[AttrKind], owner: number, attrs: Attrs | undefined): Promise<void> {
  const [keys, values] = attrArrays(attrs);
  if (keys.length === 0) return;
  const id = table.startsWith('study_') ? 'study_id' : 'trial_id';
  await c.query(
    `INSERT INTO ${table} (${id}, key, value_json)
     SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS x (k, v)
     ON CONFLICT (${id}, key) DO UPDATE SET value_json = excluded.value_json`,
    [owner, keys, values],
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
