/** Resolving a strategy name and its params (defaults filled) with field-naming errors. */
import type { StrategyDef } from '../engine/strategies/types.js';
import { UserError, didYouMean, valueAt } from './errors.js';

/** A strategy by name (built-in or stored definition): see research/strategies.ts. */
export { resolveStrategy } from './strategies.js';

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly keys?: readonly string[];
}

/** Parses params against the strategy's zod schema; errors name `params.<path>`. */
export function resolveParams(def: StrategyDef, params: unknown, field = 'params'): Record<string, unknown> {
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    throw new UserError(`${field} must be an object of ${def.name} parameters`, { field, value: params, expected: 'an object, e.g. {"fast": 10, "slow": 30}' });
  }
  const r = def.params.safeParse(params ?? {});
  if (r.success) return r.data as Record<string, unknown>;
  const issues = r.error.issues as readonly Issue[];
  const first = issues[0];
  const known = paramKeys(def);
  const msgs = issues.slice(0, 8).map((i) => {
    const path = [field, ...i.path.map(String)].join('.');
    if (i.code === 'unrecognized_keys' && i.keys) {
      return i.keys
        .map((k) => {
          const g = didYouMean(k, known);
          return `${path}.${k}: unknown parameter of ${def.name}${g ? ` (did you mean ${g}?)` : ''}`;
        })
        .join('; ');
    }
    return `${path}: ${i.message}`;
  });
  throw new UserError(`invalid ${def.name} parameters: ${msgs.join('; ')}`, {
    field: [field, ...first.path.map(String)].join('.'),
    value: valueAt(params, first.path),
    expected: `parameters of ${def.name}: ${known.join(', ')} (see list_strategies)`,
  });
}

/** Top-level parameter names of a strategy (from its defaults). */
export function paramKeys(def: StrategyDef): string[] {
  const r = def.params.safeParse({});
  return r.success && r.data && typeof r.data === 'object' ? Object.keys(r.data as object) : [];
}
