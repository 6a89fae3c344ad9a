/**
 * Shared pieces of the chart builders: the theme (fixed width, heights, DejaVu Sans, white
 * background, no external URLs of any kind — data is always inline), the colours (long = blue,
 * short = orange, used consistently), d3 number/time formats for axes and tooltips, and small
 * helpers to make JSON-safe values, tooltips and ChartSpecs.
 */
import type { ChartSpec, VegaLiteSpec } from '../types.js';

export const WIDTH = 720;
export const HEIGHT = 260;
export const SMALL_HEIGHT = 140;
export const FONT = 'DejaVu Sans, sans-serif';

export const COLOR = {
  long: '#1f6fb4',
  short: '#e8710a',
  up: '#8a97a6',
  down: '#3d4654',
  line: '#1f6fb4',
  best: '#d62728',
  loss: '#d0463c',
  neutral: '#7f7f7f',
  pruned: '#9467bd',
  failed: '#d62728',
  band: '#1f6fb4',
} as const;

/** Colour scale for trade sides: the same everywhere. */
export const SIDE_SCALE = { domain: ['long', 'short'], range: [COLOR.long, COLOR.short] };

/** d3 formats. */
export const FMT = {
  price: ',.6~r',
  money: ',.2f',
  num: ',.4~r',
  pct: '+.2f',
  int: ',d',
  time: '%Y-%m-%d %H:%M',
} as const;

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const CONFIG = {
  font: FONT,
  view: { continuousWidth: WIDTH, continuousHeight: HEIGHT, stroke: '#dddddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eeeeee', domainColor: '#888888', tickColor: '#888888', titleFontWeight: 'normal' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'top' },
  header: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555555' },
};

/** A top-level spec: schema string, white background, theme config, the chart's title, then `body`. */
export function spec(title: string, body: VegaLiteSpec): VegaLiteSpec {
  return { $schema: SCHEMA, background: 'white', padding: 8, title: { text: title }, config: CONFIG, ...body };
}

/** A ChartSpec whose spec carries the same title. */
export function chart(id: string, title: string, caption: string, body: VegaLiteSpec): ChartSpec {
  return { id, title, caption, spec: spec(title, body) };
}

/** A finite number rounded to `digits` significant digits (smaller JSON), else null. */
export function num(v: number | null | undefined, digits = 10): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  return Number(v.toPrecision(digits));
}

/** An integer with thousands separators, for captions. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A tooltip entry. */
export function tip(field: string, title: string, format?: string, type = 'quantitative'): Record<string, unknown> {
  return format === undefined ? { field, title, type } : { field, title, type, format };
}

/** A transform adding `as` = the epoch-ms field formatted as UTC text (for tooltips). */
export function utcText(field: string, as: string): Record<string, unknown> {
  return { calculate: `isValid(datum.${field}) ? utcFormat(datum.${field}, '${FMT.time}') : ''`, as };
}

/** A temporal x encoding on a UTC scale. */
export function timeX(field: string, title: string | null = null): Record<string, unknown> {
  return { field, type: 'temporal', title, scale: { type: 'utc' }, axis: { labelOverlap: true } };
}

/** Safe field names p0, p1, … for params whose dotted names Vega-Lite would read as nested paths. */
export function paramFields(names: readonly string[]): Map<string, string> {
  return new Map(names.map((n, i) => [n, `p${i}`]));
}

/** A Vega expression mapping a safe field name (datum.value) back to its label, for axis/header labelExpr. */
export function labelLookup(fields: Map<string, string>, ref = 'datum.value'): string {
  const obj = Object.fromEntries([...fields].map(([label, f]) => [f, label]));
  return `${JSON.stringify(obj)}[${ref}]`;
}

/** Quantiles of finite values (linear interpolation), for captions and rules. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
