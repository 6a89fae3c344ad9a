/**
 * The report of an optimize run (or a study by name): optimisation history with pruned and
 * failed trials, parameter importances, parallel coordinates, contours of the most important
 * pairs, slices, the Pareto front (several objectives) and intermediate values (pruning).
 * Every trial is passed on; the chart builders decide what to reduce for display.
 */
import type { App } from '../../research/app.js';
import { listTrialsSync } from '../../research/optimize/index.js';
import type { RunRow } from '../../storage/runs.js';
import { studyIntermediateValues } from '../../storage/study-report.js';
import { optimizeCharts } from '../charts/optimize.js';
import type { OptimizeChartInput, ReportModel, TrialPoint } from '../types.js';
import { flattenParams, num, pendingReport, strings } from './common.js';

type Obj = Record<string, unknown>;

export function optimizeReport(app: App, run: RunRow): ReportModel {
  const s = run.summary ?? {};
  const study = (s.study_name ?? run.spec.study_name) as string | undefined;
  if (!study) return pendingReport(run, 'optimize');
  const inter = studyIntermediateValues(app.db, study);
  const trials: TrialPoint[] = listTrialsSync(app, study).map((t) => {
    const number = t.number as number;
    const iv = inter.get(number);
    return { number, state: t.state as TrialPoint['state'], values: (t.values as (number | null)[]).length ? (t.values as (number | null)[]) : null, params: flattenParams(t.params), ...(iv ? { intermediate: iv } : {}) };
  });
  const objectives = ((s.objectives ?? run.spec.objectives) as OptimizeChartInput['objectives'] | undefined) ?? [{ metric: 'sharpe', direction: 'maximize' }];
  const input: OptimizeChartInput = {
    objectives: objectives.map((o) => (typeof o === 'string' ? { metric: o, direction: 'maximize' as const } : o)),
    trials,
    importance: (s.importance as Record<string, number> | null | undefined) ?? null,
    pareto: ((s.pareto_front as { number: number }[] | undefined) ?? []).map((t) => t.number),
  };
  const best = s.best as { number: number; values: number[]; params: Obj } | null | undefined;
  const counts = (s.counts ?? {}) as Record<string, number>;
  return {
    kind: 'optimize',
    id: run.id,
    title: `Study ${study} (${String(s.strategy ?? run.spec.strategy)})`,
    subtitle: `optimize ${run.id}: ${trials.length} trials on ${String(s.symbol ?? run.spec.symbol)} ${String(s.timeframe ?? run.spec.timeframe)}; objectives ${input.objectives.map((o) => `${o.direction} ${o.metric}`).join(', ')}`,
    status: run.status,
    metrics: [
      { label: 'Trials', value: trials.length },
      { label: 'Complete', value: counts.COMPLETE ?? null },
      { label: 'Pruned', value: counts.PRUNED ?? null },
      { label: 'Failed', value: counts.FAIL ?? null },
      { label: `Best ${input.objectives[0].metric}`, value: num(best?.values?.[0]) },
      { label: 'Best trial', value: best ? `#${best.number} ${JSON.stringify(best.params)}` : null },
      { label: 'Stopped by', value: typeof s.stop_reason === 'string' ? s.stop_reason : null },
      { label: 'Distinct configurations', value: num(s.distinct_configurations) },
    ],
    warnings: [
      ...(run.status === 'failed' && run.error ? [run.error] : []),
      ...strings(s.warnings),
      ...((s.fail_reasons ?? []) as { reason: string; count: number }[]).map((f) => `${f.count} trial(s) failed: ${f.reason}`),
      ...(s.stopped_short ? [`stopped short: ${JSON.stringify(s.stopped_short)}`] : []),
    ],
    charts: optimizeCharts(input),
  };
}
