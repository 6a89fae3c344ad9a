/**
 * Optimisation charts: `history` (every trial's first objective and the best-so-far line;
 * pruned trials at their last reported value, unscored ones — failed, running, pruned without
 * a value — on a band under the plot), `importance`, `parallel` (parallel coordinates, each
 * axis normalised to [0, 1]), `contour` / `contour-2` (binned mean objective over the two most
 * important numeric param pairs, trials on top), `slice` (objective vs each param), `pareto`
 * (two objectives, front highlighted) and `intermediate` (reported values per step).
 * Reduction: data holds one row per trial (folds and bins run in Vega); parallel keeps the 500
 * best complete trials, slice the 12 most important params, intermediate 200 trials (best +
 * most recent) with at most 100 points each (first/min/max/last per bucket). History, contour
 * and pareto draw every trial.
 */
import { compareTrials, rankTrials } from '../../engine/optimizer/objectives.js';
import { minMaxIndices } from '../downsample.js';
import type { ChartSpec, OptimizeChartInput, TrialPoint } from '../types.js';
import { chart, COLOR, count, FMT, labelLookup, num, paramFields, tip, WIDTH } from './common.js';

const STATES = { domain: ['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING'], range: [COLOR.line, COLOR.pruned, COLOR.failed, COLOR.neutral, '#bbbbbb'] };
const SHAPES = ['circle', 'triangle-down', 'cross', 'diamond', 'diamond'];
const PARALLEL_MAX = 500;
const INTERMEDIATE_MAX = 200;
const STEPS_MAX = 100;
const SLICE_MAX = 12;

type Dir = 'maximize' | 'minimize';

/** Colour and shape scales for trial states, restricted to the states present (legend shows only those). */
function stateScales(trials: readonly TrialPoint[]): { color: Record<string, unknown>; shape: Record<string, unknown> } {
  const present = new Set<string>(trials.map((t) => t.state));
  const keep = <T,>(range: readonly T[]): T[] => range.filter((_, i) => present.has(STATES.domain[i]));
  const domain = keep(STATES.domain);
  return {
    color: { field: 's', type: 'nominal', title: 'state', scale: { domain, range: keep(STATES.range) } },
    shape: { field: 's', type: 'nominal', title: 'state', scale: { domain, range: keep(SHAPES) } },
  };
}

/** Objective and param values are drawn with 7 significant digits. */
function val(v: number | null | undefined): number | null {
  return num(v, 7);
}

function first(t: TrialPoint): number | null {
  return val(t.values?.[0] ?? null);
}

/** The value a trial is plotted at: its first objective, else (pruned) its last intermediate value. */
function plotted(t: TrialPoint): number | null {
  const v = first(t);
  if (v !== null || t.state !== 'PRUNED') return v;
  return val(t.intermediate?.at(-1)?.value ?? null);
}

/** Params worth drawing, most important first: numeric ones (parallel, contour pairs) and all varying ones (slice). */
function paramChartInputs(complete: TrialPoint[], importance: Readonly<Record<string, number>> | null) {
  const seen = new Map<string, Set<number | string | boolean>>();
  const numeric = new Set<string>();
  const other = new Set<string>();
  for (const t of complete) {
    for (const [p, v] of Object.entries(t.params)) {
      if (!seen.has(p)) seen.set(p, new Set());
      if (v === null) continue;
      seen.get(p)?.add(v);
      (typeof v === 'number' ? numeric : other).add(p);
    }
  }
  const rank = (p: string): number => importance?.[p] ?? -1;
  const varying = [...seen.keys()].filter((p) => (seen.get(p)?.size ?? 0) >= 2).sort((a, b) => rank(b) - rank(a));
  const nums = varying.filter((p) => numeric.has(p) && !other.has(p));
  const pairs: [string, string][] = nums.length >= 2 ? [[nums[0], nums[1]]] : [];
  if (nums.length >= 3) pairs.push([nums[0], nums[2]]);
  return {
    numeric: nums,
    slice: varying.slice(0, SLICE_MAX).map((name) => ({ name, numeric: nums.includes(name) })),
    total: varying.length,
    pairs,
    pairWhy: importance ? 'the most important numeric params' : 'the first numeric params (no importance computed)',
  };
}

function historyChart(input: OptimizeChartInput, dir: Dir, metric: string): ChartSpec {
  const trials = [...input.trials].sort((a, b) => a.number - b.number);
  const lane = (t: TrialPoint): string => (t.state === 'FAIL' ? 'failed' : t.state === 'PRUNED' ? 'pruned' : t.state === 'COMPLETE' ? 'no value' : 'running');
  const rows: Record<string, number | string | null>[] = [];
  const best: { n: number; b: number }[] = [];
  // best so far by the optimizer's ranking of trials
  const better = compareTrials(dir);
  let leader: TrialPoint | null = null;
  for (const t of trials) {
    const v = plotted(t);
    rows.push(v === null ? { n: t.number, s: t.state, lane: lane(t) } : { n: t.number, s: t.state, v });
    const f = t.state === 'COMPLETE' ? first(t) : null;
    if (f !== null && (leader === null || better(t, leader) < 0)) {
      leader = t;
      best.push({ n: t.number, b: f });
    }
  }
  if (best.length > 0 && trials.length > 0) best.push({ n: trials[trials.length - 1].number, b: best[best.length - 1].b });
  const lanes = [...new Set(rows.flatMap((r) => (typeof r.lane === 'string' ? [r.lane] : [])))];
  const x = { field: 'n', type: 'quantitative', title: 'trial', axis: { format: FMT.int } };
  const tips = [tip('n', 'trial', FMT.int), tip('s', 'state', undefined, 'nominal'), tip('v', metric, FMT.num)];
  const marks = stateScales(trials);
  const main = {
    width: WIDTH, height: 260,
    layer: [
      {
        name: 'trial_points', data: { name: 'trials' }, transform: [{ filter: 'isValid(datum.v)' }], mark: { type: 'point', filled: true, size: 22, opacity: 0.7 },
        encoding: { x, y: { field: 'v', type: 'quantitative', title: `${metric} (${dir})`, scale: { zero: false } }, ...marks, tooltip: tips },
      },
      { data: { name: 'best' }, mark: { type: 'line', interpolate: 'step-after', color: COLOR.best, strokeWidth: 1.5 }, encoding: { x, y: { field: 'b', type: 'quantitative' }, tooltip: [tip('n', 'from trial', FMT.int), tip('b', 'best so far', FMT.num)] } },
    ],
  };
  const band = {
    name: 'trial_band', width: WIDTH, height: 18 * lanes.length + 4, data: { name: 'trials' }, transform: [{ filter: '!isValid(datum.v)' }],
    mark: { type: 'point', filled: true, size: 22, opacity: 0.8 },
    encoding: { x, y: { field: 'lane', type: 'nominal', title: null, sort: lanes }, ...marks, tooltip: tips.slice(0, 2) },
  };
  const unscored = rows.length - rows.filter((r) => r.v !== undefined).length;
  const body = unscored > 0 ? { vconcat: [main, band], spacing: 4, resolve: { scale: { x: 'shared' } } } : main;
  const caption = `All ${count(trials.length)} trials; red line = best so far (${dir})${unscored ? `; ${count(unscored)} without a value on the band below` : ''}; pruned trials at their last reported value`;
  return chart('history', 'Optimisation history', caption, { datasets: { trials: rows, best }, ...body });
}

function importanceChart(importance: Readonly<Record<string, number>>): ChartSpec {
  const values = Object.entries(importance).map(([p, imp]) => ({ p, imp: num(imp) })).sort((a, b) => (b.imp ?? 0) - (a.imp ?? 0));
  return chart('importance', 'Parameter importance', `Share of the objective's variance explained by each of ${values.length} params`, {
    width: WIDTH - 160, height: Math.max(40, 22 * values.length), data: { values },
    mark: { type: 'bar', color: COLOR.line },
    encoding: {
      y: { field: 'p', type: 'nominal', sort: '-x', title: null },
      x: { field: 'imp', type: 'quantitative', title: 'importance', axis: { format: '.0%' } },
      tooltip: [tip('p', 'param', undefined, 'nominal'), tip('imp', 'importance', '.1%')],
    },
  });
}

function objectiveColor(metric: string, dir: Dir): Record<string, unknown> {
  return { field: 'v', type: 'quantitative', title: metric, scale: { scheme: 'viridis', reverse: dir === 'minimize' } };
}

function parallelChart(complete: TrialPoint[], numeric: string[], dir: Dir, metric: string): ChartSpec {
  // the best (by the optimizer's ranking), drawn last: on top
  const kept = rankTrials(complete, [dir]).slice(0, PARALLEL_MAX).reverse();
  const fields = paramFields(numeric);
  const axes = new Map([...fields, [metric, 'v']]);
  const values = kept.map((t) => {
    const row: Record<string, number | null> = { n: t.number, v: first(t) };
    for (const [p, f] of fields) row[f] = val(t.params[p] as number | null);
    return row;
  });
  const keys = [...axes.values()];
  const x = { field: 'key', type: 'ordinal', sort: keys, title: null, scale: { padding: 0.1 }, axis: { labelExpr: labelLookup(axes), labelAngle: 0, labelLimit: 120, domain: false, ticks: false } };
  const caption = `${kept.length < complete.length ? `The ${count(kept.length)} best of ${count(complete.length)}` : `All ${count(kept.length)}`} complete trials; each axis scaled to its min–max`;
  return chart('parallel', 'Parallel coordinates', caption, {
    width: WIDTH, height: 280, data: { values },
    transform: [
      { fold: keys, as: ['key', 'value'] },
      { joinaggregate: [{ op: 'min', field: 'value', as: 'lo' }, { op: 'max', field: 'value', as: 'hi' }], groupby: ['key'] },
      { calculate: 'datum.hi > datum.lo ? (datum.value - datum.lo) / (datum.hi - datum.lo) : 0.5', as: 'norm' },
    ],
    layer: [
      { mark: { type: 'line', strokeWidth: 1, opacity: 0.5 }, encoding: { x, y: { field: 'norm', type: 'quantitative', title: null, axis: null, scale: { domain: [0, 1] } }, detail: { field: 'n', type: 'nominal' }, color: objectiveColor(metric, dir), tooltip: [tip('n', 'trial', FMT.int), tip('v', metric, FMT.num)] } },
      {
        transform: [{ aggregate: [{ op: 'min', field: 'value', as: 'lo' }, { op: 'max', field: 'value', as: 'hi' }], groupby: ['key'] }],
        layer: [
          { mark: { type: 'rule', color: '#666666' }, encoding: { x, y: { datum: 0 }, y2: { datum: 1 } } },
          { mark: { type: 'text', align: 'left', dx: 3, dy: 4, fontSize: 10 }, encoding: { x, y: { datum: 1 }, text: { field: 'hi', type: 'quantitative', format: FMT.num } } },
          { mark: { type: 'text', align: 'left', dx: 3, dy: -4, fontSize: 10 }, encoding: { x, y: { datum: 0 }, text: { field: 'lo', type: 'quantitative', format: FMT.num } } },
        ],
      },
    ],
  });
}

function contourChart(id: string, complete: TrialPoint[], a: string, b: string, dir: Dir, metric: string, why: string): ChartSpec {
  const values = complete.map((t) => ({ n: t.number, a: val(t.params[a] as number | null), b: val(t.params[b] as number | null), v: first(t) })).filter((r) => r.a !== null && r.b !== null);
  const bin = { maxbins: 20 };
  return chart(id, `${metric} over ${a} × ${b}`, `Mean ${metric} per cell (20 bins per axis) of ${count(values.length)} complete trials, trials as points; ${why}`, {
    width: WIDTH - 200, height: 300, data: { values },
    layer: [
      { mark: { type: 'rect' }, encoding: { x: { field: 'a', bin, type: 'quantitative', title: a }, y: { field: 'b', bin, type: 'quantitative', title: b }, color: { ...objectiveColor(metric, dir), aggregate: 'mean', title: `mean ${metric}` } } },
      { mark: { type: 'point', size: 6, color: 'black', opacity: 0.35, filled: true }, encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' }, tooltip: [tip('n', 'trial', FMT.int), tip('a', a, FMT.num), tip('b', b, FMT.num), tip('v', metric, FMT.num)] } },
    ],
  });
}

function sliceChart(complete: TrialPoint[], params: { name: string; numeric: boolean }[], total: number, metric: string): ChartSpec {
  const fields = paramFields(params.map((p) => p.name));
  const values = complete.map((t) => {
    const row: Record<string, number | string | null> = { n: t.number, v: first(t) };
    for (const [p, f] of fields) {
      const x = t.params[p];
      row[f] = typeof x === 'number' ? val(x) : x === null || x === undefined ? null : String(x);
    }
    return row;
  });
  const panels = params.map((p) => ({
    width: 200, height: 150,
    mark: { type: 'point', filled: true, size: 14, opacity: 0.6 },
    encoding: {
      x: p.numeric ? { field: fields.get(p.name), type: 'quantitative', title: p.name, scale: { zero: false } } : { field: fields.get(p.name), type: 'nominal', title: p.name, axis: { labelAngle: 0 } },
      y: { field: 'v', type: 'quantitative', title: metric, scale: { zero: false } },
      color: { field: 'n', type: 'quantitative', title: 'trial', scale: { scheme: 'blues' } },
      tooltip: [tip('n', 'trial', FMT.int), tip(fields.get(p.name) ?? '', p.name, p.numeric ? FMT.num : undefined, p.numeric ? 'quantitative' : 'nominal'), tip('v', metric, FMT.num)],
    },
  }));
  const capped = params.length < total ? `the ${params.length} most important of ${total} params` : `each of ${params.length} params`;
  return chart('slice', 'Objective by parameter', `${metric} of ${count(complete.length)} complete trials against ${capped}; darker = later trial`, {
    data: { values }, columns: 3, concat: panels, resolve: { scale: { y: 'shared' } },
  });
}

function paretoChart(input: OptimizeChartInput): ChartSpec {
  const [o1, o2] = input.objectives;
  const front = new Set(input.pareto);
  const values = input.trials
    .filter((t) => t.state === 'COMPLETE')
    .map((t) => ({ n: t.number, a: val(t.values?.[0] ?? null), b: val(t.values?.[1] ?? null), f: front.has(t.number) ? 'front' : 'dominated' }))
    .filter((r) => r.a !== null && r.b !== null);
  const x = { field: 'a', type: 'quantitative', title: `${o1.metric} (${o1.direction})`, scale: { zero: false } };
  const y = { field: 'b', type: 'quantitative', title: `${o2.metric} (${o2.direction})`, scale: { zero: false } };
  const nFront = values.filter((r) => r.f === 'front').length;
  return chart('pareto', 'Pareto front', `${count(values.length)} complete trials on the first two objectives; ${nFront} on the front, connected`, {
    width: WIDTH - 200, height: 320, data: { values },
    layer: [
      { transform: [{ filter: "datum.f === 'front'" }], mark: { type: 'line', color: COLOR.best, strokeWidth: 1.5 }, encoding: { x, y, order: { field: 'a', type: 'quantitative' } } },
      ...(['dominated', 'front'] as const).map((f) => ({
        name: `pareto_${f}`, transform: [{ filter: `datum.f === '${f}'` }], mark: { type: 'point', filled: true, size: f === 'front' ? 50 : 16, opacity: f === 'front' ? 1 : 0.6 },
        encoding: {
          x, y, color: { field: 'f', type: 'nominal', title: null, scale: { domain: ['front', 'dominated'], range: [COLOR.best, '#9aa5b1'] } },
          tooltip: [tip('n', 'trial', FMT.int), tip('a', o1.metric, FMT.num), tip('b', o2.metric, FMT.num), tip('f', 'pareto', undefined, 'nominal')],
        },
      })),
    ],
  });
}

function intermediateChart(withSteps: TrialPoint[], dir: Dir): ChartSpec {
  const sign = dir === 'maximize' ? 1 : -1;
  const score = (t: TrialPoint): number => first(t) ?? num(t.intermediate?.at(-1)?.value ?? null) ?? -sign * Infinity;
  let kept = withSteps;
  if (withSteps.length > INTERMEDIATE_MAX) {
    const chosen = new Set([...withSteps].sort((a, b) => sign * (score(b) - score(a))).slice(0, INTERMEDIATE_MAX / 2).map((t) => t.number));
    for (const t of [...withSteps].sort((a, b) => b.number - a.number)) if (chosen.size < INTERMEDIATE_MAX) chosen.add(t.number);
    kept = withSteps.filter((t) => chosen.has(t.number));
  }
  let thinned = 0;
  const values = kept.flatMap((t) => {
    const steps = [...(t.intermediate ?? [])].sort((a, b) => a.step - b.step);
    const idx = minMaxIndices(Float64Array.from(steps, (s) => s.value), STEPS_MAX / 4);
    if (idx.length < steps.length) thinned++;
    return Array.from(idx, (i) => ({ n: t.number, x: steps[i].step, y: val(steps[i].value) }));
  });
  const caps = [kept.length < withSteps.length ? `${count(kept.length)} of ${count(withSteps.length)} trials (the best and the most recent)` : `all ${count(kept.length)} trials`];
  if (thinned) caps.push(`${thinned} long curves reduced to first/min/max/last per bucket`);
  return chart('intermediate', 'Intermediate values', `Values reported for pruning per step, ${caps.join('; ')}`, {
    width: WIDTH, height: 260, data: { values }, datasets: { states: kept.map((t) => ({ n: t.number, s: t.state })) },
    transform: [{ lookup: 'n', from: { data: { name: 'states' }, key: 'n', fields: ['s'] } }],
    mark: { type: 'line', strokeWidth: 1, opacity: 0.6 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'step' },
      y: { field: 'y', type: 'quantitative', title: 'intermediate value', scale: { zero: false } },
      detail: { field: 'n', type: 'nominal' },
      color: stateScales(kept).color,
      tooltip: [tip('n', 'trial', FMT.int), tip('s', 'state', undefined, 'nominal'), tip('x', 'step', FMT.int), tip('y', 'value', FMT.num)],
    },
  });
}

/** The optimisation's charts, in display order (those without data are omitted). */
export function optimizeCharts(input: OptimizeChartInput): ChartSpec[] {
  const obj = input.objectives[0] ?? { metric: 'objective', direction: 'maximize' as const };
  const { metric, direction: dir } = obj;
  const complete = input.trials.filter((t) => t.state === 'COMPLETE' && first(t) !== null);
  const { numeric, slice, total, pairs, pairWhy } = paramChartInputs(complete, input.importance);
  const out: ChartSpec[] = [historyChart(input, dir, metric)];
  if (input.importance && Object.keys(input.importance).length > 0) out.push(importanceChart(input.importance));
  if (numeric.length > 0 && complete.length > 0) out.push(parallelChart(complete, numeric, dir, metric));
  pairs.forEach(([a, b], i) => out.push(contourChart(i === 0 ? 'contour' : 'contour-2', complete, a, b, dir, metric, pairWhy)));
  if (slice.length > 0 && complete.length > 0) out.push(sliceChart(complete, slice, total, metric));
  if (input.objectives.length >= 2) out.push(paretoChart(input));
  const withSteps = input.trials.filter((t) => (t.intermediate?.length ?? 0) > 0);
  if (withSteps.length > 0) out.push(intermediateChart(withSteps, dir));
  return out;
}
