/** Shared checks for reading a strategy document: kinds of values, keys, names, expression text. */
import { docError, suggestion, type LangError } from './errors.js';
import { INDICATORS } from './indicators.js';
import { COLUMNS, FUNCTIONS, STATE_NAMES } from './ir.js';
import { KEYWORDS } from './lexer.js';
import type { Source } from './document.js';

/** The language's own names (columns, position state, functions): never a parameter or indicator name. */
export const LANGUAGE_NAMES: readonly string[] = [...COLUMNS, ...STATE_NAMES, ...INDICATORS.map((s) => s.name), ...Object.keys(FUNCTIONS)];
export const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];
/** Names the language gives a meaning of its own: never a parameter or indicator name. */
export const RESERVED_NAMES = ['direction', 'regimes', 'max_hold_bars'];

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a map' : `a ${typeof v}`;
}

/** Reports one problem at a document path. */
export type Err = (path: string, token: string | null, message: string, extra?: object) => void;

export function forbidden(v: unknown, path: string, err: Err): void {
  if (Array.isArray(v)) v.forEach((x, i) => forbidden(x, join(path, String(i)), err));
  else if (isObj(v)) {
    for (const k of Object.keys(v)) {
      if (FORBIDDEN_KEYS.includes(k)) err(join(path, k), k, `the key "${k}" is not allowed anywhere in a strategy document`);
      else forbidden(v[k], join(path, k), err);
    }
  }
}

export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function keysOf(o: Obj, path: string, known: readonly string[], err: Err): void {
  for (const k of Object.keys(o)) {
    if (known.includes(k) || FORBIDDEN_KEYS.includes(k)) continue;
    const s = suggestion(k, known);
    const dym = s.did_you_mean !== undefined ? `; did you mean "${s.did_you_mean}"?` : '';
    err(join(path, k), k, `unknown key "${k}"${dym}; accepted keys${path ? ` in ${path}` : ''}: ${known.join(', ')}`, s);
  }
}

/** A name a document may give to a parameter, indicator or regime. */
export function checkName(name: string, path: string, err: Err, taken: readonly string[]): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    err(path, name, `"${name}" is not a valid name: use letters, digits and _, starting with a letter`);
    return false;
  }
  if ((KEYWORDS as readonly string[]).includes(name) || RESERVED_NAMES.includes(name) || taken.includes(name)) {
    err(path, name, `"${name}" is already a name of the language (${RESERVED_NAMES.includes(name) ? 'reserved' : 'a keyword, column, function or position value'}); choose another name`);
    return false;
  }
  return true;
}

/** Expression text from a YAML value: strings as written, numbers and booleans as their text. */
export function exprText(v: unknown, path: string, err: Err, what: string): Source | undefined {
  if (typeof v === 'string') return { path, text: v };
  if (typeof v === 'number' && Number.isFinite(v)) return { path, text: String(v) };
  if (typeof v === 'boolean') return { path, text: String(v) };
  err(path, null, `${what} must be an expression (text such as "rsi(close, 14) < 30"), got ${kind(v)}`, { expected: ['an expression'] });
  return undefined;
}

/** An Err that appends document errors to `errors`. */
export function collector(errors: LangError[]): Err {
  return (path, token, message, extra = {}) => errors.push(docError(path, token, message, extra));
}
