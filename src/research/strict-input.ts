/**
 * Strict input everywhere (tool arguments, job and scenario files, batch specs, walk-forward
 * requests, server.yaml, execution specs): an unknown key is an error naming its path, with
 * a "did you mean" and the keys accepted at that level; the reserved names `__proto__`,
 * `constructor` and `prototype` are refused as keys anywhere (JSON.parse makes them own
 * keys, and records would drop them silently or reach the prototype).
 *
 * Zod reports an unknown key as `unrecognized_keys` on the strict object that refused it; the
 * error map below remembers that object's keys per input object, so the message can list them.
 */
import type { z } from 'zod';
import { closestName } from '../engine/strategies/suggest.js';
import { UserError, show, valueAt } from './errors.js';

export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * Names people (and models) use for a key we call otherwise. Only suggested when the target
 * is accepted at that level.
 */
const SYNONYMS: Readonly<Record<string, string>> = {
  start: 'from',
  start_date: 'from',
  startdate: 'from',
  from_date: 'from',
  date_from: 'from',
  begin: 'from',
  since: 'from',
  end: 'to',
  end_date: 'to',
  enddate: 'to',
  to_date: 'to',
  date_to: 'to',
  until: 'to',
  trials: 'n_trials',
  num_trials: 'n_trials',
  max_trials: 'n_trials',
  iterations: 'n_trials',
  n_iter: 'n_trials',
  jobs: 'n_jobs',
  workers: 'n_jobs',
  parameters: 'params',
  strategy_params: 'params',
  fees: 'commission',
  fee: 'commission',
  slippage: 'slippage_bps',
  initial_cash: 'cash',
  initial_capital: 'cash',
  capital: 'cash',
  tf: 'timeframe',
  interval: 'timeframe',
  ticker: 'symbol',
  random_seed: 'seed',
  search_space: 'space',
  metric: 'objective',
  runid: 'run_id',
  id: 'run_id',
};

/** `a.b[2].c` from path segments (numbers are array indices). */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** Deeper input is refused rather than searched (no tool or file nests anywhere near this). */
export const MAX_DEPTH = 100;

/**
 * Path of the first reserved key (`__proto__`, `constructor`, `prototype`) inside `value`, or
 * of an object nested deeper than MAX_DEPTH (which is then not searched), if any.
 */
export function findReservedKey(value: unknown, path: PropertyKey[] = [], depth = 0): PropertyKey[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > MAX_DEPTH) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v !== null && typeof v === 'object') {
        const hit = findReservedKey(v, [...path, i], depth + 1);
        if (hit) return hit;
      }
    }
    return undefined;
  }
  for (const k of Object.keys(value)) {
    if (RESERVED_KEYS.includes(k)) return [...path, k];
    const hit = findReservedKey((value as Record<string, unknown>)[k], [...path, k], depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly in?: z.ZodType;
}

function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

/** The keys of the object(s) a schema accepts, through optional/nullable/default/union wrappers. */
function objectKeysOf(schema: unknown, depth = 0): string[] {
  const def = defOf(schema);
  if (!def || depth > 8) return [];
  if (def.type === 'object' && def.shape) return Object.keys(def.shape);
  if (def.innerType) return objectKeysOf(def.innerType, depth + 1);
  if (def.type === 'pipe' && def.in) return objectKeysOf(def.in, depth + 1);
  if (def.type === 'union' && def.options) return [...new Set(def.options.flatMap((o) => objectKeysOf(o, depth + 1)))];
  return [];
}

/**
 * The accepted key closest to an unknown one: the same key one level down (`commission` →
 * `execution.commission`), a known synonym (`start_date` → `from`), or the nearest name by
 * edit distance when reasonably close.
 */
export function suggestKey(key: string, accepted: readonly string[], nested: Readonly<Record<string, readonly string[]>> = {}): string | undefined {
  for (const [field, keys] of Object.entries(nested)) if (keys.includes(key)) return `${field}.${key}`;
  const syn = SYNONYMS[key.toLowerCase()];
  if (syn !== undefined && accepted.includes(syn)) return syn;
  return closestName(key, accepted);
}

/** `Accepted keys in execution: a, b, c` (`where` '' = the top level). */
export function acceptedKeysText(where: string, accepted: readonly string[]): string {
  return `Accepted keys ${where === '' ? 'at the top level' : `in ${where}`}: ${accepted.length ? accepted.join(', ') : 'none (it takes no arguments)'}`;
}

/** `unknown key; did you mean "x"?` or `unknown key.` */
export function unknownKeyText(guess: string | undefined): string {
  return guess ? `unknown key; did you mean "${guess}"?` : 'unknown key.';
}

export interface InputProblem {
  /** `execution.comission`, `items[2].params`, or '' for the input itself. */
  readonly field: string;
  readonly message: string;
  /** The offending value (absent for unknown keys). */
  readonly value?: unknown;
  readonly path: readonly PropertyKey[];
  /** For an unknown key: the object it was found in (path) and the keys it accepts. */
  readonly accepted?: { readonly path: readonly PropertyKey[]; readonly keys: readonly string[] };
  /** For an unknown key: the suggested key, if any. */
  readonly suggestion?: string;
}

interface Issue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
  readonly errors?: readonly (readonly Issue[])[];
}

interface KeysInfo {
  readonly accepted: readonly string[];
  readonly nested: Readonly<Record<string, readonly string[]>>;
}

/** Turns zod issues into problems with full paths; unions report their closest branch. */
function problemsOf(issues: readonly Issue[], input: unknown, known: WeakMap<object, KeysInfo>, base: readonly PropertyKey[], prefix: string, out: InputProblem[]): void {
  for (const i of issues) {
    const path = [...base, ...i.path];
    if (i.code === 'unrecognized_keys' && i.keys) {
      const obj = valueAt(input, path);
      const info = obj !== null && typeof obj === 'object' ? known.get(obj) : undefined;
      for (const k of i.keys) {
        const field = formatPath([...path, k], prefix);
        const suggestion = info ? suggestKey(k, info.accepted, info.nested) : undefined;
        out.push({ field, path: [...path, k], message: unknownKeyText(suggestion), ...(suggestion ? { suggestion } : {}), ...(info ? { accepted: { path, keys: info.accepted } } : {}) });
      }
      continue;
    }
    if (i.code === 'invalid_union' && i.errors && i.errors.length > 0) {
      // a branch that got past the shape of the value (nested paths or unknown keys) is what the caller meant
      const deep = i.errors.filter((b) => b.some((x) => x.path.length > 0 || x.code === 'unrecognized_keys'));
      if (deep.length === 1) {
        problemsOf(deep[0], input, known, path, prefix, out);
        continue;
      }
      const expected = i.errors.map((b) => b.map((x) => x.message.replace(/^Invalid (input|option): /, '').replace(/, received .*$/, '')).join(' and ')).join(' | ');
      const value = valueAt(input, path);
      out.push({ field: formatPath(path, prefix), path, value, message: `invalid value ${show(value)}; ${expected}` });
      continue;
    }
    out.push({ field: formatPath(path, prefix), path, value: valueAt(input, path), message: i.message });
  }
}

export type CheckResult<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly problems: readonly InputProblem[] };

/** Validates `input` against `schema` (reserved keys first), collecting problems with full paths. */
export function checkInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): CheckResult<z.output<S>> {
  const reserved = findReservedKey(input);
  if (reserved) {
    const field = formatPath(reserved, prefix);
    const key = reserved[reserved.length - 1];
    const message =
      typeof key === 'string' && RESERVED_KEYS.includes(key)
        ? `the key ${JSON.stringify(key)} is not allowed (${RESERVED_KEYS.join(', ')} are reserved names, never accepted as keys)`
        : `nested more than ${MAX_DEPTH} levels deep`;
    return { ok: false, problems: [{ field, path: reserved, message }] };
  }
  const known = new WeakMap<object, KeysInfo>();
  const r = schema.safeParse(input, {
    error: (iss) => {
      const raw = iss as { code: string; input?: unknown; inst?: unknown };
      if (raw.code === 'unrecognized_keys' && raw.input !== null && typeof raw.input === 'object') {
        const shape = defOf(raw.inst)?.shape ?? {};
        const nested: Record<string, string[]> = {};
        for (const [k, s] of Object.entries(shape)) {
          const keys = objectKeysOf(s);
          if (keys.length) nested[k] = keys;
        }
        known.set(raw.input, { accepted: Object.keys(shape), nested });
      }
      return undefined;
    },
  });
  if (r.success) return { ok: true, data: r.data };
  const problems: InputProblem[] = [];
  problemsOf(r.error.issues as unknown as readonly Issue[], input, known, [], prefix, problems);
  // `topk` given for the required `top_k`: the unknown key says it all, not also "top_k missing"
  const meant = new Set(problems.flatMap((p) => (p.suggestion ? [formatPath([...p.path.slice(0, -1), p.suggestion], prefix)] : [])));
  const kept = problems.filter((p) => !(p.value === undefined && p.accepted === undefined && meant.has(p.field)));
  return { ok: false, problems: kept.length ? kept : problems };
}

/**
 * ` Accepted keys in <object>: …` for an unknown key, once per object (`said` remembers);
 * `where` names the object's path.
 */
export function acceptedOnce(p: InputProblem, said: Set<string>, where: (path: readonly PropertyKey[]) => string): string {
  if (!p.accepted) return '';
  const w = where(p.accepted.path);
  if (said.has(w)) return '';
  said.add(w);
  return ` ${acceptedKeysText(w, p.accepted.keys)}`;
}

/** `a: …` for one problem, a bulleted list for several (at most 10). */
export function problemsText(problems: readonly InputProblem[], prefix = ''): string {
  const said = new Set<string>();
  const lines = problems.slice(0, 10).map((p) => `${p.field || '(input)'}: ${p.message}${acceptedOnce(p, said, (path) => formatPath(path, prefix))}`);
  const more = problems.length > 10 ? [`… ${problems.length - 10} more`] : [];
  return lines.length === 1 ? lines[0] : `${problems.length} problems:\n  - ${[...lines, ...more].join('\n  - ')}`;
}

/**
 * Validates and returns the parsed value, or throws a UserError: `<source>: <problems>`
 * (source: a file name, `execution`, …; empty for tool arguments).
 */
export function parseStrict<S extends z.ZodType>(schema: S, input: unknown, opts: { readonly source?: string; readonly prefix?: string; readonly expected?: string } = {}): z.output<S> {
  const r = checkInput(schema, input, opts.prefix ?? '');
  if (r.ok) return r.data;
  const first = r.problems[0];
  const text = problemsText(r.problems, opts.prefix ?? '');
  return fail(opts.source ? `${opts.source}: ${text}` : text, first, opts.expected);
}

function fail(message: string, first: InputProblem, expected?: string): never {
  throw new UserError(message, { field: first.field || undefined, ...(first.value !== undefined ? { value: first.value } : {}), ...(expected ? { expected } : {}) });
}
