/**
 * Walk-forward charts: `oos_equity` (the stitched out-of-sample equity with a dashed rule at
 * each window's OOS start), `is_vs_oos` (in-sample vs out-of-sample Sharpe per window, grouped
 * bars) and `param_drift` (each numeric param's chosen value per window, one small panel per
 * param with its own scale).
 * Reduction: the equity keeps first/min/max/last per bucket (at most 1,500 points); windows
 * and params are drawn in full.
 */
import { minMaxIndices } from '../downsample.js';
import type { ChartSpec, WalkForwardChartInput } from '../types.js';
import { chart, COLOR, count, FMT, num, SMALL_HEIGHT, timeX, tip, utcText, WIDTH } from './common.js';

const MAX_POINTS = 1500;
const IS_COLOR = '#9aa5b1';

function oosEquityChart(input: WalkForwardChartInput): ChartSpec {
  const idx = minMaxIndices(input.equity, MAX_POINTS / 4);
  const equity = Array.from(idx, (i) => ({ t: input.time[i], v: num(input.equity[i]) }));
  const bounds = input.windows.map((w) => ({ w: w.index, t: w.oos_from, t2: w.oos_to }));
  const n = input.time.length;
  const reduced = idx.length < n ? `${count(idx.length)} of ${count(n)} points (first/min/max/last per bucket)` : `${count(n)} points`;
  return chart('oos_equity', 'Out-of-sample equity', `Stitched out-of-sample equity, ${reduced}; dashed rules at the start of each of ${bounds.length} windows`, {
    width: WIDTH, height: 240, datasets: { equity, windows: bounds },
    layer: [
      {
        data: { name: 'windows' }, transform: [utcText('t', 'from'), utcText('t2', 'to')], mark: { type: 'rule', color: '#888888', strokeDash: [4, 3] },
        encoding: { x: timeX('t'), tooltip: [tip('w', 'window', FMT.int), tip('from', 'OOS from', undefined, 'nominal'), tip('to', 'OOS to', undefined, 'nominal')] },
      },
      {
        data: { name: 'equity' }, transform: [utcText('t', 'time')], mark: { type: 'line', color: COLOR.line, strokeWidth: 1.5 },
        encoding: { x: timeX('t'), y: { field: 'v', type: 'quantitative', title: 'equity', scale: { zero: false } }, tooltip: [tip('time', 'time', undefined, 'nominal'), tip('v', 'equity', FMT.money)] },
      },
    ],
  });
}

function isVsOosChart(input: WalkForwardChartInput): ChartSpec {
  const values = input.windows.flatMap((w) => [
    { w: w.index, kind: 'in-sample', sharpe: num(w.is_sharpe, 6) },
    { w: w.index, kind: 'out-of-sample', sharpe: num(w.oos_sharpe, 6) },
  ]).filter((r) => r.sharpe !== null);
  const missing = input.windows.length * 2 - values.length;
  const kind = { domain: ['in-sample', 'out-of-sample'], range: [IS_COLOR, COLOR.line] };
  return chart('is_vs_oos', 'In-sample vs out-of-sample Sharpe', `Sharpe per window (${input.windows.length} windows)${missing ? `; ${missing} undefined values not drawn` : ''}`, {
    width: WIDTH, height: 220, data: { values },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'w', type: 'ordinal', title: 'window', axis: { labelAngle: 0 } },
          xOffset: { field: 'kind', type: 'nominal', scale: { domain: kind.domain } },
          y: { field: 'sharpe', type: 'quantitative', title: 'Sharpe' },
          color: { field: 'kind', type: 'nominal', title: null, scale: kind },
          tooltip: [tip('w', 'window', FMT.int), tip('kind', 'sample', undefined, 'nominal'), tip('sharpe', 'Sharpe', '.2f')],
        },
      },
      { mark: { type: 'rule', color: '#444444' }, encoding: { y: { datum: 0 } } },
    ],
  });
}

function paramDriftChart(input: WalkForwardChartInput): ChartSpec | null {
  const names = new Set<string>();
  const nonNumeric = new Set<string>();
  for (const w of input.windows) {
    for (const [p, v] of Object.entries(w.params)) if (v !== null) (typeof v === 'number' ? names : nonNumeric).add(p);
  }
  const params = [...names].filter((p) => !nonNumeric.has(p));
  if (params.length === 0) return null;
  const values = input.windows.flatMap((w) => params.map((p) => ({ w: w.index, param: p, value: num(w.params[p] as number | null, 7) })));
  const x = { field: 'w', type: 'quantitative', title: 'window', axis: { format: FMT.int, tickMinStep: 1 } };
  return chart('param_drift', 'Parameter drift', `Chosen value of each of ${params.length} numeric params per window (${input.windows.length} windows), each panel on its own scale`, {
    data: { values }, columns: 3,
    facet: { field: 'param', type: 'nominal', title: null, sort: params },
    spec: {
      width: 200, height: SMALL_HEIGHT - 30,
      layer: [
        { mark: { type: 'line', color: COLOR.line } },
        { mark: { type: 'point', filled: true, color: COLOR.line, size: 24 }, encoding: { tooltip: [tip('w', 'window', FMT.int), tip('param', 'param', undefined, 'nominal'), tip('value', 'value', FMT.num)] } },
      ],
      encoding: { x, y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } } },
    },
    resolve: { scale: { y: 'independent' } },
  });
}

/** The walk-forward's charts: oos_equity, is_vs_oos and (when some param is numeric) param_drift. */
export function walkForwardCharts(input: WalkForwardChartInput): ChartSpec[] {
  const out = [oosEquityChart(input), isVsOosChart(input)];
  const drift = paramDriftChart(input);
  if (drift) out.push(drift);
  return out;
}
