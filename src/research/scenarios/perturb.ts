/**
 * `perturb`: a sensitivity check. The base configuration (explicit params, the strategy
 * defaults, or the current champion of a symbol/timeframe) is run together with, for each
 * numeric parameter in turn, the value times (1 − by) and times (1 + by), all other
 * parameters unchanged. Integer parameters (those the strategy's schema requires to be
 * integers) are rounded. A perturbed set the strategy rejects (e.g. fast ≥ slow) becomes a
 * failed item with the reason, not an error of the scenario.
 */
import { getPath, setPath } from '../../engine/optimizer/paths.js';
import type { StrategyDef } from '../../engine/strategies/types.js';
import { metricValue, type ItemResult } from '../batch/rank.js';
import { resolveStrategy } from '../strategy-params.js';
import { baseParams, datasetOf, fail, within, type BuiltScenario, type ScenarioContext } from './context.js';
import type { PerturbInput } from './schema.js';

/** Dotted paths of the numeric leaves of a params object (nested objects and arrays included). */
export function numericPaths(v: unknown, prefix = ''): string[] {
  if (typeof v === 'number') return prefix ? [prefix] : [];
  if (v === null || typeof v !== 'object') return [];
  const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v as Record<string, unknown>);
  return entries.flatMap(([k, x]) => numericPaths(x, prefix ? `${prefix}.${k}` : k));
}

/** True when the strategy's schema rejects a non-integer at `path` (an integer parameter). */
export function isIntegerParam(def: StrategyDef, params: Record<string, unknown>, path: string): boolean {
  const v = getPath(params, path) as number;
  for (const probe of [v + 0.5, v - 0.5]) {
    const r = def.params.safeParse(setPath(params, path, probe));
    if (r.success) return false;
    const hit = r.error.issues.some((i) => i.path.map(String).join('.') === path && i.code === 'invalid_type' && (i as { expected?: string }).expected === 'int');
    if (hit) return true;
  }
  return false;
}

export interface Perturbation {
  readonly path: string;
  readonly base: number;
  readonly integer: boolean;
  readonly minus: number;
  readonly plus: number;
}

export function perturbations(def: StrategyDef, params: Record<string, unknown>, by: number, only?: readonly string[]): { list: Perturbation[]; skipped: { path: string; reason: string }[] } {
  const paths = only ?? numericPaths(params);
  const list: Perturbation[] = [];
  const skipped: { path: string; reason: string }[] = [];
  for (const path of paths) {
    const base = getPath(params, path) as number;
    if (base === 0) {
      skipped.push({ path, reason: 'the value is 0, so ±by changes nothing' });
      continue;
    }
    const integer = isIntegerParam(def, params, path);
    const f = (x: number): number => (integer ? Math.round(x) : x);
    list.push({ path, base, integer, minus: f(base * (1 - by)), plus: f(base * (1 + by)) });
  }
  return { list, skipped };
}

function pct(by: number): string {
  return `${(by * 100).toPrecision(3).replace(/\.?0+$/, '')}%`;
}

export function buildPerturb(ctx: ScenarioContext, p: PerturbInput): BuiltScenario {
  const def = within(ctx, 'perturb.strategy', p.strategy, () => resolveStrategy(p.strategy, ctx.app.db));
  const { params: base, champion } = baseParams(ctx, 'perturb', def, p);
  for (const [k, path] of (p.only ?? []).entries()) {
    if (typeof getPath(base, path) !== 'number') throw fail(ctx, `perturb.only.${k}`, path, `not a numeric parameter of ${def.name}`, `one of ${numericPaths(base).join(', ')}`);
  }
  const { list, skipped } = perturbations(def, base, p.by, p.only);
  const ref = p.dataset ?? ctx.shared.dataset ?? (champion ? { symbol: champion.symbol, timeframe: champion.timeframe } : undefined);
  if (!ref) throw fail(ctx, 'perturb.dataset', undefined, 'no dataset to run on', '{symbol, timeframe} here, in the scenario or under defaults');
  const common = { strategy: def.name, ...datasetOf(ref), from: p.from ?? ctx.shared.from, to: p.to ?? ctx.shared.to, execution: ctx.shared.execution };
  const items = [{ ...common, label: champion ? `base (champion v${champion.version})` : 'base', params: base }];
  for (const q of list) {
    items.push({ ...common, label: `${q.path} -${pct(p.by)} (${q.base} → ${q.minus})`, params: setPath(base, q.path, q.minus) });
    items.push({ ...common, label: `${q.path} +${pct(p.by)} (${q.base} → ${q.plus})`, params: setPath(base, q.path, q.plus) });
  }
  const info = { strategy: def.name, by: p.by, base, champion, perturbed: list, skipped };
  const metric = ctx.shared.rank_by ?? 'sharpe';
  return {
    items,
    info,
    report: (results: readonly ItemResult[]) => {
      const b = results[0] ? metricValue(results[0], metric) : null;
      const side = (r: ItemResult | undefined, value: number) => {
        const v = r ? metricValue(r, metric) : null;
        return { value, status: r?.status ?? null, metric: v, change: v !== null && b !== null ? v - b : null, run_id: r?.run_id ?? null, error: r?.error ?? null };
      };
      const rows = list.map((q, k) => ({ path: q.path, base: q.base, integer: q.integer, minus: side(results[1 + 2 * k], q.minus), plus: side(results[2 + 2 * k], q.plus) }));
      // the parameter whose ±by moves the metric the most (largest absolute change on either side)
      let most: { path: string; change: number } | null = null;
      for (const r of rows) {
        for (const c of [r.minus.change, r.plus.change]) if (c !== null && (most === null || Math.abs(c) > Math.abs(most.change))) most = { path: r.path, change: c };
      }
      return { sensitivity: { metric, base: b, by: p.by, champion, rows, skipped, most_sensitive: most } };
    },
  };
}
