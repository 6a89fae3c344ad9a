/**
 * Batch chart: `heatmap` — one cell per item (rows = symbol/timeframe, columns = strategy or
 * param set) coloured by the metric (diverging around 0 when values have both signs), cells
 * without a value (failed, cancelled) grey and marked with their status, value labels when
 * there are at most 400 cells. No reduction: every item is drawn.
 */
import type { BatchChartInput, ChartSpec } from '../types.js';
import { chart, count, FMT, num, tip, WIDTH } from './common.js';

const LABEL_MAX_CELLS = 400;
const PLOT_WIDTH = WIDTH - 160;

/** The batch's chart: heatmap (none when there are no cells). */
export function batchCharts(input: BatchChartInput): ChartSpec[] {
  if (input.cells.length === 0) return [];
  const values = input.cells.map((c) => {
    const v = c.status === 'ok' ? num(c.value, 7) : null;
    return { r: c.row, c: c.column, v, s: v === null && c.status === 'ok' ? 'no value' : c.status, bad: v === null };
  });
  const rows = [...new Set(values.map((c) => c.r))];
  const cols = [...new Set(values.map((c) => c.c))];
  const nums = values.flatMap((c) => (c.v === null ? [] : [c.v]));
  const lo = nums.length ? nums.reduce((a, b) => Math.min(a, b)) : 0;
  const hi = nums.length ? nums.reduce((a, b) => Math.max(a, b)) : 1;
  const diverging = nums.length > 0 && lo < 0 && hi > 0;
  const half = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  const scale = diverging ? { scheme: 'redblue', domainMid: 0, domain: [-half, half] } : { scheme: 'viridis' };
  // White text on the dark ends of the colour scale.
  const dark = diverging ? `abs(datum.v) > ${0.55 * half}` : `(datum.v - ${lo}) < ${0.45 * (hi - lo)}`;
  const labels = values.length <= LABEL_MAX_CELLS;
  const failed = values.filter((c) => c.bad).length;
  // Tilt the column labels when they would not fit side by side (about 6.5 px per character).
  const tilt = cols.reduce((a, c) => Math.max(a, c.length), 0) * 6.5 > PLOT_WIDTH / cols.length;
  const enc = {
    x: { field: 'c', type: 'nominal', title: null, sort: cols, axis: { labelAngle: tilt ? -40 : 0, labelAlign: tilt ? 'right' : 'center', labelLimit: 160 } },
    y: { field: 'r', type: 'nominal', title: null, sort: rows, axis: { labelLimit: 160 } },
    tooltip: [tip('r', 'row', undefined, 'nominal'), tip('c', 'column', undefined, 'nominal'), tip('v', input.metric, FMT.num), tip('s', 'status', undefined, 'nominal')],
  };
  const layer: Record<string, unknown>[] = [
    { transform: [{ filter: '!datum.bad' }], mark: { type: 'rect' }, encoding: { color: { field: 'v', type: 'quantitative', title: input.metric, scale } } },
    { name: 'failed_cells', transform: [{ filter: 'datum.bad' }], mark: { type: 'rect', fill: '#e6e6e6', stroke: '#bbbbbb' } },
  ];
  if (labels) {
    layer.push(
      { name: 'labels', transform: [{ filter: '!datum.bad' }], mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'v', type: 'quantitative', format: FMT.num }, color: { condition: { test: dark, value: 'white' }, value: 'black' } } },
      { transform: [{ filter: 'datum.bad' }], mark: { type: 'text', fontSize: 10, color: '#b22222' }, encoding: { text: { field: 's', type: 'nominal' } } },
    );
  } else {
    layer.push({ transform: [{ filter: 'datum.bad' }], mark: { type: 'point', shape: 'cross', filled: true, color: '#b22222', size: 20 } });
  }
  const caption = `${input.metric} for ${count(values.length)} items (${rows.length} × ${cols.length})${failed ? `; ${failed} without a value in grey` : ''}${labels ? '' : '; no labels above 400 cells'}`;
  return [
    chart('heatmap', `${input.metric} by item`, caption, {
      width: PLOT_WIDTH, height: Math.min(640, Math.max(40, rows.length * 24)),
      data: { values }, encoding: enc, layer,
    }),
  ];
}
