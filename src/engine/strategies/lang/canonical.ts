/**
 * The canonical form of a strategy document and its content hash. Canonical: every
 * expression re-printed from its syntax tree (single spaces, only the needed parentheses),
 * every parameter with its type, default and bounds, constants as numbers, regime rules as an
 * ordered list. It is itself a valid document that compiles to the same strategy and the same
 * hash; two documents that differ only in layout, key order or spacing share it.
 * hash = sha256 of its JSON with keys sorted at every level.
 */
import { createHash } from 'node:crypto';
import type { ParamDecl, RuleDecl, SizeDecl, Source, StrategyDoc } from './document.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function canonicalDoc(doc: StrategyDoc, texts: ReadonlyMap<string, string>): { [k: string]: Json } {
  const text = (s: Source): string => texts.get(s.path) ?? s.text;
  const value = (s: Source): Json => {
    const t = text(s);
    return /^\d+(\.\d+)?(e[+-]?\d+)?$/.test(t) && Number.isFinite(Number(t)) ? Number(t) : t;
  };
  const size = (s: SizeDecl): Json => (s.kind === 'expr' ? value(s.expr) : { risk_map: s.pairs.map(([c, f]) => [value(c), value(f)]) });
  const rule = (r: RuleDecl): Json => {
    const extra = Object.entries(r.stops).map(([k, s]) => [k, value(s!)] as const);
    if (extra.length === 0 && !r.size) return text(r.when);
    return { when: text(r.when), ...Object.fromEntries(extra), ...(r.size ? { size: size(r.size) } : {}) };
  };
  const rules: { [k: string]: Json } = {};
  for (const [k, r] of Object.entries(doc.rules)) rules[k] = rule(r!);
  if (doc.confidence) rules.confidence = text(doc.confidence);
  if (doc.size) rules.size = size(doc.size);
  const out: { [k: string]: Json } = {
    name: doc.name,
    params: Object.fromEntries(doc.params.map((d) => [d.name, param(d)])),
    rules,
  };
  if (doc.description) out.description = doc.description;
  if (doc.direction) out.direction = doc.direction;
  if (doc.indicators.length) out.indicators = Object.fromEntries(doc.indicators.map((i) => [i.name, text(i)]));
  if (doc.constraints.length) out.constraints = doc.constraints.map(text);
  if (doc.regimes) {
    const src = doc.regimes.source;
    out.regime = src === 'classifier' ? 'classifier' : src.map((r) => ({ [r.name]: text(r.when) }));
    if (doc.regimes.sets.length) {
      out.regimes = Object.fromEntries(
        doc.regimes.sets.map((s) => [
          s.name,
          Object.fromEntries(s.overrides.map((o) => [o.name, o.low === undefined && o.high === undefined ? o.default : { default: o.default, ...(o.low !== undefined ? { low: o.low } : {}), ...(o.high !== undefined ? { high: o.high } : {}) }])),
        ]),
      );
    }
  }
  return out;
}

function param(d: ParamDecl): Json {
  return {
    type: d.type,
    default: d.default,
    ...(d.type === 'bool' ? {} : { low: d.low, high: d.high }),
    ...(d.step !== undefined ? { step: d.step } : {}),
    ...(d.log ? { log: true } : {}),
    ...(d.description ? { description: d.description } : {}),
  };
}

export function sortedJson(v: Json): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

export function hashOf(canonical: Json): string {
  return createHash('sha256').update(sortedJson(canonical)).digest('hex');
}
