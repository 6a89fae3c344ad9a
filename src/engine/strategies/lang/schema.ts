/**
 * The params schema and default search space of a compiled strategy, from its declarations:
 * each int/float parameter is bounded by its low/high and defaults to its default; bool
 * parameters are true/false; `direction` takes the directions the rules allow; a regime
 * override is the parameter `regimes.<regime>.<name>` with the base bounds (or its own).
 * Constraints are checked for the base set and for every regime's set.
 */
import { z } from 'zod';
import type { Direction } from '../../backtest/types.js';
import type { ParamSpec, SearchSpace } from '../../optimizer/space.types.js';
import { intParam, issue, numParam, show, strictParams } from '../params.js';
import type { ParamDecl, RegimeOverride } from './document.js';
import { scalarOf } from './kernels.js';
import { walk, type Node } from './ir.js';
import type { Program } from './program.js';
import { variantValues, type LangParams } from './signals.js';

/** The bounds of a regime override: its own where given, else the base parameter's. */
export function overrideDecl(base: ParamDecl, o: RegimeOverride): ParamDecl {
  return { ...base, default: o.default, low: o.low ?? base.low, high: o.high ?? base.high };
}

function field(d: ParamDecl, path: string) {
  const description = d.description ?? `${d.type}${d.type === 'bool' ? '' : ` in [${d.low}, ${d.high}]`}`;
  if (d.type === 'bool') {
    return z.boolean({ error: (iss) => `${path} must be true or false, got ${show(iss.input)}` }).default(d.default as boolean).describe(description);
  }
  const o = { default: d.default as number, min: d.low, max: d.high, description };
  return d.type === 'int' ? intParam(path, o) : numParam(path, o);
}

export function paramsSchema(name: string, prog: Program, overrides: ReadonlyMap<string, readonly RegimeOverride[]>): z.ZodType<LangParams> {
  const byName = new Map(prog.params.map((d) => [d.name, d]));
  const shape: Record<string, z.ZodType> = {};
  for (const d of prog.params) shape[d.name] = field(d, d.name);
  shape.direction = z
    .enum(prog.directions as [Direction, ...Direction[]], { error: (iss) => `direction must be one of ${prog.directions.join(', ')} (the sides this strategy has rules for), got ${show(iss.input)}` })
    .default(prog.defaultDirection)
    .describe(`Sides traded, among those with rules: ${prog.directions.join(', ')}.`);
  if (overrides.size > 0) {
    const regimes: Record<string, z.ZodType> = {};
    const defaults: Record<string, Record<string, unknown>> = {};
    for (const [regime, list] of overrides) {
      const inner: Record<string, z.ZodType> = {};
      defaults[regime] = {};
      for (const o of list) {
        inner[o.name] = field(overrideDecl(byName.get(o.name)!, o), `regimes.${regime}.${o.name}`);
        defaults[regime][o.name] = o.default;
      }
      regimes[regime] = strictParams(`regimes.${regime}`, inner).default(() => structuredClone(defaults[regime]) as never);
    }
    shape.regimes = strictParams('regimes', regimes).default(() => structuredClone(defaults) as never).describe('Parameter values per regime (the others keep the base values).');
  }
  return strictParams(`${name} params`, shape).superRefine((p, ctx) => {
    for (const regime of [null, ...overrides.keys()]) {
      const v = variantValues(p as LangParams, regime);
      const mine = regime === null ? [] : overrides.get(regime)!.map((o) => o.name);
      if (regime !== null && mine.length === 0) continue;
      for (const c of prog.constraints) {
        if (scalarOf(c.node, v)) continue;
        const used = paramsIn(c.node);
        const where = used.find((k) => mine.includes(k));
        const values = used.map((k) => `${k} = ${v[k]}`).join(', ');
        issue(ctx, where !== undefined ? ['regimes', regime!, where] : [used[0] ?? ''], `constraint "${c.text}" does not hold${regime !== null ? ` in regime ${regime}` : ''}: ${values}`);
      }
    }
  }) as unknown as z.ZodType<LangParams>;
}

/** Parameter names a constant expression reads, in order of appearance. */
export function paramsIn(n: Node): string[] {
  const out: string[] = [];
  walk(n, (x) => {
    if (x.op === 'param' && !out.includes(x.name!)) out.push(x.name!);
  });
  return out;
}

function spaceEntry(d: ParamDecl): ParamSpec | null {
  if (d.type === 'bool') return { type: 'categorical', choices: [false, true] };
  if (d.low === d.high) return null;
  return { type: d.type, low: d.low, high: d.high, ...(d.step !== undefined ? { step: d.step } : {}), ...(d.log ? { log: true } : {}) };
}

/** Every declared parameter with a range (low < high), and every regime override, by dotted path. */
export function defaultSpace(prog: Program, overrides: ReadonlyMap<string, readonly RegimeOverride[]>): SearchSpace {
  const byName = new Map(prog.params.map((d) => [d.name, d]));
  const space: Record<string, ParamSpec> = {};
  for (const d of prog.params) {
    const e = spaceEntry(d);
    if (e) space[d.name] = e;
  }
  for (const [regime, list] of overrides) {
    for (const o of list) {
      const e = spaceEntry(overrideDecl(byName.get(o.name)!, o));
      if (e) space[`regimes.${regime}.${o.name}`] = e;
    }
  }
  return Object.freeze(space);
}

