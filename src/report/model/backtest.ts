/**
 * The report of a backtest run: price with every trade, equity, drawdown and exposure, its
 * metrics and warnings (and, with `deep`, the analysis charts of analyze_results deep).
 */
import type { App } from '../../research/app.js';
import { loadRunResult } from '../../research/run-result.js';
import { UserError } from '../../research/errors.js';
import type { RunRow } from '../../storage/runs.js';
import { backtestCharts } from '../charts/backtest.js';
import type { ReportModel } from '../types.js';
import { analysisModelCharts } from './analysis.js';
import { datasetLabel, iso, pendingReport, runBars } from './common.js';

const METRICS: readonly [string, string][] = [
  ['return_pct', 'Return %'],
  ['cagr_pct', 'CAGR %'],
  ['sharpe', 'Sharpe'],
  ['sortino', 'Sortino'],
  ['max_drawdown_pct', 'Max drawdown %'],
  ['trades', 'Trades'],
  ['win_rate_pct', 'Win rate %'],
  ['profit_factor', 'Profit factor'],
  ['exposure_pct', 'Exposure %'],
  ['buy_hold_return_pct', 'Buy & hold %'],
  ['commissions', 'Commissions'],
];

export function backtestReport(app: App, run: RunRow, opts: { deep?: boolean } = {}): ReportModel {
  if (run.status !== 'succeeded') return pendingReport(run, 'backtest');
  const res = loadRunResult(app, run.id);
  if (!res) throw new UserError(`run ${run.id} has no stored result`, { field: 'run_id', value: run.id });
  const { bars, dataset } = runBars(app, run);
  const charts = backtestCharts({ time: bars.time, open: bars.open, high: bars.high, low: bars.low, close: bars.close, equity: res.equity, trades: res.trades, open_trades: res.open_trades });
  const metrics = METRICS.map(([k, label]) => ({ label, value: (res.metrics[k] ?? null) as number | null }));
  return {
    kind: 'backtest',
    id: run.id,
    title: `Backtest ${run.id}: ${String(run.spec.strategy)} ${JSON.stringify(run.spec.params)}`,
    subtitle: `${datasetLabel(dataset)}, ${bars.time.length} bars ${iso(bars.time[0])} … ${iso(bars.time[bars.time.length - 1])}`,
    status: run.status,
    metrics,
    warnings: res.warnings,
    charts: opts.deep ? [...charts, ...analysisModelCharts(app, run.id)] : charts,
  };
}
