/**
 * Analysis charts of a run (analyze_results deep): the Monte Carlo equity fan and the
 * distribution of simulated max drawdowns (trade bootstrap, seeded), monthly returns, the
 * return-vs-cost curve with its break-even cost, and DSR/PSR/PBO against the verdict's
 * thresholds.
 */
import { tradeFan } from '../../engine/validation/fan.js';
import type { App } from '../../research/app.js';
import { analyzeResults } from '../../research/analyze/request.js';
import { loadBacktestDetails } from '../../storage/run-results.js';
import { analysisCharts } from '../charts/analysis.js';
import type { AnalysisChartInput, ChartSpec } from '../types.js';
import { num } from './common.js';

/** Paths of the report's Monte Carlo fan (the analysis's own Monte Carlo runs 1,000 per method). */
const FAN_PATHS = 500;
const FAN_SEED = 0;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});

function chartInput(app: App, data: Obj): AnalysisChartInput {
  const subject = obj(data.subject);
  const analyzed = typeof subject.analyzed_run_id === 'string' ? subject.analyzed_run_id : typeof subject.run_id === 'string' ? subject.run_id : null;
  const trades = analyzed ? (loadBacktestDetails(app.db, analyzed)?.trades ?? []) : [];
  const fan = tradeFan(Float64Array.from(trades, (t) => t.return_pct / 100), { paths: FAN_PATHS, seed: FAN_SEED });
  const monthly = (obj(data.breakdown).monthly as { year: number; month: number; return_pct: number }[] | undefined) ?? null;
  const cost = obj(data.cost_sensitivity);
  const curve = (cost.curve as { cost_per_side_bps: number; return_pct: number }[] | undefined) ?? null;
  const thresholds = obj(obj(data.verdict).thresholds);
  const dsr = obj(data.dsr);
  const sharpe = obj(data.sharpe_inference);
  const pbo = data.pbo ? obj(data.pbo) : null;
  return {
    fan: fan && { step: fan.step, p5: fan.p5, p25: fan.p25, p50: fan.p50, p75: fan.p75, p95: fan.p95 },
    drawdowns: fan?.max_drawdown_pct ?? null,
    monthly: monthly && monthly.length ? monthly.map((m) => ({ year: m.year, month: m.month, return_pct: m.return_pct })) : null,
    costs: curve ? { metric: 'return_pct', points: curve.map((p) => ({ cost_bps: p.cost_per_side_bps, value: num(p.return_pct) })), break_even_bps: num(obj(cost.break_even).cost_per_side_bps) } : null,
    significance: [
      { label: `DSR (N = ${String(dsr.n ?? '?')})`, value: num(dsr.dsr), threshold: num(thresholds.cautionMinDsr) },
      { label: 'PSR (SR > 0)', value: num(sharpe.psr0), threshold: num(thresholds.cautionMinPsr) },
      ...(pbo ? [{ label: 'PBO (lower is better)', value: num(pbo.pbo), threshold: num(thresholds.rejectMaxPbo) }] : []),
    ],
  };
}

/** The analysis charts of a run (deep analysis re-computed; nothing is stored). */
export function analysisModelCharts(app: App, runId: string): ChartSpec[] {
  // the charts draw their own fan (below), not the analysis's Monte Carlo: run it at its minimum
  const { data } = analyzeResults(app, { run_id: runId, depth: 'deep', mc_paths: 100 });
  return analysisCharts(chartInput(app, data));
}
