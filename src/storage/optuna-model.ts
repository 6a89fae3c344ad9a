/**
 * The value encodings of Optuna's RDB schema (optuna/storages/_rdb/models.py, 3.1; schema
 * version 12, alembic head v3.0.0.d), shared by the SQLite and PostgreSQL study stores so
 * that `optuna.load_study` reads a tradelab study, and a Python worker's trials read back
 * here, exactly:
 *
 * - a parameter is stored as Optuna's internal representation (`param_value`, a float: the
 *   number itself, or the index of a categorical choice) beside its `distribution_json`
 *   (`{"name": "FloatDistribution", "attributes": {...}}`); the external value is
 *   `choices[index]` or the number. A parameter given without a distribution (or whose
 *   value lies outside it) is stored with a one-point distribution of its own value, so
 *   nothing is lost and Optuna can still read it;
 * - objective values are `value` + `value_type` (FINITE, INF_POS, INF_NEG; infinities are
 *   NULL values), intermediate values also take NAN;
 * - times are Optuna's naive DATETIME text `YYYY-MM-DD HH:MM:SS.ffffff`, in UTC (Optuna
 *   itself writes local time: run Python workers with TZ=UTC);
 * - directions and states are the enum names (MINIMIZE, MAXIMIZE; RUNNING, COMPLETE, …).
 */
import { plainZero, type TrialFinish } from '../engine/optimizer/store.js';
import type { ParamSpec, ParamValue } from '../engine/optimizer/space.types.js';
import { freezeTrial, type Attrs, type AttrValue, type FrozenTrial, type StudyDirection } from '../engine/optimizer/trial.js';

/** Optuna 3.1's schema version and alembic head: what `version_info` and `alembic_version` hold. */
export const OPTUNA_SCHEMA_VERSION = 12;
export const OPTUNA_ALEMBIC_HEAD = 'v3.0.0.d';
export const OPTUNA_LIBRARY_VERSION = '3.1.0';

export type ValueType = 'FINITE' | 'INF_POS' | 'INF_NEG';
export type IntermediateValueType = ValueType | 'NAN';

export interface ParamRow {
  readonly param_value: number;
  readonly distribution_json: string;
}

type Choice = string | number | boolean | null;

function same(a: Choice, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

function pointOf(value: ParamValue): ParamRow {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const name = Number.isInteger(value) ? 'IntDistribution' : 'FloatDistribution';
    const attributes = name === 'IntDistribution' ? { log: false, step: 1, low: value, high: value } : { step: null, low: value, high: value, log: false };
    return { param_value: value, distribution_json: JSON.stringify({ name, attributes }) };
  }
  return { param_value: 0, distribution_json: JSON.stringify({ name: 'CategoricalDistribution', attributes: { choices: [value] } }) };
}

/** A spec's distribution_json, built once per spec object (a study's space is reused by every trial). */
const specJson = new WeakMap<ParamSpec, string>();

function distributionJson(spec: ParamSpec): string {
  let json = specJson.get(spec);
  if (json === undefined) {
    let d: DistJson;
    if (spec.type === 'categorical') d = { name: 'CategoricalDistribution', attributes: { choices: spec.choices } };
    else if (spec.type === 'int') d = { name: 'IntDistribution', attributes: { log: spec.log ?? false, step: spec.step ?? 1, low: spec.low, high: spec.high } };
    else d = { name: 'FloatDistribution', attributes: { step: spec.step ?? null, low: spec.low, high: spec.high, log: spec.log ?? false } };
    json = JSON.stringify(d);
    specJson.set(spec, json);
  }
  return json;
}

/** A parameter value as Optuna stores it, under the spec it was drawn from. */
export function encodeParam(value: ParamValue, spec: ParamSpec | undefined): ParamRow {
  if (!spec) return pointOf(value);
  if (spec.type === 'categorical') {
    const i = spec.choices.findIndex((c) => same(c, value));
    return i < 0 ? pointOf(value) : { param_value: i, distribution_json: distributionJson(spec) };
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.low || value > spec.high) return pointOf(value);
  if (spec.type === 'int' && !Number.isInteger(value)) return pointOf(value);
  return { param_value: value, distribution_json: distributionJson(spec) };
}

interface DistJson {
  readonly name: string;
  readonly attributes: Record<string, unknown>;
}

/** The distribution as a search-space spec (Optuna's legacy distribution names included). */
export function distributionSpec(distributionJson: string): ParamSpec {
  const d = JSON.parse(distributionJson) as DistJson;
  const a = d.attributes ?? {};
  const n = (k: string): number => Number(a[k]);
  switch (d.name) {
    case 'CategoricalDistribution':
      return { type: 'categorical', choices: a.choices as Choice[] };
    case 'FloatDistribution':
      return { type: 'float', low: n('low'), high: n('high'), ...(a.step != null ? { step: n('step') } : {}), ...(a.log ? { log: true } : {}) };
    case 'UniformDistribution':
      return { type: 'float', low: n('low'), high: n('high') };
    case 'LogUniformDistribution':
      return { type: 'float', low: n('low'), high: n('high'), log: true };
    case 'DiscreteUniformDistribution':
      return { type: 'float', low: n('low'), high: n('high'), step: n('q') };
    case 'IntDistribution':
    case 'IntUniformDistribution':
    case 'IntLogUniformDistribution':
      return { type: 'int', low: n('low'), high: n('high'), step: a.step != null ? n('step') : 1, ...(a.log || d.name === 'IntLogUniformDistribution' ? { log: true } : {}) };
    default:
      throw new Error(`unknown Optuna distribution "${String(d.name)}" in distribution_json`);
  }
}

/** The external value of a stored parameter (Optuna's `to_external_repr`). */
export function decodeParam(paramValue: number, distributionJson: string): ParamValue {
  const spec = distributionSpec(distributionJson);
  if (spec.type === 'categorical') {
    const c = spec.choices[paramValue];
    if (!Number.isInteger(paramValue) || paramValue < 0 || paramValue >= spec.choices.length) {
      throw new Error(`stored categorical index ${paramValue} is outside its ${spec.choices.length} choice(s)`);
    }
    return c;
  }
  return spec.type === 'int' ? Math.round(paramValue) : paramValue;
}

/**
 * An attribute's value_json. Python's json.dumps writes NaN and ±Infinity as bare tokens,
 * which are not JSON: such a value (from a Python Optuna process) reads with them as null,
 * instead of failing every read of the study.
 */
export function parseAttrJson(text: string): AttrValue {
  try {
    return JSON.parse(text) as AttrValue;
  } catch (e) {
    let out = '';
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        out += ch;
        if (ch === '\\') out += text[++i] ?? '';
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      const token = inString ? null : text.slice(i).match(/^(-?Infinity|NaN)/);
      if (token) {
        out += 'null';
        i += token[0].length - 1;
      } else out += ch;
    }
    try {
      return JSON.parse(out) as AttrValue;
    } catch {
      throw e;
    }
  }
}

export function encodeValue(v: number): { value: number | null; value_type: ValueType } {
  if (v === Infinity) return { value: null, value_type: 'INF_POS' };
  if (v === -Infinity) return { value: null, value_type: 'INF_NEG' };
  return { value: Object.is(v, -0) ? 0 : v, value_type: 'FINITE' };
}

export function encodeIntermediate(v: number): { value: number | null; value_type: IntermediateValueType } {
  return Number.isNaN(v) ? { value: null, value_type: 'NAN' } : encodeValue(v);
}

export function decodeValue(value: number | null, type: string): number {
  switch (type) {
    case 'INF_POS':
      return Infinity;
    case 'INF_NEG':
      return -Infinity;
    case 'NAN':
      return NaN;
    default:
      return value === null ? NaN : value;
  }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Epoch ms as Optuna's naive DATETIME text (UTC). */
export function msToDatetime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a time: ${ms}`);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`;
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** Optuna's DATETIME text (read as UTC) as epoch ms; sub-millisecond digits are dropped. */
export function datetimeToMs(s: string): number {
  const m = s.trim().match(DATETIME);
  if (!m) throw new Error(`not an Optuna datetime: ${JSON.stringify(s)}`);
  const frac = (m[7] ?? '').padEnd(3, '0').slice(0, 3);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(frac));
}

export const directionName = (d: StudyDirection): 'MINIMIZE' | 'MAXIMIZE' => (d === 'minimize' ? 'MINIMIZE' : 'MAXIMIZE');

export function directionOf(name: string): StudyDirection {
  if (name === 'MINIMIZE') return 'minimize';
  if (name === 'MAXIMIZE') return 'maximize';
  throw new Error(`study direction ${JSON.stringify(name)} is not MINIMIZE or MAXIMIZE`);
}

/** Attributes as their JSON text reads back (what the attribute tables hold). */
export const storedAttrs = (attrs: Attrs | undefined): Record<string, AttrValue> => JSON.parse(JSON.stringify(attrs ?? {})) as Record<string, AttrValue>;

/**
 * A RUNNING trial as its finish leaves the rows, for a store that knows the trial as it wrote
 * it and need not read it back: `values` as checked (checkFinish), the finish's intermediate
 * values (`steps`, checked) and attributes added, numbers and attributes as they read back.
 */
export function finishedTrial(t: FrozenTrial, finish: TrialFinish, values: readonly number[] | null, steps: Iterable<readonly [number, number]>): FrozenTrial {
  const iv = new Map(t.intermediate_values);
  for (const [step, v] of steps) iv.set(step, plainZero(v));
  return freezeTrial({
    ...t,
    state: finish.state,
    values,
    constraints: finish.constraints ? finish.constraints.map(plainZero) : null,
    intermediate_values: iv,
    user_attrs: { ...t.user_attrs, ...storedAttrs(finish.user_attrs) },
    system_attrs: { ...t.system_attrs, ...storedAttrs(finish.system_attrs) },
    datetime_complete: finish.datetime_complete,
  });
}
