/**
 * The report of a backtest_batch run: a heatmap of its ranking metric over symbol/timeframe
 * rows × parameter-set (or strategy + parameter-set) columns, failed items marked; the
 * counts and the best item as metrics.
 */
import type { App } from '../../research/app.js';
import { readItems } from '../../research/batch/item-rows.js';
import { metricValue } from '../../research/batch/rank.js';
import type { RunRow } from '../../storage/runs.js';
import { batchCharts } from '../charts/batch.js';
import type { ReportModel } from '../types.js';
import { pendingReport, strings } from './common.js';

export function batchReport(app: App, run: RunRow): ReportModel {
  const items = readItems(app, run.id);
  if (items.length === 0) return pendingReport(run, 'batch');
  const resolved = (run.spec.resolved ?? {}) as { rank_by?: string };
  const metric = resolved.rank_by ?? (typeof run.spec.rank_by === 'string' ? run.spec.rank_by : 'sharpe');
  const strategies = new Set(items.map((i) => i.strategy));
  const column = (i: (typeof items)[number]): string => `${strategies.size > 1 ? `${i.strategy} ` : ''}${i.label ?? JSON.stringify(i.params ?? {})}`;
  const cells = items.map((i) => ({ row: `${i.symbol ?? '?'} ${i.timeframe ?? ''}`.trim(), column: column(i), value: metricValue(i, metric), status: i.status }));
  const ok = items.filter((i) => i.status === 'ok');
  const best = ok.map((i) => ({ i, v: metricValue(i, metric) })).filter((x) => x.v !== null).sort((a, b) => (b.v as number) - (a.v as number))[0];
  const s = run.summary ?? {};
  return {
    kind: 'batch',
    id: run.id,
    title: `Batch ${run.id}: ${[...strategies].join(', ')}`,
    subtitle: `${items.length} items, ranked by ${metric}`,
    status: run.status,
    metrics: [
      { label: 'Items', value: items.length },
      { label: 'Succeeded', value: ok.length },
      { label: 'Failed', value: items.length - ok.length },
      { label: `Highest ${metric}`, value: best?.v ?? null },
      { label: 'Highest item', value: best ? `${best.i.symbol ?? ''} ${best.i.timeframe ?? ''} ${column(best.i)}` : null },
    ],
    warnings: [...strings(s.warnings), ...items.filter((i) => i.error).slice(0, 20).map((i) => `item #${i.i}: ${String(i.error)}`)],
    charts: batchCharts({ metric, cells }),
  };
}
