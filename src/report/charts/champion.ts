/**
 * Champion chart: `timeline` — one point per champion version over time, labelled vN,
 * coloured by action (promote, rollback, …), with the reason and metric in the tooltip. The
 * y axis is the version's metric when every version has one (a step line joins them), else
 * all versions sit on one lane. No reduction: every version is drawn.
 */
import type { ChampionChartInput, ChartSpec } from '../types.js';
import { chart, COLOR, count, FMT, num, timeX, tip, utcText, WIDTH } from './common.js';

const ACTION_COLORS: Record<string, string> = { promote: '#2ca02c', rollback: COLOR.loss };
const OTHER_COLORS = ['#1f6fb4', '#9467bd', '#8c564b', '#7f7f7f', '#bcbd22'];

/** The champion's chart: timeline (none without versions). */
export function championCharts(input: ChampionChartInput): ChartSpec[] {
  if (input.versions.length === 0) return [];
  const versions = [...input.versions].sort((a, b) => a.promoted_at - b.promoted_at || a.version - b.version);
  const values = versions.map((v) => ({ v: v.version, label: `v${v.version}`, t: v.promoted_at, a: v.action, why: v.reason, m: num(v.metric, 7) }));
  const actions = [...new Set(values.map((v) => v.a))].sort((a, b) => (a in ACTION_COLORS ? 0 : 1) - (b in ACTION_COLORS ? 0 : 1) || a.localeCompare(b));
  let other = 0;
  const range = actions.map((a) => ACTION_COLORS[a] ?? OTHER_COLORS[other++ % OTHER_COLORS.length]);
  const byMetric = values.every((v) => v.m !== null);
  const y = byMetric ? { field: 'm', type: 'quantitative', title: input.metric, scale: { zero: false, padding: 18 } } : { datum: 0, type: 'quantitative', axis: null, scale: { domain: [-1, 1] } };
  const x = { ...timeX('t'), scale: { type: 'utc', padding: 18 } };
  const tips = [tip('label', 'version', undefined, 'nominal'), tip('time', 'at', undefined, 'nominal'), tip('a', 'action', undefined, 'nominal'), tip('m', input.metric, FMT.num), tip('why', 'reason', undefined, 'nominal')];
  const layer: Record<string, unknown>[] = [
    { mark: { type: 'line', interpolate: 'step-after', color: '#9aa5b1' }, encoding: { x, y } },
    { name: 'versions', mark: { type: 'point', filled: true, size: 90, opacity: 1 }, encoding: { x, y, color: { field: 'a', type: 'nominal', title: 'action', scale: { domain: actions, range } }, tooltip: tips } },
    { mark: { type: 'text', dy: -12, fontSize: 10 }, encoding: { x, y, text: { field: 'label', type: 'nominal' } } },
  ];
  const caption = `${count(values.length)} versions over time, coloured by action${byMetric ? `; height = ${input.metric}` : `; ${input.metric} in the tooltip (not every version has one)`}`;
  return [chart('timeline', 'Champion versions', caption, { width: WIDTH, height: byMetric ? 220 : 90, data: { values }, transform: [utcText('t', 'time')], layer })];
}
