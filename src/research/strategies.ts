/**
 * Strategies by name or by document: a built-in, a stored strategy-language definition (its
 * newest version, or the exact one a run recorded by hash), or an inline document (compute
 * tier, not stored). A language strategy carries its definition (name, version, hash and
 * canonical document), which fingerprints, the trial ledger, worker tasks and champions use,
 * so a changed definition is never mistaken for the one a result came from.
 */
import { z } from 'zod';
import { compileStrategy, formatLangError, type LangError } from '../engine/strategies/lang/index.js';
import { getStrategy, hasStrategy, listStrategies, strategyNames } from '../engine/strategies/registry.js';
import type { StrategyDef } from '../engine/strategies/types.js';
import type { Db } from '../storage/db.js';
import { definitionByHash, getDefinition, latestDefinitions, type DefinitionRow } from '../storage/strategy-definitions.js';
import { UserError, didYouMean } from './errors.js';
import { documented, listedAs } from './listing.js';

/** A `strategy` input: a name (built-in or stored definition), or an inline document (not stored). */
export const strategyInput = documented(
  listedAs(z.union([z.string().min(1).max(64), z.record(z.string(), z.unknown())]), { type: ['string', 'object'] }).describe('Name or inline document.'),
  'A built-in or stored strategy by name (list_strategies; a stored one in its newest version), or a strategy-language document given inline (compute tier; compiled and used, not stored; define_strategy stores one).',
);

/** The name a `strategy` input goes by (an inline document's own name). */
export function strategyInputName(input: unknown): string {
  if (typeof input === 'string') return input;
  const n = input !== null && typeof input === 'object' ? (input as { name?: unknown }).name : undefined;
  return typeof n === 'string' ? n : '(inline)';
}

/** Which definition a language strategy is: stored (name, version, hash) or inline (version null). */
export interface DefinitionRef {
  readonly name: string;
  readonly version: number | null;
  readonly hash: string;
}

interface Definition extends DefinitionRef {
  /** The canonical document, JSON text (what worker threads compile). */
  readonly canonical: string;
}

/** A strategy-language document that does not compile: every error, each with where and why. */
export class StrategyDefinitionError extends UserError {
  constructor(
    readonly errors: readonly LangError[],
    field: string,
  ) {
    super(`the strategy definition has ${errors.length} error(s): ${errors.slice(0, 10).map(formatLangError).join(' | ')}${errors.length > 10 ? ` | … ${errors.length - 10} more` : ''}`, {
      field,
      hint: 'fix each error at the line and column given (the path names the part of the document) and try again; define_strategy with dry_run: true checks without storing',
    });
  }
}

const definitions = new WeakMap<StrategyDef, Definition>();
const compiled = new Map<string, StrategyDef>();
const MAX_COMPILED = 128;

/** Compiles a canonical document once per (document, version) and remembers which definition it is. */
function fromCanonical(canonical: string, version: number | null, field: string): StrategyDef {
  const key = `${version ?? 'inline'}\u0000${canonical}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const r = compileStrategy(JSON.parse(canonical) as unknown);
  if (!r.ok) throw new StrategyDefinitionError(r.errors, field);
  const def = r.def as unknown as StrategyDef;
  definitions.set(def, { name: def.name, version, hash: r.hash, canonical: JSON.stringify(r.canonical) });
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, def);
  return def;
}

function fromRow(row: DefinitionRow, field: string): StrategyDef {
  return fromCanonical(row.document, row.version, field);
}

/** The definition of a language strategy (undefined for a built-in). */
export function definitionOf(def: StrategyDef): (DefinitionRef & { readonly canonical: string }) | undefined {
  return definitions.get(def);
}

/** {name, version, hash} of a language strategy, for run specs, champions and results (null for a built-in). */
export function definitionRef(def: StrategyDef): DefinitionRef | null {
  const d = definitions.get(def);
  return d ? { name: d.name, version: d.version, hash: d.hash } : null;
}

/**
 * The strategy's identity in fingerprints and the trial ledger: the name of a built-in, or
 * `name@<hash prefix>` of a language strategy, so another version is another configuration.
 */
export function strategyKey(def: StrategyDef | string): string {
  if (typeof def === 'string') return def;
  const d = definitions.get(def);
  return d ? `${def.name}@${d.hash.slice(0, 16)}` : def.name;
}

/** The canonical document a worker task carries for a language strategy (undefined for a built-in). */
export function taskDefinition(def: StrategyDef): string | undefined {
  return definitions.get(def)?.canonical;
}

/** Every strategy: the built-ins, then the newest version of each stored definition. */
export function allStrategies(db: Db): StrategyDef[] {
  return [...listStrategies(), ...latestDefinitions(db).map((d) => resolveStrategy(d.name, db))];
}

/** Names a `strategy` field may take: the built-ins and the stored definitions. */
export function knownStrategyNames(db?: Db): string[] {
  const user = db ? latestDefinitions(db).map((d) => d.name) : [];
  return [...strategyNames(), ...user.filter((n) => !hasStrategy(n))].sort();
}

export interface ResolveOptions {
  /** The exact stored definition a run recorded (by hash): never a newer version. */
  readonly hash?: string;
  readonly field?: string;
}

/** A strategy by name: a built-in, else the newest (or the recorded) stored definition. */
export function resolveStrategy(name: string, db?: Db, opts: ResolveOptions = {}): StrategyDef {
  const field = opts.field ?? 'strategy';
  if (opts.hash === undefined && hasStrategy(name)) return getStrategy(name);
  if (db) {
    if (opts.hash !== undefined) {
      const row = definitionByHash(db, opts.hash);
      if (row) return fromRow(row, field);
      throw new UserError(`strategy ${JSON.stringify(name)}: the definition with hash ${opts.hash.slice(0, 16)}… this result used is not stored`, { field, value: name });
    }
    const row = getDefinition(db, name);
    if (row) return fromRow(row, field);
  }
  const known = knownStrategyNames(db);
  const guess = didYouMean(name, known);
  throw new UserError(`unknown strategy ${JSON.stringify(name)}`, {
    field,
    value: name,
    expected: `one of ${known.join(', ')}${db ? '' : ' (stored definitions are not looked up here)'}`,
    hint: guess ? `did you mean ${guess}?` : 'call list_strategies for their parameters, or define_strategy to write one',
  });
}

/** An inline strategy-language document (compute tier): compiled, not stored. */
export function inlineStrategy(doc: unknown, field = 'strategy'): StrategyDef {
  const r = compileStrategy(doc);
  if (!r.ok) throw new StrategyDefinitionError(r.errors, field);
  return fromCanonical(JSON.stringify(r.canonical), null, field);
}

/** A `strategy` input: a name, or an inline document object. */
export function resolveStrategyInput(input: unknown, db?: Db, field = 'strategy'): StrategyDef {
  if (typeof input === 'string') return resolveStrategy(input, db, { field });
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) return inlineStrategy(input, field);
  throw new UserError(`${field} must be a strategy name or a strategy-language document (an object)`, { field, value: input, expected: 'e.g. "sma_cross", or {name, params, rules: {long_entry: …}}' });
}

/** A backtest request's strategy fields for exactly this strategy (a language one by its definition). */
export function strategyRequest(def: StrategyDef): { strategy: string } & Record<string, unknown> {
  return { strategy: def.name, ...strategySpec(def) };
}

/** What a stored run's spec records about its strategy (see `strategySpec`). */
export interface RecordedStrategy {
  readonly strategy?: unknown;
  readonly strategy_definition?: unknown;
  readonly strategy_document?: unknown;
}

/** The spec fields that let a run's strategy be re-resolved exactly later. */
export function strategySpec(def: StrategyDef): Record<string, unknown> {
  const d = definitions.get(def);
  if (!d) return {};
  return d.version === null ? { strategy_definition: { name: d.name, version: null, hash: d.hash }, strategy_document: d.canonical } : { strategy_definition: { name: d.name, version: d.version, hash: d.hash } };
}

/** The strategy a stored run used: the recorded definition (stored by hash, or inline), else by name. */
export function recordedStrategy(spec: RecordedStrategy, fallbackName: string | null, db: Db, field = 'run'): StrategyDef {
  const name = typeof spec.strategy === 'string' ? spec.strategy : (fallbackName ?? '');
  if (typeof spec.strategy_document === 'string') return fromCanonical(spec.strategy_document, null, field);
  const ref = spec.strategy_definition as { hash?: unknown } | undefined;
  if (ref && typeof ref.hash === 'string') return resolveStrategy(name, db, { hash: ref.hash, field });
  return resolveStrategy(name, db, { field });
}
