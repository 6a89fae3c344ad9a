/**
 * One optimisation task as accepted from users (the `optimize` tool's input and each entry
 * of a job file's `strategy_optimization_tasks`), validated once with zod.
 */
import { strategyInput } from '../strategies.js';
import { z } from 'zod';
import { PRUNER_OPTION_KEYS, PRUNER_TYPES } from '../../engine/optimizer/pruners/index.js';
import { SAMPLER_OPTION_KEYS, SAMPLER_TYPES } from '../../engine/optimizer/samplers/index.js';
import { executionFieldsSchema } from '../execution.js';

const objectiveSchema = z.union([
  z.string().min(1).max(40).describe('Metric key; "-key" or "key:minimize" to minimise (default by metric).'),
  z
    .object({
      metric: z.string().min(1).max(40).describe('Metric key.'),
      direction: z.enum(['maximize', 'minimize']).optional().describe('Default by metric.'),
    })
    .strict(),
]);


/** A strict object of `type` plus every option key of some type (the engine checks which type takes which). */
function configObject(types: readonly [string, ...string[]], keys: readonly string[]) {
  const options: Record<string, z.ZodOptional<z.ZodUnknown>> = {};
  for (const k of keys) if (k !== 'type') options[k] = z.unknown().optional();
  return z.strictObject({ type: z.enum(types), ...options });
}

const samplerSchema = z.union([z.enum(['tpe', 'random', 'grid']), configObject(SAMPLER_TYPES, SAMPLER_OPTION_KEYS)]);
const prunerSchema = z.union([z.enum(['none', 'median', 'hyperband']), configObject(PRUNER_TYPES, PRUNER_OPTION_KEYS)]);

/** One search-space entry; which keys go with which type is checked by the engine (validateSpace). */
const spaceEntrySchema = z.strictObject({
  type: z.enum(['float', 'int', 'categorical']),
  low: z.number().optional(),
  high: z.number().optional(),
  step: z.number().optional(),
  log: z.boolean().optional(),
  choices: z.array(z.unknown()).optional(),
});

export const optimizeTaskSchema = z
  .object({
    task_name: z.string().min(1).max(80).optional().describe('Task label (job files).'),
    study_name: z
      .string()
      .min(1)
      .max(120)
      .regex(/^[A-Za-z0-9._:\-]+$/)
      .optional()
      .describe('Study name, resumed if its signature matches; default derived from the job.'),
    strategy: strategyInput,
    dataset_id: z.number().int().min(1).optional().describe('Or symbol + timeframe.'),
    symbol: z.string().min(1).max(64).optional().describe('Dataset symbol.'),
    timeframe: z.string().min(1).max(8).optional().describe('Dataset timeframe.'),
    version: z.number().int().min(1).optional().describe('Dataset version (default latest).'),
    from: z.string().max(40).optional().describe('In-sample start (inclusive).'),
    to: z.string().max(40).optional().describe('In-sample end (exclusive).'),
    space: z
      .record(z.string().max(120), spaceEntrySchema)
      .optional()
      .describe('Dotted param path → float/int range (high inclusive) or categorical choices. Default: the strategy\'s.'),
    fixed_params: z.record(z.string(), z.unknown()).optional().describe('Held fixed, not searched.'),
    objective: objectiveSchema.optional().describe('Default sharpe.'),
    objectives: z.array(objectiveSchema).min(1).max(4).optional().describe('Several → Pareto front.'),
    constraints: z.array(z.string().min(3).max(80)).max(10).optional().describe('"metric >= n" or "metric <= n"; infeasible trials rank last.'),
    sampler: samplerSchema
      .optional()
      .describe('Default tpe; or {type, ...options}.'),
    pruner: prunerSchema
      .optional()
      .describe('Default none; or {type, ...options}.'),
    checkpoints: z.number().int().min(2).max(200).optional().describe('Pruning checkpoints per trial (default 20).'),
    n_trials: z.number().int().min(1).max(100_000).optional().describe('Study total (default 100); a resumed study runs the rest.'),
    timeout: z.number().min(1).max(86_400).optional().describe('Stop after this many seconds.'),
    n_jobs: z.number().int().min(1).max(64).optional().describe('Parallel trials (default 1).'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional().describe('Sampler seed (default 0).'),
    execution: executionFieldsSchema
      .optional()
      .describe('As backtest execution.'),
    force: z.boolean().optional().describe('Resume a study whose signature changed (recorded).'),
    top: z.number().int().min(1).max(50).optional().describe('Top trials returned (default 5; distinct, feasible first).'),
    validate: z
      .object({
        top_k: z.number().int().min(1).max(50).describe('Distinct top configurations to re-run.'),
        holdout: z
          .object({ from: z.string().max(40).describe('Holdout start (inclusive), >= in-sample end.'), to: z.string().max(40).optional().describe('Holdout end (exclusive).') })
          .strict(),
        min_sharpe: z.number().optional().describe('Min holdout Sharpe to pass (default 0).'),
        min_trades: z.number().int().min(0).optional().describe('Min holdout trades to pass (default 1).'),
      })
      .strict()
      .optional()
      .describe('Re-run top trials on a later holdout; only passing ones can be promoted.'),
    refine: z
      .object({
        n_trials: z.number().int().min(1).max(100_000).describe('Fine-stage trials.'),
        top: z.number().int().min(1).max(50).optional().describe('Best coarse trials to narrow around (default 5).'),
        factor: z.number().gt(0).max(10).optional().describe('Margin, fraction of their spread (default 0.5).'),
        sampler: samplerSchema.optional().describe('Fine-stage sampler (default tpe).'),
      })
      .strict()
      .optional()
      .describe('Coarse → fine: then a second study narrowed around the best trials.'),
  })
  .strict();

export type OptimizeTask = z.infer<typeof optimizeTaskSchema>;

export const jobFileSchema = z
  .object({
    strategy_optimization_tasks: z.array(optimizeTaskSchema).min(1).max(100),
  })
  .strict();
