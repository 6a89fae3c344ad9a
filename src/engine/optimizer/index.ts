/** The optimizer's public API (Optuna's model: spaces, samplers, pruners, studies over a store port). */
export * from './space.js';
export * from './trial.js';
export * from './objectives.js';
export * from './pareto.js';
export * from './store.js';
export * from './study.js';
export * from './optimize.js';
export * from './results.js';
export { parameterImportance, type ImportanceOptions } from './importance.js';
export { createSampler, parseSamplerConfig, DEFAULT_SAMPLER, SAMPLER_TYPES, type Sampler, type SamplerConfig } from './samplers/index.js';
export { TPE_DEFAULTS, OPTUNA_TPE, type TpeSamplerConfig } from './samplers/tpe.js';
export { createPruner, parsePrunerConfig, PRUNER_TYPES, type Pruner, type PrunerConfig } from './pruners/index.js';
