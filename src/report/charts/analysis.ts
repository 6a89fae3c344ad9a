/**
 * Deep-analysis charts: `mc_fan` (Monte Carlo equity percentiles: p5–p95 and p25–p75 bands and
 * the median), `drawdown_dist` (histogram of simulated max drawdowns, median and 5% worst
 * marked), `monthly` (year × month returns, diverging colours centred at 0, labelled),
 * `cost_sensitivity` (metric vs cost per side, rules at metric 0 and at the break-even cost)
 * and `significance` (each statistic as a bar with a tick at its threshold). Each is omitted
 * when its input is null or empty.
 * Reduction: the fan keeps every k-th step above 1,500 steps (percentile curves are smooth);
 * drawdowns are binned here (40 bins), so the spec holds counts, not simulations.
 */
import type { AnalysisChartInput, ChartSpec } from '../types.js';
import { chart, COLOR, count, FMT, num, quantile, tip, WIDTH } from './common.js';

const FAN_MAX = 1500;
const BINS = 40;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function fanChart(fan: NonNullable<AnalysisChartInput['fan']>): ChartSpec {
  const n = fan.step.length;
  const stride = Math.ceil(n / FAN_MAX);
  const values = [];
  for (let i = 0; i < n; i += stride) values.push(i);
  if (values.at(-1) !== n - 1) values.push(n - 1);
  const rows = values.map((i) => ({ s: fan.step[i], p5: num(fan.p5[i], 6), p25: num(fan.p25[i], 6), p50: num(fan.p50[i], 6), p75: num(fan.p75[i], 6), p95: num(fan.p95[i], 6) }));
  const x = { field: 's', type: 'quantitative', title: 'step', axis: { format: FMT.int } };
  const y = (field: string): Record<string, unknown> => ({ field, type: 'quantitative', title: 'equity (× start)', scale: { zero: false } });
  const reduced = stride > 1 ? `${count(rows.length)} of ${count(n)} steps (every ${stride}th)` : `${count(n)} steps`;
  return chart('mc_fan', 'Monte Carlo equity fan', `Percentiles of simulated equity (1 = start): p5–p95 and p25–p75 bands, median line; ${reduced}`, {
    width: WIDTH, height: 260, data: { values: rows },
    layer: [
      { mark: { type: 'area', color: COLOR.band, opacity: 0.15 }, encoding: { x, y: y('p5'), y2: { field: 'p95' } } },
      { mark: { type: 'area', color: COLOR.band, opacity: 0.3 }, encoding: { x, y: y('p25'), y2: { field: 'p75' } } },
      {
        mark: { type: 'line', color: COLOR.line, strokeWidth: 2 },
        encoding: { x, y: y('p50'), tooltip: [tip('s', 'step', FMT.int), ...['p5', 'p25', 'p50', 'p75', 'p95'].map((p) => tip(p, p, '.3f'))] },
      },
      { mark: { type: 'rule', color: '#444444', strokeDash: [4, 3] }, encoding: { y: { datum: 1 } } },
    ],
  });
}

function drawdownChart(drawdowns: readonly number[]): ChartSpec {
  const xs = drawdowns.filter(Number.isFinite).sort((a, b) => a - b);
  const lo = xs[0];
  const hi = xs[xs.length - 1];
  const width = hi > lo ? (hi - lo) / BINS : 1;
  const counts = new Array<number>(hi > lo ? BINS : 1).fill(0);
  for (const v of xs) counts[Math.min(counts.length - 1, Math.floor((v - lo) / width))]++;
  const bins = counts.map((k, i) => ({ x0: num(lo + i * width, 6), x1: num(lo + (i + 1) * width, 6), n: k }));
  const marks = [
    { label: 'median', v: num(quantile(xs, 0.5), 6) },
    { label: '5% worst', v: num(quantile(xs, 0.05), 6) },
  ];
  return chart('drawdown_dist', 'Simulated max drawdowns', `Max drawdown of ${count(xs.length)} simulations in ${counts.length} bins; median ${marks[0].v?.toFixed(2)}%, 5% worst ${marks[1].v?.toFixed(2)}%`, {
    width: WIDTH, height: 200, datasets: { bins, marks },
    layer: [
      {
        data: { name: 'bins' }, mark: { type: 'bar', color: COLOR.loss, opacity: 0.75, stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'x0', type: 'quantitative', title: 'max drawdown %', bin: { binned: true } }, x2: { field: 'x1' }, y: { field: 'n', type: 'quantitative', title: 'simulations' },
          tooltip: [tip('x0', 'from %', '.2f'), tip('x1', 'to %', '.2f'), tip('n', 'simulations', FMT.int)],
        },
      },
      { data: { name: 'marks' }, mark: { type: 'rule', color: '#222222', strokeDash: [4, 3] }, encoding: { x: { field: 'v', type: 'quantitative' }, tooltip: [tip('label', 'mark', undefined, 'nominal'), tip('v', 'drawdown %', '.2f')] } },
      { data: { name: 'marks' }, mark: { type: 'text', align: 'left', dx: 3, baseline: 'top', y: 2, fontSize: 10 }, encoding: { x: { field: 'v', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } } },
    ],
  });
}

function monthlyChart(monthly: NonNullable<AnalysisChartInput['monthly']>): ChartSpec {
  const values = monthly.map((m) => ({ y: m.year, m: m.month, r: num(m.return_pct, 6) }));
  const max = values.reduce((a, v) => Math.max(a, Math.abs(v.r ?? 0)), 0) || 1;
  const years = [...new Set(values.map((v) => v.y))].sort((a, b) => a - b);
  const enc = { x: { field: 'm', type: 'ordinal', title: null, scale: { domain: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }, axis: { labelExpr: `${JSON.stringify(MONTHS)}[datum.value - 1]`, labelAngle: 0, orient: 'top' } }, y: { field: 'y', type: 'ordinal', title: null, sort: years } };
  return chart('monthly', 'Monthly returns', `Return per calendar month (UTC), percent, ${count(values.length)} months; red below 0, green above`, {
    width: WIDTH - 100, height: Math.max(40, years.length * 26), data: { values }, encoding: enc,
    layer: [
      { name: 'cells', mark: { type: 'rect', stroke: 'white' }, encoding: { color: { field: 'r', type: 'quantitative', title: 'return %', scale: { scheme: 'redyellowgreen', domain: [-max, max], domainMid: 0 } }, tooltip: [tip('y', 'year', 'd'), tip('m', 'month', 'd'), tip('r', 'return %', FMT.pct)] } },
      { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'r', type: 'quantitative', format: '.1f' }, color: { condition: { test: `abs(datum.r) > ${0.6 * max}`, value: 'white' }, value: 'black' } } },
    ],
  });
}

function costChart(costs: NonNullable<AnalysisChartInput['costs']>): ChartSpec {
  const values = costs.points.map((p) => ({ b: p.cost_bps, v: num(p.value, 6) }));
  const be = costs.break_even_bps;
  const x = { field: 'b', type: 'quantitative', title: 'cost (bps per side)' };
  const layer: Record<string, unknown>[] = [
    { mark: { type: 'rule', color: '#444444' }, encoding: { y: { datum: 0 } } },
    { mark: { type: 'line', color: COLOR.line, point: true }, encoding: { x, y: { field: 'v', type: 'quantitative', title: costs.metric }, tooltip: [tip('b', 'cost bps', '.2f'), tip('v', costs.metric, FMT.num)] } },
  ];
  if (be !== null && Number.isFinite(be)) {
    layer.push(
      { mark: { type: 'rule', color: COLOR.loss, strokeDash: [4, 3] }, encoding: { x: { datum: be, type: 'quantitative' } } },
      { mark: { type: 'text', color: COLOR.loss, align: 'left', dx: 4, baseline: 'top', y: 4, fontSize: 10, text: `break-even ${be.toFixed(1)} bps` }, encoding: { x: { datum: be, type: 'quantitative' } } },
    );
  }
  return chart('cost_sensitivity', 'Cost sensitivity', `${costs.metric} at ${values.length} cost levels; ${be === null ? 'no break-even cost in the range' : `break-even at ${be.toFixed(2)} bps per side`}`, {
    width: WIDTH, height: 220, data: { values }, layer,
  });
}

function significanceChart(stats: NonNullable<AnalysisChartInput['significance']>): ChartSpec {
  const values = stats.map((s) => ({ label: s.label, v: num(s.value, 6), th: num(s.threshold, 6) }));
  const y = { field: 'label', type: 'nominal', title: null, sort: values.map((v) => v.label) };
  const tips = [tip('label', 'statistic', undefined, 'nominal'), tip('v', 'value', '.3f'), tip('th', 'threshold', '.3f')];
  return chart('significance', 'Significance', `${values.length} statistics; bars = value, black tick = threshold`, {
    width: WIDTH - 200, height: Math.max(40, values.length * 30), data: { values }, encoding: { y },
    layer: [
      { transform: [{ filter: 'isValid(datum.v)' }], mark: { type: 'bar', color: COLOR.line, height: { band: 0.6 } }, encoding: { x: { field: 'v', type: 'quantitative', title: 'value' }, tooltip: tips } },
      { transform: [{ filter: 'isValid(datum.th)' }], mark: { type: 'tick', color: 'black', thickness: 3, height: 22 }, encoding: { x: { field: 'th', type: 'quantitative' }, tooltip: tips } },
      { transform: [{ filter: 'isValid(datum.v)' }], mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { x: { field: 'v', type: 'quantitative' }, text: { field: 'v', type: 'quantitative', format: '.3f' } } },
    ],
  });
}

/** The analysis charts present in the input, in display order. */
export function analysisCharts(input: AnalysisChartInput): ChartSpec[] {
  const out: ChartSpec[] = [];
  if (input.fan && input.fan.step.length > 0) out.push(fanChart(input.fan));
  if (input.drawdowns && input.drawdowns.some(Number.isFinite)) out.push(drawdownChart(input.drawdowns));
  if (input.monthly && input.monthly.length > 0) out.push(monthlyChart(input.monthly));
  if (input.costs && input.costs.points.length > 0) out.push(costChart(input.costs));
  if (input.significance && input.significance.length > 0) out.push(significanceChart(input.significance));
  return out;
}
