/**
 * Samplers from a serialisable config (job files, tool input, worker messages).
 * `{ type: 'tpe' }` with no other field is tradelab's default sampler (see DEFAULT_SAMPLER).
 */
import { createGridSampler, type GridSamplerConfig } from './grid.js';
import { createRandomSampler, type RandomSamplerConfig } from './random.js';
import { createTpeSampler, type TpeSamplerConfig } from './tpe.js';
import type { Sampler } from './types.js';

export type { Sampler, GridSamplerConfig, RandomSamplerConfig, TpeSamplerConfig };
export type SamplerConfig = RandomSamplerConfig | GridSamplerConfig | TpeSamplerConfig;

export const SAMPLER_TYPES = ['tpe', 'random', 'grid'] as const;

/** The default sampler of a study when none is configured. */
export const DEFAULT_SAMPLER: SamplerConfig = Object.freeze({ type: 'tpe' });

/** The option keys each sampler type accepts. */
export const SAMPLER_FIELDS: Readonly<Record<SamplerConfig['type'], readonly string[]>> = {
  random: ['type', 'seed'],
  grid: ['type', 'seed', 'float_points'],
  tpe: [
    'type',
    'seed',
    'multivariate',
    'n_startup_trials',
    'n_ei_candidates',
    'prior_weight',
    'consider_magic_clip',
    'consider_endpoints',
    'constant_liar',
    'gamma_ratio',
    'gamma_max',
    'preset',
    'bandwidth',
    'magic_clip_exponent',
    'min_bandwidth_factor',
    'weights',
    'log_pdf',
    'independent_every',
  ],
};

/** Every option key of some sampler type (each type accepts a subset; see parseSamplerConfig). */
export const SAMPLER_OPTION_KEYS: readonly string[] = [...new Set(Object.values(SAMPLER_FIELDS).flat())];

/** Sampler options that take one of these strings. */
export const SAMPLER_ENUMS: Readonly<Record<string, readonly string[] | undefined>> = {
  preset: ['tradelab', 'optuna'],
  bandwidth: ['auto', 'gaps', 'fixed', 'scott'],
  weights: ['old-decay', 'uniform'],
  log_pdf: ['exact', 'optuna-3.1'],
};
/** Sampler options that take true or false; the others take finite numbers. */
export const SAMPLER_BOOLEANS: readonly string[] = ['multivariate', 'consider_magic_clip', 'consider_endpoints', 'constant_liar'];
/** Sampler options that take non-negative integers. */
export const SAMPLER_COUNTS: readonly string[] = ['n_startup_trials', 'n_ei_candidates', 'gamma_max', 'float_points', 'independent_every'];

/** Validates an untrusted sampler config; throws naming the field and what is allowed. */
export function parseSamplerConfig(input: unknown): SamplerConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(`sampler must be an object like { type: 'tpe' }, got ${JSON.stringify(input)}`);
  }
  const o = input as Record<string, unknown>;
  const type = o.type;
  if (type !== 'tpe' && type !== 'random' && type !== 'grid') {
    throw new TypeError(`sampler.type ${JSON.stringify(type)} is not allowed; use one of ${SAMPLER_TYPES.join(', ')}`);
  }
  for (const k of Object.keys(o)) {
    if (!SAMPLER_FIELDS[type].includes(k)) throw new TypeError(`sampler.${k} is not a ${type} sampler option; allowed: ${SAMPLER_FIELDS[type].join(', ')}`);
    const v = o[k];
    if (k === 'type') continue;
    const values = SAMPLER_ENUMS[k];
    if (values) {
      if (typeof v !== 'string' || !values.includes(v)) throw new TypeError(`sampler.${k} must be one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
      continue;
    }
    const isBool = SAMPLER_BOOLEANS.includes(k);
    if (isBool ? typeof v !== 'boolean' : typeof v !== 'number' || !Number.isFinite(v)) {
      throw new TypeError(`sampler.${k} must be ${isBool ? 'true or false' : 'a finite number'}, got ${JSON.stringify(v)}`);
    }
    if (SAMPLER_COUNTS.includes(k) && (!Number.isInteger(v) || (v as number) < 0)) {
      throw new TypeError(`sampler.${k} must be a non-negative integer, got ${JSON.stringify(v)}`);
    }
  }
  return Object.freeze({ ...o }) as unknown as SamplerConfig;
}

export function createSampler(config: SamplerConfig = DEFAULT_SAMPLER): Sampler {
  switch (config.type) {
    case 'random':
      return createRandomSampler();
    case 'grid':
      return createGridSampler(config);
    case 'tpe':
      return createTpeSampler(config);
  }
}
