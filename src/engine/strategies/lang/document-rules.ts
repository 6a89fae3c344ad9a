/** Reading the rules and regimes of a strategy document (document.ts reads the rest). */
import { checkName, exprText, FORBIDDEN_KEYS, isObj, join, keysOf, kind, type Err, type Obj } from './document-util.js';
import { suggestion } from './errors.js';
import type { RegimeOverride, RegimesDecl, RuleDecl, RuleName, SizeDecl, Source, StopKey } from './document.js';

export const RULE_NAMES = ['long_entry', 'long_exit', 'short_entry', 'short_exit'] as const;
export const STOP_KEYS = ['stop_loss', 'take_profit', 'trailing_stop'] as const;
export const CLASSIFIER_REGIMES = ['trend', 'range', 'balanced'] as const;
const RULE_KEYS = [...RULE_NAMES, 'confidence', 'size'] as const;

export function readRules(v: unknown, err: Err): { rules: Partial<Record<RuleName, RuleDecl>>; confidence?: Source; size?: SizeDecl } {
  const rules: Partial<Record<RuleName, RuleDecl>> = {};
  if (!isObj(v)) {
    err('rules', null, `rules must be a map with at least long_entry or short_entry, got ${kind(v)}`, { expected: [...RULE_KEYS] });
    return { rules };
  }
  keysOf(v, 'rules', RULE_KEYS, err);
  for (const name of RULE_NAMES) {
    if (v[name] === undefined) continue;
    const r = readRule(v[name], `rules.${name}`, name.endsWith('_entry'), err);
    if (r) rules[name] = r;
  }
  if (v.long_entry === undefined && v.short_entry === undefined) err('rules', null, 'rules need long_entry or short_entry (or both)', { expected: ['long_entry', 'short_entry'] });
  if (v.long_exit !== undefined && v.long_entry === undefined) err('rules.long_exit', 'long_exit', 'long_exit without long_entry: no long position is ever opened');
  if (v.short_exit !== undefined && v.short_entry === undefined) err('rules.short_exit', 'short_exit', 'short_exit without short_entry: no short position is ever opened');
  const confidence = v.confidence === undefined ? undefined : exprText(v.confidence, 'rules.confidence', err, 'confidence');
  const size = v.size === undefined ? undefined : readSize(v.size, 'rules.size', err);
  return { rules, ...(confidence ? { confidence } : {}), ...(size ? { size } : {}) };
}

function readRule(v: unknown, path: string, entry: boolean, err: Err): RuleDecl | undefined {
  if (!isObj(v)) {
    const when = exprText(v, path, err, 'a rule');
    return when ? { when, stops: {} } : undefined;
  }
  const keys = entry ? ['when', ...STOP_KEYS, 'size'] : ['when'];
  keysOf(v, path, keys, err);
  const when = v.when === undefined ? (err(`${path}.when`, null, 'a rule written as a map needs "when: <condition>"'), undefined) : exprText(v.when, `${path}.when`, err, 'when');
  const stops: Partial<Record<StopKey, Source>> = {};
  for (const k of STOP_KEYS) {
    if (v[k] === undefined) continue;
    const s = exprText(v[k], `${path}.${k}`, err, k);
    if (s) stops[k] = s;
  }
  const size = v.size === undefined ? undefined : readSize(v.size, `${path}.size`, err);
  return when ? { when, stops, ...(size ? { size } : {}) } : undefined;
}

function readSize(v: unknown, path: string, err: Err): SizeDecl | undefined {
  if (!isObj(v)) {
    const expr = exprText(v, path, err, 'size');
    return expr ? { kind: 'expr', expr } : undefined;
  }
  keysOf(v, path, ['risk_map'], err);
  const map = v.risk_map;
  if (!Array.isArray(map) || map.length === 0 || map.length > 32) {
    err(`${path}.risk_map`, null, 'risk_map must be a list of 1 to 32 [confidence, fraction] pairs, e.g. [[0.6, 0.5], [0.8, 1]]');
    return undefined;
  }
  const pairs: [Source, Source][] = [];
  map.forEach((pair, i) => {
    const p = `${path}.risk_map.${i}`;
    if (!Array.isArray(pair) || pair.length !== 2) {
      err(p, null, `each risk_map entry must be a [confidence, fraction] pair, got ${kind(pair)}`);
      return;
    }
    const c = exprText(pair[0], `${p}.0`, err, 'a risk_map confidence');
    const f = exprText(pair[1], `${p}.1`, err, 'a risk_map fraction');
    if (c && f) pairs.push([c, f]);
  });
  return { kind: 'risk_map', path: `${path}.risk_map`, pairs };
}

export function readRegimes(sets: unknown, source: unknown, err: Err): RegimesDecl | undefined {
  if (sets === undefined && source === undefined) return undefined;
  let src: RegimesDecl['source'] = 'classifier';
  let names: readonly string[] = CLASSIFIER_REGIMES;
  if (source !== undefined && source !== 'classifier') {
    // an ordered list of one-entry maps (the canonical form) reads like the map it lists
    if (Array.isArray(source) && source.every((x) => isObj(x) && Object.keys(x).length === 1)) source = Object.assign({}, ...source) as Obj;
    if (!isObj(source) || Object.keys(source).length === 0) {
      err('regime', typeof source === 'string' ? source : null, 'regime must be "classifier" or a map of regime name: condition (the first that holds is the regime)', { expected: ['classifier', '{ name: condition, … }'] });
      return undefined;
    }
    const rules: { name: string; when: Source }[] = [];
    for (const [name, e] of Object.entries(source)) {
      if (FORBIDDEN_KEYS.includes(name) || !checkName(name, `regime.${name}`, err, [])) continue;
      const when = exprText(e, `regime.${name}`, err, `the condition of regime "${name}"`);
      if (when) rules.push({ name, when });
    }
    src = rules;
    names = rules.map((r) => r.name);
  }
  if (sets === undefined) return { source: src, sets: [] };
  if (!isObj(sets)) {
    err('regimes', null, `regimes must be a map of regime name: { param: value, … }, got ${kind(sets)}`, { expected: [...names] });
    return undefined;
  }
  const out: { name: string; overrides: RegimeOverride[] }[] = [];
  for (const [name, o] of Object.entries(sets)) {
    const path = `regimes.${name}`;
    if (!names.includes(name)) {
      const s = suggestion(name, names);
      err(path, name, `unknown regime "${name}"${s.did_you_mean !== undefined ? `; did you mean "${s.did_you_mean}"?` : ''} (regimes: ${names.join(', ')})`, s);
      continue;
    }
    if (o === null || o === undefined) {
      out.push({ name, overrides: [] });
      continue;
    }
    if (!isObj(o)) {
      err(path, null, `a regime's parameter set is a map of param: value, got ${kind(o)}`);
      continue;
    }
    const overrides: RegimeOverride[] = [];
    for (const [param, val] of Object.entries(o)) {
      const p = `${path}.${param}`;
      if (typeof val === 'number' || typeof val === 'boolean') overrides.push({ name: param, path: p, default: val });
      else if (isObj(val)) {
        keysOf(val, p, ['default', 'low', 'high'], err);
        const d = val.default;
        if (typeof d !== 'number' && typeof d !== 'boolean') err(`${p}.default`, null, 'a regime override needs a default value');
        else overrides.push({ name: param, path: p, default: d, ...(typeof val.low === 'number' ? { low: val.low } : {}), ...(typeof val.high === 'number' ? { high: val.high } : {}) });
      } else err(p, null, `a regime override is a value or { default, low, high }, got ${kind(val)}`);
    }
    out.push({ name, overrides });
  }
  return { source: src, sets: out };
}
