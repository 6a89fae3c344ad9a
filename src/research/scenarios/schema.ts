/**
 * Scenario files (`config/scenarios/*.yaml`): named lists of backtest specs built from
 * earlier work, each run as one batch. Kinds (exactly one per scenario):
 * - `from_study`: the top N complete trials of a stored study, re-run out of sample on
 *   another dataset and/or date range;
 * - `perturb`: a configuration (explicit params, or the current champion) against ±`by` of
 *   each numeric parameter, one at a time (a sensitivity check);
 * - `ensemble`: an equal-weight, daily-rebalanced portfolio of 2–20 members (run ids, specs,
 *   or the top N of an earlier scenario of the same file);
 * - `by_regime`: one configuration's backtest with its metrics per regime (the strategy's own
 *   regimes, or the built-in classifier's);
 * - `batch`: a plain backtest_batch spec.
 * Shared keys (`dataset`, `from`, `to`, `execution`, ranking) may be set per scenario or
 * under `defaults`; the kind's own keys win, then the scenario's, then the defaults.
 */
import { z } from 'zod';
import { executionInputSchema } from '../execution.js';
import { batchItemSchema, batchSpecSchema } from '../batch/spec.js';
import { RANK_ORDERS } from '../batch/metrics.js';

const bound = z.union([z.string().max(40), z.number()]);

export const datasetRefSchema = z
  .object({
    dataset_id: z.number().int().min(1).optional(),
    symbol: z.string().min(1).max(64).optional(),
    timeframe: z.string().min(1).max(8).optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type DatasetRefInput = z.infer<typeof datasetRefSchema>;

/** Keys every scenario (and `defaults`) may set. */
const sharedShape = {
  dataset: datasetRefSchema.optional(),
  from: bound.optional(),
  to: bound.optional(),
  execution: executionInputSchema.optional(),
  metrics: z.array(z.string().min(1).max(40)).min(1).max(16).optional(),
  rank_by: z.string().min(1).max(40).optional(),
  rank_order: z.enum(RANK_ORDERS).optional(),
  top: z.number().int().min(1).max(100).optional(),
  concurrency: z.number().int().min(1).max(64).optional(),
};

export const fromStudySchema = z
  .object({
    study: z.string().min(1).max(200),
    top: z.number().int().min(1).max(100).default(5),
    /** Needed only for studies that do not record their strategy. */
    strategy: z.string().min(1).max(64).optional(),
    dataset: datasetRefSchema.optional(),
    from: bound.optional(),
    to: bound.optional(),
    execution: executionInputSchema.optional(),
  })
  .strict();

export const championRefSchema = z.object({ symbol: z.string().min(1).max(64), timeframe: z.string().min(1).max(8) }).strict();

export const perturbSchema = z
  .object({
    strategy: z.string().min(1).max(64),
    params: z.record(z.string(), z.unknown()).optional(),
    champion: championRefSchema.optional(),
    by: z.number().gt(0).lt(1).default(0.2),
    /** Only these dotted parameter paths (default: every numeric parameter). */
    only: z.array(z.string().min(1).max(120)).min(1).max(100).optional(),
    dataset: datasetRefSchema.optional(),
    from: bound.optional(),
    to: bound.optional(),
  })
  .strict();

export const byRegimeSchema = z
  .object({
    strategy: z.string().min(1).max(64),
    params: z.record(z.string(), z.unknown()).optional(),
    champion: championRefSchema.optional(),
    /** Whose regimes: the strategy's own (default when it has them), or the built-in classifier's. */
    regimes: z.enum(['strategy', 'classifier']).optional(),
    dataset: datasetRefSchema.optional(),
    from: bound.optional(),
    to: bound.optional(),
  })
  .strict();

/** A member: a stored backtest run id, or a backtest spec (dataset and range default to the scenario's). */
export const ensembleMemberSchema = z.union([z.string().min(1).max(64), batchItemSchema]);

export const ensembleSchema = z
  .object({
    members: z.array(ensembleMemberSchema).min(2).max(20).optional(),
    from_scenario: z.string().min(1).max(80).optional(),
    top: z.number().int().min(2).max(20).default(3),
    weights: z.literal('equal').default('equal'),
  })
  .strict();

export const SCENARIO_KINDS = ['from_study', 'perturb', 'ensemble', 'by_regime', 'batch'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

export const scenarioSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(80)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._\- ]*$/, 'letters, digits, space and . _ - only'),
    description: z.string().max(500).optional(),
    ...sharedShape,
    from_study: fromStudySchema.optional(),
    perturb: perturbSchema.optional(),
    ensemble: ensembleSchema.optional(),
    by_regime: byRegimeSchema.optional(),
    batch: batchSpecSchema.optional(),
  })
  .strict();

export const scenarioFileSchema = z
  .object({
    description: z.string().max(1000).optional(),
    defaults: z.object(sharedShape).strict().optional(),
    scenarios: z.array(scenarioSchema).min(1).max(50),
  })
  .strict();

export type ScenarioInput = z.infer<typeof scenarioSchema>;
export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
export type SharedKeys = z.infer<z.ZodObject<typeof sharedShape>>;
export type FromStudyInput = z.infer<typeof fromStudySchema>;
export type PerturbInput = z.infer<typeof perturbSchema>;
export type EnsembleInput = z.infer<typeof ensembleSchema>;
export type ByRegimeInput = z.infer<typeof byRegimeSchema>;
export type EnsembleMember = z.infer<typeof ensembleMemberSchema>;

export function kindOf(s: ScenarioInput): ScenarioKind[] {
  return SCENARIO_KINDS.filter((k) => s[k] !== undefined);
}
