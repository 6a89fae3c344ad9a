/**
 * `from_study`: the top N complete trials of a stored optimisation study (ranked as the
 * optimizer ranks them: feasible first, infeasible by total constraint violation, then the
 * first objective in the study's direction; a trial repeating the params of a better one is
 * skipped, so these are N distinct configurations), re-run on another dataset and/or date
 * range.
 * Trial params are flat dotted paths; they are applied over the study's fixed params and
 * the strategy defaults. The study's execution spec is kept unless the scenario sets one,
 * so the out-of-sample runs pay the same costs. A range that overlaps the study's own
 * in-sample bars on the same data is flagged (`oos_overlap`), not hidden.
 */
import { unflatten } from '../../engine/optimizer/paths.js';
import { rankDistinct, topDistinct } from '../../engine/optimizer/objectives.js';
import { isFeasible } from '../../engine/optimizer/trial.js';
import { appStudyStore } from '../study-store.js';
import { datasetCandles, resolveDataset, resolveRange, selectRange } from '../datasets.js';
import { didYouMean } from '../errors.js';
import { METRIC_KEYS } from '../batch/metrics.js';
import { metricValue, type ItemResult } from '../batch/rank.js';
import { resolveStrategy } from '../strategy-params.js';
import { datasetOf, fail, within, type BuiltScenario, type ScenarioContext } from './context.js';
import type { FromStudyInput } from './schema.js';

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export async function buildFromStudy(ctx: ScenarioContext, fs: FromStudyInput): Promise<BuiltScenario> {
  const store = await appStudyStore(ctx.app);
  const study = await store.getStudy(fs.study);
  if (!study) {
    const names = (await store.listStudies()).map((s) => s.name);
    const guess = didYouMean(fs.study, names);
    const known = names.length ? `one of ${names.slice(0, 10).join(', ')}${names.length > 10 ? ` and ${names.length - 10} more` : ''}` : 'the name of a study run with optimize (none stored yet)';
    throw fail(ctx, 'from_study.study', fs.study, `no stored study has this name${guess ? ` (did you mean ${guess}?)` : ''}`, known);
  }
  const signature = record(study.system_attrs.signature) ?? {};
  const strategyName = fs.strategy ?? (typeof study.user_attrs.strategy === 'string' ? study.user_attrs.strategy : typeof signature.strategy === 'string' ? signature.strategy : undefined);
  if (!strategyName) throw fail(ctx, 'from_study.strategy', undefined, `study ${JSON.stringify(fs.study)} does not record its strategy`, 'from_study.strategy: the strategy name');
  const hash = typeof study.user_attrs.strategy_definition === 'string' ? study.user_attrs.strategy_definition : undefined;
  const strategy = within(ctx, 'from_study.strategy', strategyName, () => resolveStrategy(strategyName, ctx.app.db, { hash }));
  const fixed = record(signature.fixed_params) ?? {};
  const execution = fs.execution ?? ctx.scenario.execution ?? record(signature.execution) ?? ctx.shared.execution;
  const direction = study.directions[0];
  const complete = (await store.listTrials(study.study_id, { states: ['COMPLETE'] })).filter((t) => t.values !== null && Number.isFinite(t.values[0]));
  if (complete.length === 0) throw fail(ctx, 'from_study.study', fs.study, 'the study has no complete trial');
  // the optimizer's ranking (feasible first) of distinct configurations: samplers repeat points
  // (duplicate trials), which would only re-run one configuration
  const picked = topDistinct(rankDistinct(complete, study.directions), fs.top);
  const top = picked.trials;

  // the out-of-sample data: the scenario's dataset, else the study's own
  const ref = fs.dataset ?? ctx.shared.dataset ?? (typeof study.user_attrs.dataset_id === 'number' ? { dataset_id: study.user_attrs.dataset_id } : undefined);
  if (!ref) throw fail(ctx, 'from_study.dataset', undefined, 'no dataset to run the trials on', '{symbol, timeframe} of a stored dataset');
  const from = fs.from ?? ctx.shared.from;
  const to = fs.to ?? ctx.shared.to;
  const ds = within(ctx, 'from_study.dataset', ref, () => resolveDataset(ctx.app, ref));
  const range = within(ctx, 'from_study.from', from, () => resolveRange({ from, to }));
  const bars = within(ctx, 'from_study.from', from, () => selectRange(datasetCandles(ctx.app, ds), range, ds));
  const oosFirst = bars.time[0];
  const oosLast = bars.time[bars.time.length - 1];
  const isRange = Array.isArray(signature.date_range) ? (signature.date_range as number[]) : null;
  const overlap = signature.dataset_hash === ds.content_hash && isRange !== null && oosFirst <= isRange[1] && oosLast >= isRange[0];

  const items = top.map((t) => ({
    label: `trial ${t.number}`,
    strategy: strategy.name,
    params: unflatten(t.params, fixed),
    ...datasetOf({ dataset_id: ds.id }),
    from,
    to,
    execution,
  }));
  const objective = Array.isArray(signature.objectives) && typeof signature.objectives[0] === 'string' ? signature.objectives[0].split(':')[0] : null;
  const info = {
    study: study.name,
    strategy: strategy.name,
    direction,
    objective,
    complete_trials: complete.length,
    duplicates_skipped: picked.duplicates_collapsed,
    trials: top.map((t, i) => ({ number: t.number, in_sample: (t.values as number[])[0], feasible: isFeasible(t), copies: picked.copies[i] })),
    oos: { dataset_id: ds.id, symbol: ds.symbol, timeframe: ds.timeframe, first_bar: new Date(oosFirst).toISOString(), last_bar: new Date(oosLast).toISOString() },
    oos_overlap: overlap,
    ...(overlap ? { warning: 'the range overlaps the bars the study was optimised on: these runs are not out of sample' } : {}),
  };
  const known = objective !== null && (METRIC_KEYS as readonly string[]).includes(objective);
  const metric = ctx.shared.rank_by ?? (known ? (objective as string) : 'sharpe');
  return {
    items,
    info,
    rank_by: metric,
    report: (results: readonly ItemResult[]) => ({
      from_study: {
        ...info,
        rows: top.map((t, k) => {
          const r = results[k];
          return { trial: t.number, in_sample: (t.values as number[])[0], status: r?.status ?? null, oos: r ? metricValue(r, metric) : null, oos_metric: metric, oos_return_pct: r ? metricValue(r, 'return_pct') : null, run_id: r?.run_id ?? null, error: r?.error ?? null };
        }),
      },
    }),
  };
}
