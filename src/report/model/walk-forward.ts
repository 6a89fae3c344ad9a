/**
 * The report of a walk-forward run: the stitched out-of-sample equity with the window
 * boundaries, in-sample vs out-of-sample Sharpe per window, and the drift of the chosen
 * parameters; the OOS statistics (Sharpe, t, PSR, DSR and where its N came from) as metrics.
 */
import type { App } from '../../research/app.js';
import { loadRunEquity } from '../../research/run-result.js';
import type { RunRow } from '../../storage/runs.js';
import { walkForwardCharts } from '../charts/walk-forward.js';
import type { ReportModel, WalkForwardChartInput } from '../types.js';
import { flattenParams, num, pendingReport, strings } from './common.js';

type Obj = Record<string, unknown>;
interface Window {
  index: number;
  is: { from: string; to: string };
  oos: { from: string; to: string };
  params: Obj | null;
  is_metrics: Obj | null;
  oos_metrics: Obj | null;
  error: string | null;
}

export function walkForwardReport(app: App, run: RunRow): ReportModel {
  const s = run.summary ?? {};
  const per = (s.per_window as Window[] | undefined) ?? [];
  const eq = run.summary ? loadRunEquity(app, run.id) : undefined;
  if (!eq || !eq.equity_time || per.length === 0) return pendingReport(run, 'walk_forward');
  const input: WalkForwardChartInput = {
    time: eq.equity_time,
    equity: eq.equity,
    windows: per
      .filter((w) => !w.error)
      .map((w) => ({
        index: w.index,
        is_from: Date.parse(w.is.from),
        is_to: Date.parse(w.is.to),
        oos_from: Date.parse(w.oos.from),
        oos_to: Date.parse(w.oos.to),
        is_sharpe: num(w.is_metrics?.sharpe),
        oos_sharpe: num(w.oos_metrics?.sharpe),
        params: flattenParams(w.params ?? {}),
      })),
  };
  const oos = (s.oos ?? {}) as Obj;
  const detail = (oos.dsr_detail ?? {}) as Obj;
  return {
    kind: 'walk_forward',
    id: run.id,
    title: `Walk-forward ${run.id}: ${String(s.strategy ?? run.spec.strategy)}`,
    subtitle: `${String(s.symbol ?? '')} ${String(s.timeframe ?? '')}, ${per.length} windows (${String(s.mode ?? '')}, in-sample ${String(s.is ?? '')}, out-of-sample ${String(s.oos_length ?? '')})`,
    status: run.status,
    metrics: [
      { label: 'OOS return %', value: num(oos.return_pct) },
      { label: 'OOS Sharpe', value: num(oos.sharpe) },
      { label: 'OOS trades', value: num(oos.trades) },
      { label: 't', value: num(oos.t_stat ?? oos.t) },
      { label: 'PSR', value: num(oos.psr) },
      { label: `DSR (N = ${String(detail.n ?? '?')})`, value: num(oos.dsr) },
      { label: 'WFE', value: num(s.wfe) },
      { label: 'Final params', value: s.final_params ? JSON.stringify(s.final_params) : null },
    ],
    warnings: [...strings(s.warnings), ...strings(oos.warnings), ...per.filter((w) => w.error).map((w) => `window ${w.index}: ${String(w.error)}`)],
    charts: walkForwardCharts(input),
  };
}
