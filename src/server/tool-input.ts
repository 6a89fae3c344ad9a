/**
 * Tool arguments as the client sent them, checked before a tool runs: every object
 * is strict (an unknown key is an `isError` result naming its path, with a "did you mean"
 * and the accepted keys), reserved keys (`__proto__`, `constructor`, `prototype`) are refused
 * anywhere, and a parameter object sent as JSON text is parsed (see paramsFromText).
 */
import { z } from 'zod';
import { show, UserError } from '../research/errors.js';
import { toolErrorText } from './tool-errors.js';
import { checkInput, formatPath, problemsText } from '../research/strict-input.js';
import type { ToolDef } from '../tools/types.js';

const strictObjects = new WeakMap<ToolDef, z.ZodObject>();

/**
 * Each tool's input as a strict object, built once (stateless HTTP registers the tools per
 * request). Its JSON Schema in tools/list says `additionalProperties: false`.
 */
export function strictInputObject(def: ToolDef): z.ZodObject {
  let o = strictObjects.get(def);
  if (!o) {
    o = z.strictObject(def.inputSchema);
    strictObjects.set(def, o);
  }
  return o;
}

/** Keys whose value is one parameter object; `param_sets` holds a list of them. */
const PARAMS_KEYS: ReadonlySet<string> = new Set(['params', 'fixed_params']);
const PARAMS_LIST_KEY = 'param_sets';

function paramsString(text: string, path: readonly PropertyKey[]): unknown {
  const fixed = path.includes('fixed_params');
  if (text === 'champion' && !fixed) return text;
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      const v: unknown = JSON.parse(t);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v;
    } catch {
      // not JSON: refused below
    }
  }
  const field = formatPath(path);
  throw new UserError(`${field}: pass an object, not a string`, {
    field,
    value: text,
    expected: `an object such as {"fast": 10, "slow": 30}${fixed ? '' : ', or "champion" for the current champion'}`,
  });
}

/**
 * Some clients send a nested object argument as JSON text. For parameter objects (`params`,
 * `fixed_params`, the entries of `param_sets`, at any depth) that is unambiguous: their only
 * accepted string is "champion", so text that parses as a JSON object is taken as that
 * object, and any other string is refused with "pass an object, not a string".
 */
export function paramsFromText(value: unknown, path: PropertyKey[] = [], depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 50) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      if (v === null || typeof v !== 'object') return;
      const w = paramsFromText(v, [...path, i], depth + 1);
      if (w !== v) (out ??= [...value])[i] = w;
    });
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    let w = v;
    if (PARAMS_KEYS.has(k) && typeof v === 'string') w = paramsString(v, [...path, k]);
    else if (k === PARAMS_LIST_KEY && Array.isArray(v)) w = v.map((x, i) => (typeof x === 'string' ? paramsString(x, [...path, k, i]) : x));
    w = paramsFromText(w, [...path, k], depth + 1);
    if (w !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = w;
  }
  return out ?? value;
}

export type CheckedArguments = { readonly ok: true; readonly args: Record<string, unknown> } | { readonly ok: false; readonly text: string };

/**
 * The arguments as the tool's strict schema parses them (defaults filled in), or the text of
 * an `isError` result: `<tool>: <field>: <problem>`.
 */
export function checkToolArguments(def: ToolDef, raw: unknown): CheckedArguments {
  const input = raw ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) return { ok: false, text: `${def.name}: the arguments must be an object of named arguments, got ${show(raw)}` };
  let args: Record<string, unknown>;
  try {
    args = paramsFromText(input) as Record<string, unknown>;
  } catch (e) {
    return { ok: false, text: toolErrorText(def.name, e) };
  }
  const r = checkInput(strictInputObject(def), args);
  return r.ok ? { ok: true, args: r.data } : { ok: false, text: `${def.name}: ${problemsText(r.problems)}` };
}
