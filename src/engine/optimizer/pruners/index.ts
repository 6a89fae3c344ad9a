/** Pruners from a serialisable config (job files, tool input, worker messages). */
import { createHyperbandPruner, type HyperbandPrunerConfig } from './hyperband.js';
import { createPercentilePruner, type PercentilePrunerConfig } from './median.js';
import { createNopPruner, type NopPrunerConfig } from './none.js';
import type { Pruner } from './types.js';

export type { Pruner, HyperbandPrunerConfig, PercentilePrunerConfig, NopPrunerConfig };
export type PrunerConfig = NopPrunerConfig | PercentilePrunerConfig | HyperbandPrunerConfig;

export const PRUNER_TYPES = ['none', 'median', 'percentile', 'hyperband'] as const;

/** The option keys each pruner type accepts (numbers; hyperband's max_resource also "auto"). */
export const PRUNER_FIELDS: Readonly<Record<PrunerConfig['type'], readonly string[]>> = {
  none: ['type'],
  median: ['type', 'n_startup_trials', 'n_warmup_steps', 'interval_steps', 'n_min_trials'],
  percentile: ['type', 'percentile', 'n_startup_trials', 'n_warmup_steps', 'interval_steps', 'n_min_trials'],
  hyperband: ['type', 'min_resource', 'max_resource', 'reduction_factor', 'bootstrap_count'],
};

/** Every option key of some pruner type (each type accepts a subset; see parsePrunerConfig). */
export const PRUNER_OPTION_KEYS: readonly string[] = [...new Set(Object.values(PRUNER_FIELDS).flat())];

/** Validates an untrusted pruner config; throws naming the field and what is allowed. */
export function parsePrunerConfig(input: unknown): PrunerConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(`pruner must be an object like { type: 'median' }, got ${JSON.stringify(input)}`);
  }
  const o = input as Record<string, unknown>;
  const type = o.type;
  if (typeof type !== 'string' || !(PRUNER_TYPES as readonly string[]).includes(type)) {
    throw new TypeError(`pruner.type ${JSON.stringify(type)} is not allowed; use one of ${PRUNER_TYPES.join(', ')}`);
  }
  const allowed = PRUNER_FIELDS[type as PrunerConfig['type']];
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new TypeError(`pruner.${k} is not a ${type} pruner option; allowed: ${allowed.join(', ')}`);
    if (k === 'type' || (k === 'max_resource' && o[k] === 'auto')) continue;
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) throw new TypeError(`pruner.${k} must be a finite number, got ${JSON.stringify(o[k])}`);
  }
  const config = Object.freeze({ ...o }) as unknown as PrunerConfig;
  createPruner(config); // range checks
  return config;
}

export function createPruner(config: PrunerConfig = { type: 'none' }): Pruner {
  switch (config.type) {
    case 'none':
      return createNopPruner();
    case 'median':
      return createPercentilePruner({ ...config, percentile: 50 });
    case 'percentile':
      return createPercentilePruner(config);
    case 'hyperband':
      return createHyperbandPruner(config);
  }
}
