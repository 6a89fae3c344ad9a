/**
 * The strategy language: a YAML/JSON document (parameters, named indicator series, rules)
 * compiled to a StrategyDef that runs on the engine's column kernels. It never executes code
 * (no eval, Function or vm): expressions are parsed by the grammar in grammar.ebnf.
 * Semantics: docs/strategy-language.md.
 *
 *   const text = parseStrategyText(yamlText);            // or any parsed object
 *   const c = compileStrategy(text.doc);
 *   if (c.ok) runBacktest(candles, c.def, c.def.params.parse({}), spec);
 *   else c.errors → [{ path, line, column, token, message, expected?, did_you_mean? }]
 */
import type { z } from 'zod';
import type { Candles } from '../../data/candles.js';
import type { StrategyContext, StrategyDef } from '../types.js';
import { canonicalDoc, hashOf } from './canonical.js';
import { compileDoc } from './compile.js';
import { readDocument } from './document.js';
import type { LangError } from './errors.js';
import { decisionNodes, type Program } from './program.js';
import { defaultSpace, paramsSchema } from './schema.js';
import { newEnv } from './kernels.js';
import { buildSignals, regimeIndex, variantValues, type LangParams } from './signals.js';
import { parseStrategyText, withDocPositions } from './text.js';
import { declaredWarmup } from './warmup.js';

export type { LangError } from './errors.js';
export { formatLangError } from './errors.js';
export { parseStrategyText } from './text.js';
export type { LangParams } from './signals.js';

/** A compiled strategy: a StrategyDef like the built-ins, plus what was compiled. */
export interface LangStrategyDef extends StrategyDef<LangParams> {
  /** sha256 of the canonical document. */
  readonly hash: string;
  readonly program: Program;
  /**
   * The regime of every bar (an index into `names`, −1 = none: base parameters), or null for a
   * strategy without regimes — e.g. to report metrics per regime.
   */
  regimeOf(candles: Candles, params: LangParams, ctx?: StrategyContext): { readonly names: readonly string[]; readonly index: Int8Array } | null;
}

export type CompileResult =
  | { readonly ok: true; readonly def: LangStrategyDef; readonly hash: string; readonly canonical: Record<string, unknown>; readonly warnings: string[] }
  | { readonly ok: false; readonly errors: LangError[] };

/** Compiles a parsed strategy document (see parseStrategyText); `opts.name` overrides the document's name. */
export function compileStrategy(doc: unknown, opts: { name?: string } = {}): CompileResult {
  const errors: LangError[] = [];
  const read = readDocument(doc, errors, opts.name);
  const compiled = errors.length === 0 ? compileDoc(read, errors) : null;
  if (!compiled) return { ok: false, errors: withDocPositions(errors, doc) };
  const canonical = canonicalDoc(read, compiled.texts);
  const hash = hashOf(canonical);
  const { program, overrides } = compiled;
  const variants = (p: LangParams) => [null, ...program.overrides.keys()].map((r) => variantValues(p, r));
  const nodes = decisionNodes(program);
  const def: LangStrategyDef = {
    name: read.name,
    description: read.description || `Strategy written in the strategy language (${Object.keys(read.rules).join(', ')}).`,
    params: paramsSchema(read.name, program, overrides) as z.ZodType<LangParams>,
    defaultSpace: defaultSpace(program, overrides),
    warmup: (p) => Math.max(...variants(p).map((v) => declaredWarmup(nodes, v))),
    signals: (candles, p, ctx) => buildSignals(program, candles, p, ctx),
    regimeOf: (candles, p, ctx = {}) =>
      program.regime ? { names: program.regimeNames, index: regimeIndex(program, candles, variantValues(p, null), newEnv(candles, ctx)) } : null,
    hash,
    program,
  };
  return { ok: true, def, hash, canonical, warnings: compiled.warnings };
}

/** parseStrategyText then compileStrategy, with YAML errors and expression errors alike. */
export function compileStrategyText(text: string, opts: { name?: string } = {}): CompileResult {
  const parsed = parseStrategyText(text);
  return parsed.ok ? compileStrategy(parsed.doc, opts) : parsed;
}

