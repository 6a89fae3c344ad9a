/**
 * An equal-weight ensemble of equity curves, rebalanced daily (pure: arrays in, values out).
 *
 * Method (documented for the `ensemble` scenario kind):
 * 1. Each member's equity is sampled at the end of every UTC day that has bars (its last
 *    bar of the day), as the engine's metrics do.
 * 2. The ensemble covers the days on which every member is live: from the latest first day
 *    to the earliest last day. Days are the union of the members' bar days in that span; a
 *    member without bars on a day (a closed market) keeps its last value, i.e. a 0 return.
 * 3. Each day the portfolio return is the plain mean of the members' day returns: the
 *    weights are reset to 1/n at every day end ("daily rebalancing of returns"). This
 *    differs from holding 1/n of each curve without rebalancing.
 * 4. Headline metrics use the default profile's definitions (EXECUTION.md §3) on these day
 *    returns: annualisation A from the calendar (365 when weekends trade, else 252),
 *    Sharpe/Sortino with rf = 0, CAGR over the calendar span, drawdowns of the day-end curve.
 * The members are reported with the same metrics on the same days, so they compare.
 */
import type { Metrics } from '../../engine/backtest/types.js';
import { drawdownStats } from '../../engine/metrics/drawdown.js';
import { DAY_MS, DAYS_PER_YEAR, detectPeriods } from '../../engine/metrics/periods.js';
import { periodEndIndices } from '../../engine/metrics/resample.js';
import { standardRisk } from '../../engine/metrics/risk.js';
import { MetricSink } from '../../engine/metrics/sink.js';
import { averageCorrelationOfReturns } from '../../engine/validation/correlation.js';
import { InputError } from '../../engine/errors.js';

export interface EquitySeries {
  readonly time: Float64Array;
  readonly equity: Float64Array;
}

export interface DailyCurve {
  /** UTC day starts (epoch ms), ascending. */
  readonly days: Float64Array;
  readonly values: Float64Array;
}

export interface EnsembleResult {
  readonly days: Float64Array;
  /** Portfolio value at each day end, starting at `start`. */
  readonly equity: Float64Array;
  readonly metrics: Metrics;
  readonly warnings: string[];
  /** Each member on the same days, with the same metrics. */
  readonly members: readonly { readonly metrics: Metrics; readonly warnings: string[] }[];
  /** Mean pairwise correlation of the members' day returns (null when undefined). */
  readonly avg_correlation: number | null;
}

/** Day-end values of one curve: (UTC day start, last equity of that day). */
export function dailyCurve(s: EquitySeries): DailyCurve {
  if (s.time.length !== s.equity.length) throw new RangeError(`time has ${s.time.length} values but equity has ${s.equity.length}`);
  const idx = periodEndIndices(s.time, 'D');
  const days = new Float64Array(idx.length);
  const values = new Float64Array(idx.length);
  for (let j = 0; j < idx.length; j++) {
    days[j] = Math.floor(s.time[idx[j]] / DAY_MS) * DAY_MS;
    values[j] = s.equity[idx[j]];
  }
  return { days, values };
}

/** Headline metrics of a day-end curve (see the method above). */
export function headlineMetrics(days: Float64Array, values: Float64Array): { metrics: Metrics; warnings: string[] } {
  const out = new MetricSink();
  const n = values.length;
  const r = new Float64Array(Math.max(0, n - 1));
  for (let j = 1; j < n; j++) r[j - 1] = values[j - 1] > 0 ? values[j] / values[j - 1] - 1 : 0;
  const a = detectPeriods(days, 'standard').periodsPerYear;
  const risk = standardRisk(r, a, 0);
  const years = n > 1 ? (days[n - 1] - days[0]) / DAY_MS / DAYS_PER_YEAR : 0;
  const total = n > 0 ? values[n - 1] / values[0] - 1 : NaN;
  const cagr = years > 0 ? (values[n - 1] / values[0]) ** (1 / years) - 1 : NaN;
  const dd = drawdownStats(days, values, false);
  out.put('return_pct', total * 100, 'no days');
  out.put('return_ann_pct', risk.returnAnn * 100, 'fewer than 2 days');
  out.put('cagr_pct', cagr * 100, 'the days span no time');
  out.put('volatility_ann_pct', risk.volatilityAnn * 100, risk.why.volatility);
  out.put('sharpe', risk.sharpe, risk.why.sharpe);
  out.put('sortino', risk.sortino, risk.why.sortino);
  out.put('calmar', dd.maxDrawdown > 0 ? cagr / dd.maxDrawdown : NaN, dd.maxDrawdown > 0 ? undefined : 'no drawdown');
  out.put('max_drawdown_pct', -dd.maxDrawdown * 100);
  out.put('max_drawdown_duration_days', dd.maxDurationMs / DAY_MS, 'no drawdown (the curve never fell below its running peak)');
  out.put('days', n);
  out.put('periods_per_year', a);
  return { metrics: out.metrics, warnings: out.warnings };
}

/** Values of `c` forward-filled onto `days` (each day: the last value at or before it). */
function forwardFill(c: DailyCurve, days: Float64Array): Float64Array {
  const out = new Float64Array(days.length);
  let k = 0;
  for (let j = 0; j < days.length; j++) {
    while (k + 1 < c.days.length && c.days[k + 1] <= days[j]) k++;
    out[j] = c.values[k];
  }
  return out;
}

export function equalWeightEnsemble(members: readonly EquitySeries[], start = 10_000): EnsembleResult {
  if (members.length < 2) throw new InputError(`an ensemble needs at least 2 members, got ${members.length}`);
  const curves = members.map((m, k) => {
    const c = dailyCurve(m);
    if (c.days.length === 0) throw new InputError(`member ${k} has no bars`);
    return c;
  });
  const first = Math.max(...curves.map((c) => c.days[0]));
  const last = Math.min(...curves.map((c) => c.days[c.days.length - 1]));
  if (!(last > first)) throw new InputError('the members do not overlap on at least two days (ensembles need a common period)');
  const set = new Set<number>();
  for (const c of curves) for (const d of c.days) if (d >= first && d <= last) set.add(d);
  const days = Float64Array.from([...set].sort((x, y) => x - y));
  const filled = curves.map((c) => forwardFill(c, days));
  const warnings: string[] = [];
  const returns = filled.map((v, k) => {
    const r = new Float64Array(days.length - 1);
    let dead = false;
    for (let j = 1; j < days.length; j++) {
      if (v[j - 1] > 0) r[j - 1] = v[j] / v[j - 1] - 1;
      else if (!dead) {
        dead = true;
        warnings.push(`member ${k} has no equity left from day ${(days[j - 1] / DAY_MS).toFixed(0)} (days since 1970): its share earns 0 afterwards`);
      }
    }
    return r;
  });
  const equity = new Float64Array(days.length);
  equity[0] = start;
  for (let j = 1; j < days.length; j++) {
    let s = 0;
    for (const r of returns) s += r[j - 1];
    equity[j] = equity[j - 1] * (1 + s / returns.length);
  }
  const head = headlineMetrics(days, equity);
  const corr = averageCorrelationOfReturns(returns);
  return {
    days,
    equity,
    metrics: head.metrics,
    warnings: [...warnings, ...head.warnings],
    members: filled.map((v) => headlineMetrics(days, v)),
    avg_correlation: corr.rho,
  };
}
