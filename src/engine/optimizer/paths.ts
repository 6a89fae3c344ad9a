/**
 * Dotted parameter paths into nested strategy params: `thresholds.entry_conf_overall`
 * reads `params.thresholds.entry_conf_overall`; `risk_map.1.1` reads `params.risk_map[1][1]`
 * when `risk_map` is an array (or `params.risk_map['1']['1']` when it is an object).
 * Writes never mutate their input: the containers along the path are copied.
 */
import type { FlatParams, ParamValue, SearchSpace } from './space.types.js';

function segments(path: string): string[] {
  if (path === '') throw new RangeError('empty parameter path');
  return path.split('.');
}

function isContainer(x: unknown): x is Record<string, unknown> | unknown[] {
  return typeof x === 'object' && x !== null;
}

function child(container: Record<string, unknown> | unknown[], seg: string): unknown {
  if (Array.isArray(container)) {
    const i = Number(seg);
    return Number.isInteger(i) && i >= 0 ? container[i] : undefined;
  }
  return Object.prototype.hasOwnProperty.call(container, seg) ? container[seg] : undefined;
}

/** Value at a dotted path, or undefined when any step is missing. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of segments(path)) {
    if (!isContainer(cur)) return undefined;
    cur = child(cur, seg);
  }
  return cur;
}

function copy(container: Record<string, unknown> | unknown[]): Record<string, unknown> | unknown[] {
  return Array.isArray(container) ? [...container] : { ...container };
}

function assign(container: Record<string, unknown> | unknown[], seg: string, value: unknown, path: string): void {
  if (Array.isArray(container)) {
    const i = Number(seg);
    if (!Number.isInteger(i) || i < 0) {
      throw new RangeError(`path "${path}": segment "${seg}" indexes an array and must be a non-negative integer`);
    }
    container[i] = value;
  } else {
    if (seg === '__proto__' || seg === 'constructor' || seg === 'prototype') {
      throw new RangeError(`path "${path}": segment "${seg}" is not allowed`);
    }
    container[seg] = value;
  }
}

/**
 * Returns a copy of `obj` with `value` at `path`. Existing arrays stay arrays (numeric
 * segments index them); missing containers are created as plain objects. Throws when the
 * path runs through a non-container value (e.g. a number).
 */
export function setPath<T>(obj: T, path: string, value: unknown): T {
  const segs = segments(path);
  if (!isContainer(obj)) throw new RangeError(`path "${path}": the root is not an object`);
  const root = copy(obj);
  let cur: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < segs.length - 1; i++) {
    const next = child(cur, segs[i]);
    let nextCopy: Record<string, unknown> | unknown[];
    if (next === undefined) nextCopy = {};
    else if (isContainer(next)) nextCopy = copy(next);
    else throw new RangeError(`path "${path}": "${segs.slice(0, i + 1).join('.')}" is ${JSON.stringify(next)}, not an object or array`);
    assign(cur, segs[i], nextCopy, path);
    cur = nextCopy;
  }
  assign(cur, segs[segs.length - 1], value, path);
  return root as T;
}

/** Applies flat dotted params onto (a copy of) a base params object. */
export function unflatten(flat: Readonly<FlatParams>, base: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  let out: Record<string, unknown> = { ...base };
  for (const path of Object.keys(flat)) out = setPath(out, path, flat[path]);
  return out;
}

/** Reads the space's paths out of nested params (e.g. a strategy's defaults). Missing → absent. */
export function readParams(nested: unknown, space: SearchSpace): FlatParams {
  const out: FlatParams = {};
  for (const path of Object.keys(space)) {
    const v = getPath(nested, path);
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[path] = v as ParamValue;
  }
  return out;
}
