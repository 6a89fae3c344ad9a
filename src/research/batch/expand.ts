/**
 * Expanding a batch spec into its items (strategies × param sets × datasets, the datasets
 * being symbols × timeframes or the listed `pairs`; then the explicit items), after checking
 * the item cap and the batch-wide options.
 */
import { UserError } from '../errors.js';
import { resolveExecution } from '../execution.js';
import { strategyInputName } from '../strategies.js';
import { checkMetric, DEFAULT_MATRIX_METRICS, defaultOrder, type MetricKey, type RankOrder } from './metrics.js';
import { BATCH_DEFAULTS, type BatchItemSpec, type BatchSpecInput } from './spec.js';

export interface BatchPlan {
  readonly items: BatchItemSpec[];
  readonly metrics: readonly MetricKey[];
  readonly rank_by: MetricKey;
  readonly rank_order: RankOrder;
  readonly top: number;
  readonly concurrency: number | null;
  readonly label: string | null;
}

interface Entry {
  readonly strategy: string;
  readonly strategy_input?: Record<string, unknown>;
  readonly sets: readonly (Record<string, unknown> | 'champion' | undefined)[];
}

/** A strategy input as an item carries it: its name, and an inline document when it is one. */
function named(input: string | Record<string, unknown>): { strategy: string; strategy_input?: Record<string, unknown> } {
  return typeof input === 'string' ? { strategy: input } : { strategy: strategyInputName(input), strategy_input: input };
}

function entries(spec: BatchSpecInput): Entry[] {
  const out: Entry[] = [];
  if (spec.strategy !== undefined) out.push({ ...named(spec.strategy), sets: spec.param_sets ?? [undefined] });
  else if (spec.param_sets !== undefined) {
    throw new UserError('param_sets needs a strategy', { field: 'param_sets', expected: 'a `strategy`, or per-strategy param_sets inside `strategies`' });
  }
  for (const s of spec.strategies ?? []) out.push({ ...named(s.strategy), sets: s.param_sets ?? [undefined] });
  return out;
}

interface Pair {
  readonly symbol: string;
  readonly timeframe: string;
}

/** The datasets of the product: the listed pairs, or symbols × timeframes (symbol-major). */
function datasetsOf(spec: BatchSpecInput): Pair[] {
  if (spec.pairs) return spec.pairs;
  return (spec.symbols ?? []).flatMap((symbol) => (spec.timeframes ?? []).map((timeframe) => ({ symbol, timeframe })));
}

/** Number of items the spec expands to, without building them. */
export function countItems(spec: BatchSpecInput): number {
  const datasets = spec.pairs ? spec.pairs.length : (spec.symbols?.length ?? 0) * (spec.timeframes?.length ?? 0);
  return entries(spec).reduce((n, e) => n + e.sets.length, 0) * datasets + (spec.items?.length ?? 0);
}

export function checkCap(count: number, cap: number): void {
  if (count > cap) {
    throw new UserError(`the batch has ${count} items, above the limit of ${cap} items per call`, {
      field: 'items',
      value: count,
      expected: `at most ${cap} items (strategies × param_sets × datasets (symbols × timeframes, or pairs) + items)`,
      hint: 'split it into several batches, or narrow the parameter sets',
    });
  }
}

export function planBatch(spec: BatchSpecInput, cap: number): BatchPlan {
  const es = entries(spec);
  const hasProduct = es.length > 0;
  if (spec.pairs && (spec.symbols || spec.timeframes)) {
    throw new UserError(`pairs and ${spec.symbols ? 'symbols' : 'timeframes'} given together: pairs lists the datasets itself, instead of symbols × timeframes`, {
      field: 'pairs',
      expected: 'either "pairs": [{"symbol": "EURUSD", "timeframe": "1h"}, {"symbol": "GOOG", "timeframe": "1d"}], or "symbols" and "timeframes" (every combination), not both',
    });
  }
  if (hasProduct && !spec.pairs && (!spec.symbols || !spec.timeframes)) {
    throw new UserError(`a product over strategies needs both symbols and timeframes, or pairs`, {
      field: spec.symbols ? 'timeframes' : 'symbols',
      expected: 'e.g. "symbols": ["DEMO-BTC"], "timeframes": ["1h"], or "pairs": [{"symbol": "DEMO-BTC", "timeframe": "1h"}]',
    });
  }
  if (!hasProduct && (spec.symbols || spec.timeframes || spec.pairs)) {
    const field = spec.pairs ? 'pairs' : 'symbols/timeframes';
    throw new UserError(`${field} need${spec.pairs ? 's' : ''} a strategy`, { field: 'strategy', expected: 'a `strategy` (with param_sets) or `strategies`' });
  }
  if (!hasProduct && !spec.items) {
    throw new UserError('the batch is empty', { field: 'strategy', expected: 'strategy + param_sets + symbols + timeframes (or pairs), or an `items` list' });
  }
  checkCap(countItems(spec), cap);
  // batch-wide options are checked once: a bad execution spec would fail every item alike
  if (spec.execution !== undefined) resolveExecution(spec.execution, 'execution');
  const metrics = (spec.metrics ?? DEFAULT_MATRIX_METRICS).map((m, k) => checkMetric(m, `metrics.${k}`));
  const rank_by = checkMetric(spec.rank_by ?? BATCH_DEFAULTS.rank_by, 'rank_by');
  const items: BatchItemSpec[] = [];
  const common = { from: spec.from, to: spec.to, execution: spec.execution };
  const datasets = datasetsOf(spec);
  for (const e of es) {
    for (const params of e.sets) {
      for (const { symbol, timeframe } of datasets) {
        items.push({ i: items.length, label: null, strategy: e.strategy, ...(e.strategy_input ? { strategy_input: e.strategy_input } : {}), params, symbol, timeframe, ...common });
      }
    }
  }
  for (const it of spec.items ?? []) {
    const execution = spec.execution || it.execution ? { ...spec.execution, ...it.execution } : undefined;
    items.push({ ...it, ...named(it.strategy), i: items.length, label: it.label ?? null, from: it.from ?? spec.from, to: it.to ?? spec.to, execution });
  }
  return {
    items,
    metrics: metrics.includes(rank_by) ? metrics : [rank_by, ...metrics],
    rank_by,
    rank_order: spec.rank_order ?? defaultOrder(rank_by),
    top: spec.top ?? BATCH_DEFAULTS.top,
    concurrency: spec.concurrency ?? null,
    label: spec.label ?? null,
  };
}
