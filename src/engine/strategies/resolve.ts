/**
 * A strategy for a unit of work: a built-in by name, or a strategy-language definition
 * carried with the task as its canonical document (JSON text), compiled once per thread and
 * kept by its text (worker threads have no store to look names up in).
 */
import { compileStrategy } from './lang/index.js';
import { getStrategy, type AnyStrategyDef } from './registry.js';

const compiled = new Map<string, AnyStrategyDef>();
const MAX_COMPILED = 64;

export function strategyForTask(name: string, definition?: string): AnyStrategyDef {
  if (definition === undefined) return getStrategy(name);
  let def = compiled.get(definition);
  if (def === undefined) {
    const r = compileStrategy(JSON.parse(definition) as unknown);
    if (!r.ok) throw new Error(`the definition of strategy ${JSON.stringify(name)} does not compile: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    def = r.def as unknown as AnyStrategyDef;
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(definition, def);
  }
  return def;
}
