/**
 * The shape of a strategy document (YAML or JSON, already parsed): checked key by key, with
 * every problem reported as a LangError naming its path, and normalised into a StrategyDoc
 * whose expressions are still text (check.ts types them). Nothing here evaluates anything.
 */
import { DIRECTIONS, type Direction } from '../../backtest/types.js';
import { readRegimes, readRules, RULE_NAMES, STOP_KEYS } from './document-rules.js';
import { checkName, collector, exprText, FORBIDDEN_KEYS, forbidden, isObj, keysOf, kind, LANGUAGE_NAMES, type Err, type Obj } from './document-util.js';
import { suggestion, type LangError } from './errors.js';

export interface ParamDecl {
  readonly name: string;
  readonly type: 'int' | 'float' | 'bool';
  readonly default: number | boolean;
  /** Bounds of int/float params (inclusive). */
  readonly low: number;
  readonly high: number;
  readonly step?: number;
  readonly log?: boolean;
  readonly description?: string;
}

/** An expression as written, with where it was written. */
export interface Source {
  readonly path: string;
  readonly text: string;
}

export type StopKey = (typeof STOP_KEYS)[number];
export { CLASSIFIER_REGIMES, RULE_NAMES, STOP_KEYS } from './document-rules.js';

export type SizeDecl = { readonly kind: 'expr'; readonly expr: Source } | { readonly kind: 'risk_map'; readonly path: string; readonly pairs: readonly (readonly [Source, Source])[] };

export interface RuleDecl {
  readonly when: Source;
  readonly stops: Partial<Record<StopKey, Source>>;
  readonly size?: SizeDecl;
}

export type RuleName = (typeof RULE_NAMES)[number];

export interface RegimeOverride {
  readonly name: string;
  readonly path: string;
  readonly default: number | boolean;
  readonly low?: number;
  readonly high?: number;
}

export interface RegimesDecl {
  /** `classifier` (the built-in classifier's most likely regime) or ordered rules (first true wins). */
  readonly source: 'classifier' | readonly { readonly name: string; readonly when: Source }[];
  /** Parameter overrides per regime. */
  readonly sets: readonly { readonly name: string; readonly overrides: readonly RegimeOverride[] }[];
}

export interface StrategyDoc {
  readonly name: string;
  readonly description: string;
  readonly direction?: Direction;
  readonly params: readonly ParamDecl[];
  readonly indicators: readonly (Source & { readonly name: string })[];
  readonly constraints: readonly Source[];
  readonly rules: Partial<Record<RuleName, RuleDecl>>;
  readonly confidence?: Source;
  readonly size?: SizeDecl;
  readonly regimes?: RegimesDecl;
}

export const TOP_KEYS = ['name', 'description', 'direction', 'params', 'indicators', 'constraints', 'rules', 'regimes', 'regime'] as const;
const PARAM_KEYS = ['type', 'default', 'low', 'high', 'step', 'log', 'description'] as const;
const PARAM_TYPES = ['int', 'float', 'bool'] as const;
export const NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Reads a document; every problem is pushed to `errors` (the result is only meaningful when none were). */
export function readDocument(doc: unknown, errors: LangError[], nameOverride?: string): StrategyDoc {
  const err = collector(errors);
  if (!isObj(doc)) {
    err('', null, `a strategy document must be a map with keys ${TOP_KEYS.join(', ')}, got ${kind(doc)}`, { expected: [...TOP_KEYS] });
    return { name: '', description: '', params: [], indicators: [], constraints: [], rules: {} };
  }
  forbidden(doc, '', err);
  keysOf(doc, '', TOP_KEYS, err);
  const name = nameOverride ?? doc.name;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    err('name', typeof name === 'string' ? name : null, `name must be lower-case letters, digits and _ (starting with a letter, at most 64), got ${typeof name === 'string' ? JSON.stringify(name) : kind(name)}`, { expected: ['e.g. rsi_levels'] });
  }
  const description = doc.description === undefined ? '' : doc.description;
  if (typeof description !== 'string') err('description', null, `description must be text, got ${kind(description)}`);
  let direction: Direction | undefined;
  if (doc.direction !== undefined) {
    if (typeof doc.direction === 'string' && (DIRECTIONS as readonly string[]).includes(doc.direction)) direction = doc.direction as Direction;
    else err('direction', String(doc.direction), `direction must be one of ${DIRECTIONS.join(', ')}`, suggestion(String(doc.direction), DIRECTIONS));
  }
  const params = readParams(doc.params, err);
  const indicators = readNamed(doc.indicators, 'indicators', err);
  const constraints = readList(doc.constraints, 'constraints', err);
  const r = readRules(doc.rules, err);
  const regimes = readRegimes(doc.regimes, doc.regime, err);
  return {
    name: typeof name === 'string' ? name : '',
    description: typeof description === 'string' ? description : '',
    ...(direction ? { direction } : {}),
    params,
    indicators,
    constraints,
    rules: r.rules,
    ...(r.confidence ? { confidence: r.confidence } : {}),
    ...(r.size ? { size: r.size } : {}),
    ...(regimes ? { regimes } : {}),
  };
}

function readParams(v: unknown, err: Err): ParamDecl[] {
  if (v === undefined) return [];
  if (!isObj(v)) {
    err('params', null, `params must be a map of name: { type, default, low, high }, got ${kind(v)}`);
    return [];
  }
  const out: ParamDecl[] = [];
  for (const [name, d] of Object.entries(v)) {
    const path = `params.${name}`;
    // `max_hold_bars` may be declared as an int parameter: like the built-in confidence
    // strategy's, it sets the simulator's holding limit (ExecutionSpec.max_hold_bars)
    const holdingLimit = name === 'max_hold_bars' && isObj(d) && d.type === 'int';
    if (FORBIDDEN_KEYS.includes(name) || (!holdingLimit && !checkName(name, path, err, LANGUAGE_NAMES))) continue;
    if (holdingLimit && typeof d.low === 'number' && d.low < 1) {
      err(`${path}.low`, String(d.low), 'max_hold_bars is a number of bars: low must be >= 1');
      continue;
    }
    if (!isObj(d)) {
      err(path, name, `a parameter is declared as { type: int|float|bool, default, low, high }, got ${kind(d)}`, { expected: ['{ type, default, low, high }'] });
      continue;
    }
    keysOf(d, path, PARAM_KEYS, err);
    const decl = readParam(name, d, path, err);
    if (decl) out.push(decl);
  }
  return out;
}

function readParam(name: string, d: Obj, path: string, err: Err): ParamDecl | undefined {
  const type = d.type;
  if (typeof type !== 'string' || !(PARAM_TYPES as readonly string[]).includes(type)) {
    err(`${path}.type`, type === undefined ? null : String(type), `type must be one of ${PARAM_TYPES.join(', ')}`, suggestion(String(type ?? ''), PARAM_TYPES));
    return undefined;
  }
  const description = typeof d.description === 'string' ? d.description : undefined;
  if (d.description !== undefined && description === undefined) err(`${path}.description`, null, `description must be text, got ${kind(d.description)}`);
  if (type === 'bool') {
    for (const k of ['low', 'high', 'step', 'log']) if (d[k] !== undefined) err(`${path}.${k}`, k, `a bool parameter takes no ${k}`);
    if (typeof d.default !== 'boolean') {
      err(`${path}.default`, d.default === undefined ? null : String(d.default), `default of a bool parameter must be true or false, got ${kind(d.default)}`);
      return undefined;
    }
    return { name, type: 'bool', default: d.default, low: 0, high: 1, ...(description ? { description } : {}) };
  }
  const num = (k: string, required: boolean): number | undefined => {
    const x = d[k];
    if (x === undefined) {
      if (required) err(`${path}.${k}`, null, `${k} is required for ${type === 'int' ? 'an int' : 'a float'} parameter (the optimizer searches between low and high)`);
      return undefined;
    }
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      err(`${path}.${k}`, String(x), `${k} must be a finite number, got ${kind(x)}`);
      return undefined;
    }
    if (type === 'int' && k !== 'step' && !Number.isInteger(x)) {
      err(`${path}.${k}`, String(x), `${k} of an int parameter must be an integer, got ${x}`);
      return undefined;
    }
    return x;
  };
  const def = num('default', true);
  const low = num('low', true);
  const high = num('high', true);
  const step = num('step', false);
  if (d.log !== undefined && typeof d.log !== 'boolean') err(`${path}.log`, String(d.log), 'log must be true or false');
  if (def === undefined || low === undefined || high === undefined) return undefined;
  if (low > high) {
    err(`${path}.low`, String(low), `low (${low}) must be <= high (${high})`);
    return undefined;
  }
  if (def < low || def > high) {
    err(`${path}.default`, String(def), `default (${def}) must be within [low, high] = [${low}, ${high}]`, { expected: [`a number in [${low}, ${high}]`] });
    return undefined;
  }
  if (step !== undefined && !(step > 0)) err(`${path}.step`, String(step), `step must be > 0, got ${step}`);
  if (step !== undefined && type === 'int' && !Number.isInteger(step)) err(`${path}.step`, String(step), `step of an int parameter must be an integer, got ${step}`);
  if (d.log === true && !(low > 0)) err(`${path}.log`, 'log', `a log-scaled parameter needs low > 0, got ${low}`);
  return { name, type: type as 'int' | 'float', default: def, low, high, ...(step !== undefined ? { step } : {}), ...(d.log === true ? { log: true } : {}), ...(description ? { description } : {}) };
}

function readNamed(v: unknown, path: string, err: Err): (Source & { name: string })[] {
  if (v === undefined) return [];
  if (!isObj(v)) {
    err(path, null, `${path} must be a map of name: expression, got ${kind(v)}`);
    return [];
  }
  const out: (Source & { name: string })[] = [];
  for (const [name, e] of Object.entries(v)) {
    const p = `${path}.${name}`;
    if (FORBIDDEN_KEYS.includes(name) || !checkName(name, p, err, LANGUAGE_NAMES)) continue;
    const src = exprText(e, p, err, `indicator "${name}"`);
    if (src) out.push({ name, ...src });
  }
  return out;
}

function readList(v: unknown, path: string, err: Err): Source[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    err(path, null, `${path} must be a list of conditions on the parameters, e.g. [ fast < slow ], got ${kind(v)}`);
    return [];
  }
  return v.flatMap((e, i) => exprText(e, `${path}.${i}`, err, 'a constraint') ?? []);
}
