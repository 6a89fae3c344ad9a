/**
 * One optimisation task as accepted from users (the `optimize` tool's input and each entry
 * of a job file's `strategy_optimization_tasks`), validated once with zod.
 */
import { strategyInput } from '../strategies.js';
import { z } from 'zod';
import { PRUNER_FIELDS, PRUNER_OPTION_KEYS, PRUNER_TYPES } from '../../engine/optimizer/pruners/index.js';
import { SAMPLER_BOOLEANS, SAMPLER_COUNTS, SAMPLER_ENUMS, SAMPLER_FIELDS, SAMPLER_OPTION_KEYS, SAMPLER_TYPES } from '../../engine/optimizer/samplers/index.js';
import { executionFieldsSchema } from '../execution.js';
import { defaultsTo, documented, listedAs } from '../listing.js';

/** A metric key, or {metric, direction}; listed briefly (the docs show both forms). */
const objectiveSchema = listedAs(
  z.union([
    z.string().min(1).max(40).describe('Metric key; "-key" or "key:minimize" to minimise (default by metric).'),
    z
      .object({
        metric: z.string().min(1).max(40).describe('Metric key.'),
        direction: z.enum(['maximize', 'minimize']).optional().describe('Default by metric.'),
      })
      .strict(),
  ]),
  { type: ['string', 'object'] },
);

/** A strict object of `type` plus every option key of some type (the engine checks which type takes which). */
function configObject(types: readonly [string, ...string[]], keys: readonly string[]) {
  const options: Record<string, z.ZodOptional<z.ZodUnknown>> = {};
  for (const k of keys) if (k !== 'type') options[k] = z.unknown().optional();
  return z.strictObject({ type: z.enum(types), ...options });
}

const optionsByType = (fields: Readonly<Record<string, readonly string[]>>): string =>
  Object.entries(fields)
    .map(([type, keys]) => `${type}: ${keys.filter((k) => k !== 'type').join(', ') || '(none)'}`)
    .join('; ');

const SAMPLER_DOC =
  `A name (default tpe) or {type, ...options}. Options by type: ${optionsByType(SAMPLER_FIELDS)}. ` +
  `${Object.entries(SAMPLER_ENUMS)
    .map(([k, v]) => `${k}: ${(v ?? []).join(' | ')}`)
    .join('; ')}; ${SAMPLER_BOOLEANS.join(', ')}: true or false; ${SAMPLER_COUNTS.join(', ')}: non-negative integers; the others finite numbers. ` +
  'tpe is the Tree-structured Parzen Estimator (preset tradelab or optuna); grid walks the space exhaustively (float_points per float range without a step); random samples uniformly.';

const PRUNER_DOC =
  `A name (default none) or {type, ...options}. Options by type (numbers; max_resource also "auto"): ${optionsByType(PRUNER_FIELDS)}. ` +
  'Pruning compares trials at fixed checkpoints of the bar range (`checkpoints`): median waits for 5 complete trials and the first quarter of the checkpoints.';

const samplerSchema = documented(
  listedAs(z.union([z.enum(['tpe', 'random', 'grid']), configObject(SAMPLER_TYPES, SAMPLER_OPTION_KEYS)]), { anyOf: [{ type: 'string', enum: ['tpe', 'random', 'grid'] }, { type: 'object' }] }),
  SAMPLER_DOC,
);
const prunerSchema = documented(
  listedAs(z.union([z.enum(['none', 'median', 'hyperband']), configObject(PRUNER_TYPES, PRUNER_OPTION_KEYS)]), { anyOf: [{ type: 'string', enum: ['none', 'median', 'hyperband'] }, { type: 'object' }] }),
  PRUNER_DOC,
);

/** One search-space entry; which keys go with which type is checked by the engine (validateSpace). */
const spaceEntrySchema = z.strictObject({
  type: z.enum(['float', 'int', 'categorical']),
  low: z.number().optional(),
  high: z.number().optional(),
  step: z.number().optional(),
  log: z.boolean().optional(),
  choices: z.array(z.unknown()).optional(),
});

const SPACE_DOC =
  'Keys are dotted paths into the params (e.g. `thresholds.entry_conf_overall`, `risk_map.1.1`). ' +
  '`{type: int|float, low, high, step?, log?}` searches a range (high inclusive); `{type: categorical, choices: [...]}` a list. ' +
  'Default: the strategy\'s default space (list_strategies `default_space`).';

export const optimizeTaskSchema = z
  .object({
    task_name: z.string().min(1).max(80).optional().describe('Label.'),
    study_name: documented(
      listedAs(
        z
          .string()
          .min(1)
          .max(120)
          .regex(/^[A-Za-z0-9._:\-]+$/),
        { type: 'string' },
      )
        .optional()
        .describe('Resumed if its signature matches.'),
      'Letters, digits and . _ : - only. A study with this name and the same signature (strategy, space, objectives, dataset, range, execution, engine version) is resumed: a finished one runs only the trials missing to n_trials. Default: derived from the job.',
    ),
    strategy: strategyInput,
    dataset_id: z.number().int().min(1).optional().describe('Or symbol + timeframe.'),
    symbol: documented(z.string().min(1).max(64).optional(), 'The dataset\'s symbol (list_datasets), with timeframe.'),
    timeframe: documented(z.string().min(1).max(8).optional(), 'The dataset\'s timeframe, with symbol.'),
    version: documented(z.number().int().min(1).optional(), 'Dataset version (default: latest).'),
    from: z.string().max(40).optional().describe('In-sample start (inclusive).'),
    to: z.string().max(40).optional().describe('In-sample end (exclusive).'),
    space: documented(
      listedAs(z.record(z.string().max(120), spaceEntrySchema), { type: 'object' })
        .optional()
        .describe('Param path → {type: int|float, low, high, step?, log?} or {type: categorical, choices}. Default: the strategy\'s.'),
      SPACE_DOC,
    ),
    fixed_params: documented(z.record(z.string(), z.unknown()).optional(), 'Params held at these values in every trial (not searched); the strategy\'s defaults fill the rest.'),
    objective: documented(
      defaultsTo(objectiveSchema.optional(), 'sharpe').describe('Metric key, "-key" to minimise, or {metric, direction}.'),
      'A metric a backtest reports (sharpe, return_pct, max_drawdown_pct, trades, score, brier, ece, …; a wrong name is refused with the closest one). Without a direction it is maximised, except brier, ece, volatility_ann_pct, commissions and the drawdown durations, which are minimised; "brier:maximize", "-sharpe" or {metric, direction} say otherwise.',
    ),
    objectives: z.array(objectiveSchema).min(1).max(4).optional().describe('Several → Pareto front.'),
    constraints: documented(
      z.array(z.string().min(3).max(80)).max(10).optional().describe('"metric >= n" or "metric <= n".'),
      'Each "metric >= n" or "metric <= n" on a metric a backtest reports; a trial that breaks one is infeasible and ranks after every feasible trial, infeasible ones by their total violation.',
    ),
    sampler: defaultsTo(samplerSchema.optional(), 'tpe').describe('Or {type, ...options}.'),
    pruner: defaultsTo(prunerSchema.optional(), 'none').describe('Or {type, ...options}.'),
    checkpoints: defaultsTo(z.number().int().min(2).max(200).optional(), 20).describe('For pruning.'),
    n_trials: defaultsTo(z.number().int().min(1).max(100_000).optional(), 100).describe('Study total.'),
    timeout: z.number().min(1).max(86_400).optional().describe('Seconds.'),
    n_jobs: documented(
      defaultsTo(z.number().int().min(1).max(64).optional(), 1).describe('Parallel trials.'),
      'Worker threads. Same seed ⇒ same trials with n_jobs 1; with several jobs the proposals depend on which trial finishes first (as in Optuna), and up to 2 × n_jobs trials are open at once.',
    ),
    n_workers: documented(
      z.literal('external').optional(),
      "'external' puts the study in the shared PostgreSQL storage (the server started with TRADELAB_DATABASE_URL) and returns its run_id at once: `tradelab worker` processes, on any machines, run its trials; get_run's progress counts every worker's trials, and the summary is written when the study has its n_trials. Not with refine.",
    ),
    seed: documented(defaultsTo(z.number().int().min(0).max(2 ** 31 - 1).optional(), 0), 'Seeds the proposals: trial n draws from a seed derived from this one and n, so the same seed gives the same trials with n_jobs 1 (a `seed` in the sampler object takes precedence).'),
    execution: executionFieldsSchema.optional().describe('Keys of backtest.execution.'),
    force: documented(z.boolean().optional().describe('Resume a changed study.'), 'Resume a study whose signature (strategy, space, objectives, dataset, range, execution, engine version) changed; recorded in the study.'),
    top: defaultsTo(z.number().int().min(1).max(50).optional(), 5).describe('Top trials returned.'),
    validate: documented(
      listedAs(
        z
          .object({
            top_k: z.number().int().min(1).max(50).describe('Distinct top configurations to re-run.'),
            holdout: z
              .object({ from: z.string().max(40).describe('Holdout start (inclusive), >= in-sample end.'), to: z.string().max(40).optional().describe('Holdout end (exclusive).') })
              .strict(),
            min_sharpe: defaultsTo(z.number().optional(), 0).describe('Min holdout Sharpe to pass.'),
            min_trades: defaultsTo(z.number().int().min(0).optional(), 1).describe('Min holdout trades to pass.'),
          })
          .strict(),
        { type: 'object' },
      )
        .optional()
        .describe('{top_k, holdout: {from, to?}, min_sharpe?, min_trades?}: re-run the top on a later holdout.'),
      'Each of the top_k distinct best trials is backtested on the holdout range; it passes with a Sharpe ≥ min_sharpe (default 0), ≥ min_trades trades (default 1) and a positive return. champion_promote accepts only passing trials of a validated study.',
    ),
    refine: documented(
      listedAs(
        z
          .object({
            n_trials: z.number().int().min(1).max(100_000).describe('Fine-stage trials.'),
            top: defaultsTo(z.number().int().min(1).max(50).optional(), 5).describe('Best coarse trials to narrow around.'),
            factor: defaultsTo(z.number().gt(0).max(1).optional(), 0.3).describe('Least width kept, fraction of each range.'),
            sampler: defaultsTo(samplerSchema.optional(), 'tpe').describe('Fine-stage sampler.'),
          })
          .strict(),
        { type: 'object' },
      )
        .optional()
        .describe('{n_trials, top?, factor?, sampler?}: then a fine study around the best.'),
      'Coarse → fine: after this study, a second study (n_trials, sampler default tpe) searches each numeric range narrowed around the `top` best coarse trials (default 5): centred on them, as wide as their spread but at least `factor` × the original width (default 0.3), inside the original bounds and on its grid; categorical params keep their choices. No fine stage starts after the wall-time limit.',
    ),
  })
  .strict();

/** A task after validation: every default filled in (the schema is the one place defaults are said). */
export type OptimizeTask = z.output<typeof optimizeTaskSchema>;
/** A task as given (by a client, a job file or code): fields with a default may be left out. */
export type OptimizeTaskInput = z.input<typeof optimizeTaskSchema>;

export const jobFileSchema = z
  .object({
    strategy_optimization_tasks: z.array(optimizeTaskSchema).min(1).max(100),
  })
  .strict();
