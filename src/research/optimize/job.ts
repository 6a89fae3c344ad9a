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
  z.string().min(1).max(40).describe('A metric key (e.g. sharpe, return_pct, score, brier), maximised; minimised for lower-is-better keys (brier, ece, volatility_ann_pct, commissions, drawdown durations). "-key" or "key:minimize" choose.'),
  z
    .object({
      metric: z.string().min(1).max(40).describe('Metric key, e.g. sharpe, return_pct, max_drawdown_pct, score.'),
      direction: z.enum(['maximize', 'minimize']).optional().describe('Default maximize; minimize for lower-is-better keys (brier, ece, ...).'),
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
    task_name: z.string().min(1).max(80).optional().describe('A label for this task (job files).'),
    study_name: z
      .string()
      .min(1)
      .max(120)
      .regex(/^[A-Za-z0-9._:\-]+$/)
      .optional()
      .describe('Name of the persistent study; an existing study with a matching signature is resumed. Default: derived from the job, so re-running the same job resumes it.'),
    strategy: strategyInput,
    dataset_id: z.number().int().min(1).optional().describe('Dataset id (alternative to symbol + timeframe).'),
    symbol: z.string().min(1).max(64).optional().describe('Symbol of a stored dataset.'),
    timeframe: z.string().min(1).max(8).optional().describe('Timeframe of the dataset.'),
    version: z.number().int().min(1).optional().describe('Dataset version (default latest).'),
    from: z.string().max(40).optional().describe('Start of the in-sample range (inclusive).'),
    to: z.string().max(40).optional().describe('End of the in-sample range (exclusive).'),
    space: z
      .record(z.string().max(120), spaceEntrySchema)
      .optional()
      .describe('Dotted param path → {type: float|int, low, high (inclusive), step?, log?} or {type: categorical, choices}. Default: the strategy\'s default space.'),
    fixed_params: z.record(z.string(), z.unknown()).optional().describe('Params held fixed (not searched), e.g. {"direction": "long_short"}.'),
    objective: objectiveSchema.optional().describe('One objective (default sharpe, maximize).'),
    objectives: z.array(objectiveSchema).min(1).max(4).optional().describe('Several objectives: the result is a Pareto front.'),
    constraints: z.array(z.string().min(3).max(80)).max(10).optional().describe('e.g. ["trades >= 30", "max_drawdown_pct >= -25"]; infeasible trials rank after feasible ones.'),
    sampler: samplerSchema
      .optional()
      .describe('tpe (default), random or grid; or an object {type, multivariate?, n_startup_trials?, ...}.'),
    pruner: prunerSchema
      .optional()
      .describe('none (default), median or hyperband; or an object {type, n_startup_trials?, n_warmup_steps?, ...}.'),
    checkpoints: z.number().int().min(2).max(200).optional().describe('Checkpoints of the bar range at which a trial reports its running return for pruning (default 20 = every 5 %).'),
    n_trials: z.number().int().min(1).max(100_000).optional().describe('Total trials the study should have (default 100); a resumed study runs only the remaining ones.'),
    timeout: z.number().min(1).max(86_400).optional().describe('Stop after this many seconds.'),
    n_jobs: z.number().int().min(1).max(64).optional().describe('Parallel trials in worker threads (default 1).'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional().describe('Sampler seed (default 0): same seed ⇒ same trials.'),
    execution: executionFieldsSchema
      .optional()
      .describe('Execution spec for every trial (the keys of backtest.execution).'),
    force: z.boolean().optional().describe('Resume a stored study even though its signature changed (recorded on the study).'),
    top: z.number().int().min(1).max(50).optional().describe('How many top trials to return (default 5): distinct configurations, feasible first.'),
    validate: z
      .object({
        top_k: z.number().int().min(1).max(50).describe('Re-run the top K distinct configurations on the holdout window.'),
        holdout: z
          .object({ from: z.string().max(40).describe('Holdout start (inclusive); must be at or after the in-sample end.'), to: z.string().max(40).optional().describe('Holdout end (exclusive).') })
          .strict(),
        min_sharpe: z.number().optional().describe('A validated trial needs at least this holdout Sharpe (default 0).'),
        min_trades: z.number().int().min(0).optional().describe('A validated trial needs at least this many holdout trades (default 1).'),
      })
      .strict()
      .optional()
      .describe('Explore → validate: re-run the top K trials on a later holdout window and mark which passed (only those are promotion candidates).'),
    refine: z
      .object({
        n_trials: z.number().int().min(1).max(100_000).describe('Trials of the fine (second) stage.'),
        top: z.number().int().min(1).max(50).optional().describe('Narrow the space around the best N coarse trials (default 5).'),
        factor: z.number().gt(0).max(10).optional().describe('How much margin around them, as a fraction of their spread (default 0.5).'),
        sampler: samplerSchema.optional().describe('Sampler of the fine stage (default tpe).'),
      })
      .strict()
      .optional()
      .describe('Coarse → fine: after this study, run a second study whose bounds are narrowed automatically around the best coarse trials.'),
  })
  .strict();

export type OptimizeTask = z.infer<typeof optimizeTaskSchema>;

export const jobFileSchema = z
  .object({
    strategy_optimization_tasks: z.array(optimizeTaskSchema).min(1).max(100),
  })
  .strict();
