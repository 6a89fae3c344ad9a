/**
 * Turning a validated optimisation task into everything a study needs: strategy, dataset
 * and bar range, search space (checked against the strategy's params), objectives,
 * constraints, sampler/pruner configs and the resume signature.
 */
import { resolveStrategyInput, strategyKey } from '../strategies.js';
import type { ExecutionSpec } from '../../engine/backtest/types.js';
import type { Candles } from '../../engine/data/candles.js';
import { lowerBound } from '../../engine/data/candles.js';
import { parseConstraint, parseObjective, type ConstraintSpec, type ObjectiveSpec } from '../../engine/optimizer/objectives.js';
import { getPath } from '../../engine/optimizer/paths.js';
import { parsePrunerConfig, type PrunerConfig } from '../../engine/optimizer/pruners/index.js';
import { parseSamplerConfig, type SamplerConfig } from '../../engine/optimizer/samplers/index.js';
import { validateSpace } from '../../engine/optimizer/space.js';
import type { SearchSpace } from '../../engine/optimizer/space.types.js';
import type { AttrValue } from '../../engine/optimizer/trial.js';
import type { StrategyDef } from '../../engine/strategies/types.js';
import { ENGINE_VERSION } from '../../engine/version.js';
import type { DatasetRow } from '../../storage/datasets.js';
import type { App } from '../app.js';
import { checkMetric, defaultDirection } from '../batch/metrics.js';
import { checkBarLimit, datasetCandles, resolveDataset, resolveRange, selectRange, type ResolvedRange } from '../datasets.js';
import { UserError } from '../errors.js';
import { resolveExecution } from '../execution.js';
import { fingerprint } from '../fingerprint.js';
import { paramKeys, resolveParams, resolveStrategy } from '../strategy-params.js';
import { parseStrict } from '../strict-input.js';
import { optimizeTaskSchema, type OptimizeTask, type OptimizeTaskInput } from './job.js';

export interface ResolvedTask {
  readonly task: OptimizeTask;
  readonly strategy: StrategyDef;
  readonly dataset: DatasetRow;
  /** The whole stored series (shared with workers) and the selected bar range in it. */
  readonly series: Candles;
  readonly start: number;
  readonly end: number;
  readonly candles: Candles;
  readonly range: ResolvedRange;
  readonly space: SearchSpace;
  readonly fixed: Record<string, unknown>;
  readonly defaults: Record<string, unknown>;
  readonly objectives: readonly ObjectiveSpec[];
  readonly constraints: readonly ConstraintSpec[];
  readonly sampler: SamplerConfig;
  readonly pruner: PrunerConfig;
  readonly execution: ExecutionSpec;
  readonly seed: number;
  readonly n_trials: number;
  readonly n_jobs: number;
  readonly checkpoints: number;
  readonly study_name: string;
  readonly signature: Record<string, AttrValue>;
}

function wrap<T>(field: string, value: unknown, expected: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError((e as Error).message, { field, value, expected });
  }
}

function checkSpaceKeys(space: SearchSpace, defaults: Record<string, unknown>, strategy: StrategyDef): void {
  for (const key of Object.keys(space)) {
    if (getPath(defaults, key) === undefined) {
      throw new UserError(`space.${key}: ${strategy.name} has no parameter at this path`, {
        field: `space.${key}`,
        expected: `a dotted path into the params of ${strategy.name}: ${paramKeys(strategy).join(', ')} (nested keys with dots, list items by index, e.g. risk_map.1.1)`,
      });
    }
  }
}

/** A sampler input checked by the engine; its messages name the field (`sampler.x`, `refine.sampler.x`). */
function samplerOf(field: string, input: OptimizeTask['sampler']): SamplerConfig {
  return wrap(field, input, 'tpe, random or grid (or an object with type)', () => {
    try {
      return parseSamplerConfig(typeof input === 'string' ? { type: input } : input);
    } catch (e) {
      const m = (e as Error).message;
      throw new Error(m.startsWith('sampler') ? `${field}${m.slice('sampler'.length)}` : m);
    }
  });
}

/**
 * Validates a task against the schema (its defaults are filled in there and its bounds checked
 * there: a task built in code goes through the same checks as a client's) and resolves it.
 */
export function resolveTask(app: App, input: OptimizeTaskInput): ResolvedTask {
  const task = parseStrict(optimizeTaskSchema, input, { source: 'invalid task' });
  const strategy = resolveStrategyInput(task.strategy, app.db);
  const defaults = resolveParams(strategy, {});
  const fixed = task.fixed_params ?? {};
  resolveParams(strategy, fixed, 'fixed_params');
  const space = wrap('space', task.space, 'float/int/categorical specs per OPTIMIZER.md', () => validateSpace(task.space ?? strategy.defaultSpace));
  checkSpaceKeys(space, defaults, strategy);
  for (const k of Object.keys(space)) {
    if (getPath(fixed, k) !== undefined) throw new UserError(`${k} is both searched (space) and fixed (fixed_params)`, { field: `fixed_params.${k}`, hint: 'remove it from one of them' });
  }
  const rawObjectives = task.objectives ?? [task.objective];
  const objectiveField = (i: number): string => (task.objectives ? `objectives.${i}` : 'objective');
  const objectives = rawObjectives.map((o, i) => wrap(objectiveField(i), o, 'a metric key or {metric, direction}', () => parseObjective(o, defaultDirection)));
  const constraints = (task.constraints ?? []).map((c, i) => wrap(`constraints.${i}`, c, '"<metric> >= <number>" or "<metric> <= <number>"', () => parseConstraint(c)));
  // a metric the backtest does not report would fail every trial: refused before the study starts
  objectives.forEach((o, i) => checkMetric(o.metric, objectiveField(i)));
  constraints.forEach((c, i) => checkMetric(c.metric, `constraints.${i}`));
  const sampler = samplerOf('sampler', task.sampler);
  // the fine stage's sampler and size are checked now, not after the coarse stage has run
  if (task.refine) samplerOf('refine.sampler', task.refine.sampler);
  // Steps are checkpoints of the bar range; the first ones say little about a strategy, so
  // the shorthand 'median' waits for 25 % of the checkpoints (and 5 complete trials).
  const checkpoints = task.checkpoints;
  const prunerIn =
    task.pruner === 'median'
      ? { type: 'median', n_startup_trials: 5, n_warmup_steps: Math.floor(checkpoints / 4) }
      : typeof task.pruner === 'string'
        ? { type: task.pruner }
        : task.pruner;
  const pruner = wrap('pruner', task.pruner, 'none, median or hyperband (or an object with type)', () => parsePrunerConfig(prunerIn));
  const execution = resolveExecution(task.execution);
  const dataset = resolveDataset(app, task);
  const range = resolveRange(task);
  const max = app.config.limits;
  const n_trials = task.n_trials;
  for (const [field, n] of [['n_trials', n_trials], ['refine.n_trials', task.refine?.n_trials ?? 0]] as const) {
    if (n > max.max_trials) throw new UserError(`${field} ${n} is above the limit of ${max.max_trials}`, { field, value: n, expected: `at most ${max.max_trials} (limits.max_trials)` });
  }
  checkBarLimit(app, dataset, range);
  const series = datasetCandles(app, dataset);
  const candles = selectRange(series, range, dataset);
  const start = range.from === null ? 0 : lowerBound(series.time, range.from);
  const end = start + candles.time.length;
  const signature: Record<string, AttrValue> = {
    // a language strategy's definition hash too: a changed definition is another study
    strategy: strategyKey(strategy),
    objectives: objectives.map((o) => `${o.metric}:${o.direction}`),
    constraints: constraints.map((c) => c.source),
    fixed_params: JSON.parse(JSON.stringify(fixed)) as AttrValue,
    dataset_hash: dataset.content_hash,
    date_range: [candles.time[0], candles.time[candles.time.length - 1]],
    execution: JSON.parse(JSON.stringify(execution)) as AttrValue,
    engine_version: ENGINE_VERSION,
  };
  const study_name = task.study_name ?? `${strategy.name}.${dataset.symbol}.${dataset.timeframe}.${fingerprint({ signature, space }).slice(0, 10)}`.replace(/[^A-Za-z0-9._:\-]/g, '-');
  return {
    task,
    strategy,
    dataset,
    series,
    start,
    end,
    candles,
    range,
    space,
    fixed,
    defaults,
    objectives,
    constraints,
    sampler,
    pruner,
    execution,
    seed: task.seed,
    n_trials,
    n_jobs: task.n_jobs,
    checkpoints: pruner.type === 'none' ? 0 : checkpoints,
    study_name,
    signature,
  };
}
