/**
 * `ensemble`: an equal-weight portfolio of 2–20 members, rebalanced to equal weights at
 * every day end (see ensemble-math.ts for the method). Members are stored backtest run
 * ids (re-run through the batch, which answers them from the store), backtest specs, or the
 * top N succeeded items of an earlier scenario of the same file.
 */
import { loadRunResult, runBars } from '../run-result.js';
import { UserError } from '../errors.js';
import { getRun } from '../../storage/runs.js';
import type { App } from '../app.js';
import type { ItemResult } from '../batch/rank.js';
import type { BatchItemInput } from '../batch/spec.js';
import { datasetOf, fail, type BuiltScenario, type ScenarioContext } from './context.js';
import { equalWeightEnsemble, type EquitySeries } from './ensemble-math.js';
import type { EnsembleInput } from './schema.js';

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** A stored backtest run as a batch item (same strategy, params, data, range, execution). */
function itemOfRun(ctx: ScenarioContext, runId: string, key: string): BatchItemInput {
  const run = getRun(ctx.app.db, runId);
  if (!run || run.kind !== 'backtest') throw fail(ctx, key, runId, run ? `run is a ${run.kind} run` : 'no run has this id', 'the run_id of a stored backtest (list_runs kind=backtest)');
  const tag = run.spec.batch_item as { cached_from?: string } | undefined;
  if (tag?.cached_from) return itemOfRun(ctx, tag.cached_from, key);
  if (run.status !== 'succeeded') throw fail(ctx, key, runId, `the run ${run.status}`, 'a succeeded backtest run');
  const range = (run.spec.range ?? {}) as { from?: unknown; to?: unknown };
  return {
    label: `run ${run.id}`,
    strategy: String(run.spec.strategy),
    params: run.spec.params as Record<string, unknown>,
    dataset_id: num(run.spec.dataset_id),
    from: num(range.from),
    to: num(range.to),
    execution: run.spec.execution as BatchItemInput['execution'],
  };
}

/** The equity curve of a stored backtest run with the bar times it covers. */
export function runEquity(app: App, runId: string): (EquitySeries & { cash: number }) | string {
  const run = getRun(app.db, runId);
  let r;
  try {
    r = loadRunResult(app, runId);
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  if (!run || !r) return `run ${runId} has no stored result`;
  let bars;
  try {
    bars = runBars(app, run).bars;
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  if (bars.time.length !== r.equity.length) return `run ${runId}: ${r.equity.length} equity values for ${bars.time.length} bars`;
  const cash = num((run.spec.execution as Record<string, unknown> | undefined)?.cash) ?? r.equity[0];
  return { time: bars.time, equity: r.equity, cash };
}

export function buildEnsemble(ctx: ScenarioContext, e: EnsembleInput): BuiltScenario {
  const s = ctx.shared;
  let items: BatchItemInput[];
  if (e.from_scenario !== undefined) {
    const prev = ctx.earlier.get(e.from_scenario);
    if (!prev) throw fail(ctx, 'ensemble.from_scenario', e.from_scenario, 'that scenario has not run (it failed or comes later)');
    const ok = prev.ranked.filter((r) => r.status === 'ok' && r.run_id !== null).slice(0, e.top);
    if (ok.length < 2) throw fail(ctx, 'ensemble.from_scenario', e.from_scenario, `that scenario has ${ok.length} succeeded item(s); an ensemble needs at least 2`);
    items = ok.map((r) => ({ ...itemOfRun(ctx, r.run_id as string, 'ensemble.from_scenario'), label: `${e.from_scenario} #${r.i}${r.label ? ` ${r.label}` : ''}` }));
  } else {
    items = (e.members ?? []).map((m, k) => {
      if (typeof m === 'string') return itemOfRun(ctx, m, `ensemble.members.${k}`);
      const hasData = m.dataset_id !== undefined || m.symbol !== undefined;
      return {
        ...(hasData ? {} : datasetOf(s.dataset)),
        from: s.from,
        to: s.to,
        ...m,
        label: m.label ?? `member ${k}`,
        execution: s.execution || m.execution ? { ...s.execution, ...m.execution } : undefined,
      };
    });
  }
  const info = { weights: e.weights, rebalancing: 'daily (equal weights reset at every UTC day end)', members: items.length, ...(e.from_scenario ? { from_scenario: e.from_scenario, top: e.top } : {}) };
  return {
    items,
    info,
    report: (results: readonly ItemResult[]) => {
      const ok = results.filter((r) => r.status === 'ok' && r.run_id !== null);
      const curves = ok.map((r) => ({ r, c: runEquity(ctx.app, r.run_id as string) }));
      const bad = curves.filter((x) => typeof x.c === 'string').map((x) => x.c as string);
      const good = curves.filter((x): x is { r: ItemResult; c: EquitySeries & { cash: number } } => typeof x.c !== 'string');
      const left = results.length - good.length;
      if (good.length < 2) return { ensemble: { ...info, metrics: null, reason: `only ${good.length} member(s) succeeded; an ensemble needs 2`, problems: bad } };
      try {
        const ens = equalWeightEnsemble(good.map((x) => x.c), good[0].c.cash);
        const days = ens.days;
        return {
          ensemble: {
            ...info,
            used: good.length,
            left_out: left,
            first_day: new Date(days[0]).toISOString().slice(0, 10),
            last_day: new Date(days[days.length - 1]).toISOString().slice(0, 10),
            metrics: ens.metrics,
            warnings: ens.warnings,
            avg_correlation: ens.avg_correlation,
            members: good.map((x, k) => ({ i: x.r.i, label: x.r.label, run_id: x.r.run_id, metrics: ens.members[k].metrics })),
            ...(bad.length ? { problems: bad } : {}),
          },
        };
      } catch (err) {
        return { ensemble: { ...info, metrics: null, reason: (err as Error).message } };
      }
    },
  };
}
