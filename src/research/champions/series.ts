/**
 * Return series for the gates: the candidate's own run when it has no out-of-sample
 * evidence, the incumbent re-run with the engine on exactly the evidence's bars (never read
 * from storage), and end-of-day returns of two curves aligned day by day.
 */
import { runBacktest } from '../../engine/backtest/run.js';
import { lowerBound, sliceBars } from '../../engine/data/candles.js';
import { periodEndIndices, simpleReturns } from '../../engine/metrics/resample.js';
import type { StrategyDef } from '../../engine/strategies/types.js';
import { UserError } from '../errors.js';
import { loadRunResult } from '../run-result.js';
import type { App } from '../app.js';
import { datasetCandles, selectRange } from '../datasets.js';
import type { Candidate, Series } from './types.js';

/**
 * The candidate's own (in-sample) equity: the stored backtest result, or a fresh engine run
 * of an optimisation trial on its in-sample range (not stored, not added to the ledger).
 * Null for a walk-forward run without stored OOS equity.
 */
export function ownSeries(app: App, c: Candidate): Series | null {
  const base = { label: 'in_sample' as const, dataset: c.dataset, execution: c.execution, warm_context: false };
  if (c.kind === 'walk_forward') {
    const r = loadRunResult(app, c.run.id);
    if (!r?.equity_time || r.equity_time.length !== r.equity.length || r.equity.length === 0) return null;
    const t = r.equity_time;
    return { ...base, label: 'out_of_sample', run_id: c.run.id, time: t, equity: r.equity, trades: r.trades.length, span: { first: t[0], last: t[t.length - 1] }, warm_context: true };
  }
  const candles = selectRange(datasetCandles(app, c.dataset), c.range, c.dataset);
  const span = { first: candles.time[0], last: candles.time[candles.time.length - 1] };
  if (c.kind === 'backtest') {
    let r;
    try {
      r = loadRunResult(app, c.run.id);
    } catch (e) {
      // a batch item that cannot be reproduced any more: the fresh run below stands in for it
      if (!(e instanceof UserError)) throw e;
    }
    if (r && r.equity.length === candles.time.length) {
      return { ...base, run_id: c.run.id, time: r.equity_time ?? candles.time, equity: r.equity, trades: r.trades.length, span };
    }
  }
  const res = runBacktest(candles, c.strategy, c.params, c.execution);
  return { ...base, run_id: null, time: candles.time, equity: res.equity, trades: res.trades.length, span };
}

/**
 * The incumbent's equity at exactly the bar times of `s`, re-run with the engine on the same
 * dataset and execution spec. Curves built from warmed-up windows (walk-forward) give the
 * incumbent the same courtesy: its run starts `warmup(params)` bars before the first bar.
 */
export function incumbentEquityOn(app: App, s: Series, strategy: StrategyDef, params: Record<string, unknown>): Float64Array {
  const all = datasetCandles(app, s.dataset);
  const first = lowerBound(all.time, s.span.first);
  const end = lowerBound(all.time, s.span.last) + 1;
  const start = s.warm_context ? Math.max(0, first - Math.max(0, Math.floor(strategy.warmup(params)))) : first;
  const candles = sliceBars(all, start, end);
  const res = runBacktest(candles, strategy, params, s.execution);
  const out = new Float64Array(s.time.length);
  let j = 0;
  for (let i = 0; i < s.time.length; i++) {
    while (j < candles.time.length && candles.time[j] < s.time[i]) j++;
    if (j >= candles.time.length || candles.time[j] !== s.time[i]) {
      throw new UserError(`the evidence bar at ${new Date(s.time[i]).toISOString()} is not in dataset ${s.dataset.id}; cannot re-run the incumbent on the same bars`);
    }
    out[i] = res.equity[j];
  }
  return out;
}

export interface AlignedReturns {
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** End-of-day time (last bar) of each return. */
  readonly day_end: Float64Array;
}

/**
 * End-of-day simple returns of two equity curves on the same bar times (calendar UTC days,
 * like the ledger's `dailyReturns`: a day after ruin returns 0, so both keep every day).
 */
export function alignedDailyReturns(time: Float64Array, a: Float64Array, b: Float64Array): AlignedReturns {
  const idx = periodEndIndices(time, 'D');
  const returns = (eq: Float64Array): Float64Array => {
    const v = Float64Array.from(idx, (i) => eq[i]);
    const r = simpleReturns(v);
    for (let k = 0; k < r.length; k++) if (!(v[k] > 0)) r[k] = 0;
    return r;
  };
  const ra = returns(a);
  const rb = returns(b);
  return { a: ra, b: rb, day_end: Float64Array.from(ra, (_, k) => time[idx[k + 1]]) };
}
