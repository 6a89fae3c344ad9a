/**
 * Search spaces (OPTIMIZER.md "Search-space format"): validation with errors that name the
 * parameter, the field and what is allowed; the internal (transformed) representation the
 * samplers work in; and canonical values for stepped parameters.
 *
 * Internal representation, as Optuna's Parzen estimator uses it:
 * - numeric: the value itself, or ln(value) for `log` parameters; a parameter with a step q
 *   (every int, and float with `step`) widens its bounds by q/2 on each side so that every
 *   grid point owns a cell of equal width;
 * - categorical: the index of the choice.
 */
import { InputError } from '../errors.js';
import type { FlatParams, ParamSpec, ParamValue, SearchSpace } from './space.types.js';

export type { FlatParams, ParamSpec, ParamValue, SearchSpace };

/** A search-space error naming the parameter (path) it is about. */
export class SpaceError extends InputError {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(param === '' ? message : `search space parameter "${param}": ${message}`);
    this.name = 'SpaceError';
  }
}

/** One parameter with everything a sampler needs precomputed. */
export interface Dim {
  readonly name: string;
  readonly spec: ParamSpec;
  readonly kind: 'float' | 'int' | 'categorical';
  readonly log: boolean;
  /** External step (ints default to 1), or null for a continuous float. */
  readonly step: number | null;
  /** External bounds (numeric only; 0 and n-1 for categoricals). */
  readonly low: number;
  readonly high: number;
  /** Internal bounds: widened by step/2 for discrete, then ln for log. */
  readonly lowI: number;
  readonly highI: number;
  /** Number of grid points (discrete / categorical) or Infinity (continuous float). */
  readonly size: number;
  /** Categorical choices (empty for numeric). */
  readonly choices: readonly ParamValue[];
  /** Decimals of a stepped float's grid points (see gridValue); 0 otherwise. */
  readonly digits: number;
}

const PATH_RE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const NUMERIC_FIELDS = ['type', 'low', 'high', 'step', 'log'] as const;
const CATEGORICAL_FIELDS = ['type', 'choices'] as const;
const TYPES = ['float', 'int', 'categorical'] as const;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function fmt(x: unknown): string {
  return typeof x === 'string' ? JSON.stringify(x) : String(x === undefined ? 'undefined' : JSON.stringify(x));
}

/** Number of decimals needed to write x exactly as typed (e.g. 0.05 → 2, 1e-7 → 7). */
function decimals(x: number): number {
  const s = String(Math.abs(x));
  const e = s.indexOf('e-');
  if (e >= 0) {
    const mant = s.slice(0, e);
    const dot = mant.indexOf('.');
    return Number(s.slice(e + 2)) + (dot >= 0 ? mant.length - dot - 1 : 0);
  }
  const dot = s.indexOf('.');
  return dot >= 0 ? s.length - dot - 1 : 0;
}

/**
 * The k-th point of a stepped float grid, written the way a person would (0.2 + 3·0.05 is
 * 0.35, not 0.35000000000000003), so that equal grid points always have equal keys.
 * This is a canonical representation of a grid value, not rounding of a result.
 */
export function gridValue(low: number, step: number, k: number, digits?: number): number {
  const v = low + k * step;
  const d = digits ?? gridDigits(low, step);
  const c = Number(v.toFixed(d));
  return Math.abs(c - v) <= Math.abs(step) * 1e-9 ? c : v;
}

/** Decimals used to write the points of a stepped grid (see gridValue). */
export function gridDigits(low: number, step: number): number {
  return Math.min(15, Math.max(decimals(low), decimals(step)));
}

function checkStepFit(name: string, low: number, high: number, step: number, kind: 'int' | 'float'): number {
  const n = (high - low) / step;
  const k = Math.round(n);
  if (Math.abs(n - k) > 1e-9 * Math.max(1, Math.abs(n))) {
    const below = kind === 'int' ? low + Math.floor(n) * step : gridValue(low, step, Math.floor(n));
    const above = kind === 'int' ? low + Math.ceil(n) * step : gridValue(low, step, Math.ceil(n));
    throw new SpaceError(
      name,
      `high ${high} is not low + k·step (low ${low}, step ${step}); use high ${below} or ${above}`,
    );
  }
  return k;
}

function validateParam(name: string, raw: unknown): ParamSpec {
  if (!isRecord(raw)) {
    throw new SpaceError(name, `expected an object like { type: 'float', low: 0, high: 1 }, got ${fmt(raw)}`);
  }
  const type = raw.type;
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type)) {
    throw new SpaceError(name, `type ${fmt(type)} is not allowed; use one of ${TYPES.join(', ')}`);
  }
  const allowed: readonly string[] = type === 'categorical' ? CATEGORICAL_FIELDS : NUMERIC_FIELDS;
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) {
      throw new SpaceError(name, `unknown field "${key}" for type ${type}; allowed fields: ${allowed.join(', ')}`);
    }
  }
  if (type === 'categorical') {
    const choices = raw.choices;
    if (!Array.isArray(choices) || choices.length === 0) {
      throw new SpaceError(name, `choices must be a non-empty array, got ${fmt(choices)}`);
    }
    const seen = new Set<string>();
    for (const c of choices) {
      const ok = c === null || typeof c === 'string' || typeof c === 'boolean' || (typeof c === 'number' && Number.isFinite(c));
      if (!ok) throw new SpaceError(name, `choice ${fmt(c)} is not allowed; choices are strings, finite numbers, booleans or null`);
      const key = valueKey(c as ParamValue);
      if (seen.has(key)) throw new SpaceError(name, `choice ${fmt(c)} appears twice; choices must be unique`);
      seen.add(key);
    }
    return Object.freeze({ type: 'categorical', choices: Object.freeze([...(choices as ParamValue[])]) });
  }
  const { low, high, step, log } = raw;
  for (const [field, v] of [['low', low], ['high', high]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new SpaceError(name, `${field} must be a finite number, got ${fmt(v)}`);
    if (type === 'int' && !Number.isInteger(v)) throw new SpaceError(name, `${field} must be an integer for type int, got ${v}`);
  }
  const lo = low as number;
  const hi = high as number;
  if (lo > hi) throw new SpaceError(name, `low ${lo} is greater than high ${hi}; low must be <= high`);
  if (log !== undefined && typeof log !== 'boolean') throw new SpaceError(name, `log must be true or false, got ${fmt(log)}`);
  if (step !== undefined && (typeof step !== 'number' || !Number.isFinite(step) || step <= 0)) {
    throw new SpaceError(name, `step must be a positive number, got ${fmt(step)}`);
  }
  if (type === 'int' && step !== undefined && !Number.isInteger(step)) {
    throw new SpaceError(name, `step must be a positive integer for type int, got ${step}`);
  }
  if (log === true) {
    if (lo <= 0) throw new SpaceError(name, `low ${lo} must be > 0 when log is true`);
    if (type === 'float' && step !== undefined) throw new SpaceError(name, 'step cannot be combined with log for type float; drop one of them');
    if (type === 'int' && step !== undefined && step !== 1) throw new SpaceError(name, `step must be 1 when log is true for type int, got ${step}`);
  }
  if (step !== undefined) checkStepFit(name, lo, hi, step as number, type as 'int' | 'float');
  const out: { type: 'float' | 'int'; low: number; high: number; step?: number; log?: boolean } = { type: type as 'float' | 'int', low: lo, high: hi };
  if (step !== undefined) out.step = step as number;
  if (log === true) out.log = true;
  return Object.freeze(out) as ParamSpec;
}

/**
 * Validates an untrusted search space (from a job file or tool input) and returns a frozen
 * copy. Throws SpaceError naming the parameter, the field and what is allowed.
 */
export function validateSpace(input: unknown): SearchSpace {
  if (!isRecord(input)) throw new SpaceError('', `a search space must be an object mapping parameter paths to specs, got ${fmt(input)}`);
  const out: Record<string, ParamSpec> = {};
  const names = Object.keys(input);
  for (const name of names) {
    if (!PATH_RE.test(name)) {
      throw new SpaceError(name, 'invalid path; use dotted segments of letters, digits, "_" or "-" (e.g. thresholds.entry_conf or risk_map.1.1)');
    }
    out[name] = validateParam(name, input[name]);
  }
  const sorted = [...names].sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].startsWith(`${sorted[i - 1]}.`)) {
      throw new SpaceError(sorted[i], `conflicts with parameter "${sorted[i - 1]}" (one path cannot be both a value and a container)`);
    }
  }
  return Object.freeze(out);
}

/** Precomputed per-parameter view of a (validated) space, in declaration order. */
export function dimsOf(space: SearchSpace): Dim[] {
  return Object.keys(space).map((name) => {
    const spec = space[name];
    if (spec.type === 'categorical') {
      const n = spec.choices.length;
      return { name, spec, kind: 'categorical', log: false, step: null, low: 0, high: n - 1, lowI: 0, highI: n - 1, size: n, choices: spec.choices, digits: 0 };
    }
    const log = spec.log === true;
    const step = spec.type === 'int' ? (spec.step ?? 1) : (spec.step ?? null);
    let lo = spec.low;
    let hi = spec.high;
    if (step !== null) {
      lo -= step / 2;
      hi += step / 2;
    }
    const size = step === null ? (spec.low === spec.high ? 1 : Infinity) : Math.round((spec.high - spec.low) / step) + 1;
    return {
      name,
      spec,
      kind: spec.type,
      log,
      step,
      low: spec.low,
      high: spec.high,
      lowI: log ? Math.log(lo) : lo,
      highI: log ? Math.log(hi) : hi,
      size,
      choices: [],
      digits: spec.type === 'float' && step !== null ? gridDigits(spec.low, step) : 0,
    };
  });
}

/** A stable string key of a parameter value (for sets, grids and duplicate detection). */
export function valueKey(v: ParamValue): string {
  return typeof v === 'string' ? `s:${v}` : `${typeof v}:${String(v)}`;
}

function keyOver(names: readonly string[], params: Readonly<FlatParams>): string {
  return [...names]
    .sort()
    .map((n) => `${n}=${valueKey(params[n] ?? null)}`)
    .join('|');
}

/** A stable key of a whole parameter set over the space's names (order-independent). */
export function paramsKey(space: SearchSpace, params: Readonly<FlatParams>): string {
  return keyOver(Object.keys(space), params);
}

/**
 * A trial's configuration: the key of its flat params over their own names. Trials of one
 * study all have the space's names, so two trials share a key exactly when paramsKey does.
 */
export function configKey(params: Readonly<FlatParams>): string {
  return keyOver(Object.keys(params), params);
}

/** Index of a categorical choice, or -1. */
export function choiceIndex(dim: Dim, v: ParamValue): number {
  const key = valueKey(v);
  return dim.choices.findIndex((c) => valueKey(c) === key);
}

/** External value → internal number (ln for log, choice index for categorical). NaN if not representable. */
export function toInternal(dim: Dim, v: ParamValue): number {
  if (dim.kind === 'categorical') {
    const i = choiceIndex(dim, v);
    return i < 0 ? NaN : i;
  }
  if (typeof v !== 'number') return NaN;
  return dim.log ? Math.log(v) : v;
}

/** Internal number → external value: snapped to the step grid and clipped to [low, high]. */
export function fromInternal(dim: Dim, x: number): ParamValue {
  if (dim.kind === 'categorical') {
    const i = Math.min(dim.size - 1, Math.max(0, Math.round(x)));
    return dim.choices[i];
  }
  const v = dim.log ? Math.exp(x) : x;
  if (dim.step === null) return Math.min(dim.high, Math.max(dim.low, v));
  const k = Math.min(dim.size - 1, Math.max(0, Math.round((v - dim.low) / dim.step)));
  return dim.kind === 'int' ? dim.low + k * dim.step : gridValue(dim.low, dim.step, k, dim.digits);
}

/** The k-th grid point of a discrete or categorical dimension. */
export function gridPoint(dim: Dim, k: number): ParamValue {
  if (dim.kind === 'categorical') return dim.choices[k];
  if (dim.step === null) throw new RangeError(`parameter "${dim.name}" is continuous and has no grid`);
  return dim.kind === 'int' ? dim.low + k * dim.step : gridValue(dim.low, dim.step, k, dim.digits);
}

/** True when v is an allowed value of the parameter (type, bounds, step grid, choices). */
export function contains(dim: Dim, v: ParamValue): boolean {
  if (dim.kind === 'categorical') return choiceIndex(dim, v) >= 0;
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  if (dim.kind === 'int' && !Number.isInteger(v)) return false;
  const tol = 1e-12 * Math.max(1, Math.abs(dim.low), Math.abs(dim.high));
  if (v < dim.low - tol || v > dim.high + tol) return false;
  if (dim.step === null) return true;
  const n = (v - dim.low) / dim.step;
  return Math.abs(n - Math.round(n)) <= 1e-9 * Math.max(1, Math.abs(n));
}

/** Checks a full parameter set against the space; returns the first problem or null. */
export function checkParams(space: SearchSpace, params: Readonly<FlatParams>): string | null {
  for (const dim of dimsOf(space)) {
    if (!(dim.name in params)) return `parameter "${dim.name}" is missing`;
    if (!contains(dim, params[dim.name])) return `parameter "${dim.name}" = ${fmt(params[dim.name])} is outside its space ${JSON.stringify(dim.spec)}`;
  }
  return null;
}

/** Canonical JSON of a space (sorted keys): equal spaces give equal strings (resume signatures). */
export function canonicalSpace(space: SearchSpace): string {
  const names = Object.keys(space).sort();
  const sortKeys = (o: ParamSpec): [string, unknown][] =>
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(names.map((n) => [n, sortKeys(space[n])]));
}

export { getPath, setPath, unflatten, readParams } from './paths.js';
export { narrowSpace } from './narrow.js';
