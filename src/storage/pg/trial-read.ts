/**
 * Reads of the PostgreSQL study store: studies and trials with all their children, each
 * listing in one statement (children gathered per row as JSON), decoded from Optuna's
 * encodings (storage/optuna-model.ts). Rows written by Python Optuna read the same way.
 */
import { StoreError, type StudyRecord } from '../../engine/optimizer/store.js';
import type { FlatParams } from '../../engine/optimizer/space.types.js';
import { freezeTrial, type AttrValue, type FrozenTrial, type TrialState } from '../../engine/optimizer/trial.js';
import { datetimeToMs, decodeParam, decodeValue, directionOf, parseAttrJson } from '../optuna-model.js';
import type { Queryable } from './trial-write.js';

type Pair = [string, string];

const attrsOf = (pairs: Pair[] | null): Record<string, AttrValue> => Object.fromEntries((pairs ?? []).map(([k, v]) => [k, parseAttrJson(v)]));

/** The user (ua) and system (sa) attributes of each row `x` of studies or trials, as [key, value_json] pairs. */
const attrColumns = (owner: 'study' | 'trial'): string =>
  (['user', 'system'] as const)
    .map((k) => `(SELECT json_agg(json_build_array(a.key, a.value_json) ORDER BY a.${owner}_${k}_attribute_id) FROM ${owner}_${k}_attributes a WHERE a.${owner}_id = x.${owner}_id) AS ${k[0]}a`)
    .join(', ');

interface AttrColumns {
  ua: Pair[] | null;
  sa: Pair[] | null;
}

const STUDY_SELECT = `
  SELECT x.study_id, x.study_name,
    COALESCE(x.datetime_start, (SELECT MIN(t.datetime_start) FROM trials t WHERE t.study_id = x.study_id)) AS datetime_start,
    ARRAY(SELECT d.direction::text FROM study_directions d WHERE d.study_id = x.study_id ORDER BY d.objective) AS directions,
    ${attrColumns('study')}
  FROM studies x`;

interface StudyRow extends AttrColumns {
  study_id: number;
  study_name: string;
  datetime_start: string | null;
  directions: string[];
}

/**
 * Studies by id, by name, or all, ordered by id. A study Optuna created has no
 * datetime_start of its own: its first trial's start is used (0 before it has trials).
 */
export async function readStudies(q: Queryable, where: { readonly id?: number; readonly name?: string } = {}): Promise<StudyRecord[]> {
  const [cond, args] = where.id !== undefined ? ['WHERE x.study_id = $1', [where.id]] : where.name !== undefined ? ['WHERE x.study_name = $1', [where.name]] : ['', []];
  const { rows } = await q.query<StudyRow>(`${STUDY_SELECT} ${cond} ORDER BY x.study_id`, args);
  return rows.map((r) =>
    Object.freeze({
      study_id: r.study_id,
      name: r.study_name,
      directions: Object.freeze(r.directions.map(directionOf)),
      user_attrs: Object.freeze(attrsOf(r.ua)),
      system_attrs: Object.freeze(attrsOf(r.sa)),
      datetime_start: r.datetime_start === null ? 0 : datetimeToMs(r.datetime_start),
    }),
  );
}

/** A study's trials (`cond` narrows them), with all their children; one row with a NULL trial when none matches, none when the study is missing. */
const trialSelect = (cond: string): string => `
  SELECT x.trial_id, x.number, x.state, x.datetime_start, x.datetime_complete, x.constraints_json,
    (SELECT json_agg(json_build_array(p.param_name, p.param_value, p.distribution_json) ORDER BY p.param_id) FROM trial_params p WHERE p.trial_id = x.trial_id) AS params,
    (SELECT json_agg(json_build_array(v.value, v.value_type) ORDER BY v.objective) FROM trial_values v WHERE v.trial_id = x.trial_id) AS vals,
    (SELECT json_agg(json_build_array(i.step, i.intermediate_value, i.intermediate_value_type) ORDER BY i.step) FROM trial_intermediate_values i WHERE i.trial_id = x.trial_id) AS inter,
    ${attrColumns('trial')}
  FROM studies s LEFT JOIN trials x ON x.study_id = s.study_id AND ${cond}
  WHERE s.study_id = $1
  ORDER BY x.number`;

/** The listing's two statements (named: each connection parses and plans them once). */
const RANGE = 'x.number BETWEEN $2 AND $3';
const TRIALS = { name: 'tradelab_trials', text: trialSelect(RANGE) };
const TRIALS_IN_STATES = { name: 'tradelab_trials_in_states', text: trialSelect(`${RANGE} AND x.state = ANY ($4::trialstate[])`) };

interface TrialRow extends AttrColumns {
  trial_id: number | null;
  number: number;
  state: TrialState;
  datetime_start: string | null;
  datetime_complete: string | null;
  constraints_json: string | null;
  params: [string, number | string, string | null][] | null;
  vals: [number | null, string][] | null;
  inter: [number, number | null, string][] | null;
}

function toTrial(r: TrialRow): FrozenTrial {
  const params: FlatParams = {};
  // float8 in JSON is a number, or the string "Infinity"/"NaN"
  for (const [name, v, dist] of r.params ?? []) params[name] = dist === null ? Number(v) : decodeParam(Number(v), dist);
  return freezeTrial({
    number: r.number,
    state: r.state,
    params,
    values: r.state === 'COMPLETE' && r.vals ? r.vals.map(([v, type]) => decodeValue(v, type)) : null,
    intermediate_values: (r.inter ?? []).map(([step, v, type]) => [step, decodeValue(v, type)] as const),
    constraints: r.constraints_json === null ? null : (JSON.parse(r.constraints_json) as (number | string)[]).map(Number),
    user_attrs: attrsOf(r.ua),
    system_attrs: attrsOf(r.sa),
    // a trial Optuna enqueued has no start until it runs
    datetime_start: r.datetime_start === null ? 0 : datetimeToMs(r.datetime_start),
    datetime_complete: r.datetime_complete === null ? null : datetimeToMs(r.datetime_complete),
  });
}

export interface TrialRange {
  readonly from?: number;
  readonly to?: number;
  readonly states?: readonly TrialState[];
}

/**
 * The study's trials numbered from..to (inclusive), optionally in some states, ordered by
 * number; null when the study does not exist (in the same statement).
 */
export async function readTrials(q: Queryable, studyId: number, range: TrialRange = {}): Promise<FrozenTrial[] | null> {
  const args: unknown[] = [studyId, range.from ?? 0, Math.min(range.to ?? 2 ** 31 - 1, 2 ** 31 - 1)];
  if (range.states) args.push(range.states);
  const { rows } = await q.query<TrialRow>({ ...(range.states ? TRIALS_IN_STATES : TRIALS), values: args });
  if (rows.length === 0) return null;
  return rows.flatMap((r) => (r.trial_id === null ? [] : [toTrial(r)]));
}

export async function readTrial(q: Queryable, studyId: number, number: number): Promise<FrozenTrial | null> {
  return (await readTrials(q, studyId, { from: number, to: number }))?.[0] ?? null;
}

export async function studyExists(q: Queryable, studyId: number): Promise<boolean> {
  return ((await q.query('SELECT 1 FROM studies WHERE study_id = $1', [studyId])).rowCount ?? 0) > 0;
}

/** The error for a trial that is not there: its study's, when the study is missing too. */
export async function missingTrial(q: Queryable, studyId: number, number: number): Promise<StoreError> {
  if (!(await studyExists(q, studyId))) return new StoreError('study_not_found', `study id ${studyId} does not exist`);
  return new StoreError('trial_not_found', `study id ${studyId} has no trial ${number}`);
}
