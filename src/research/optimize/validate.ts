/**
 * Explore → validate (the seed projects' flow): re-run the top K trials of a study on a
 * later holdout window and mark which passed. Only passed trials are promotion candidates.
 * `top` is the study's ranking of distinct configurations (rankDistinct), so K trials are
 * K different configurations.
 */
import { strategyRequest } from '../strategies.js';
import { unflatten } from '../../engine/optimizer/paths.js';
import type { FrozenTrial } from '../../engine/optimizer/trial.js';
import type { App } from '../app.js';
import { backtest } from '../backtest.js';
import { resolveRange } from '../datasets.js';
import { UserError } from '../errors.js';
import type { ResolvedTask } from './resolve.js';

export interface ValidatedTrial {
  readonly number: number;
  readonly params: Record<string, unknown>;
  readonly passed: boolean;
  readonly reasons: string[];
  readonly holdout_run_id: string | null;
  readonly holdout: { from: string; to: string | null };
  readonly metrics: Record<string, number | null>;
}

export function validateTop(app: App, r: ResolvedTask, top: readonly FrozenTrial[], runId: string): ValidatedTrial[] {
  const v = r.task.validate!;
  const hold = resolveRange(v.holdout);
  const isEnd = r.candles.time[r.candles.time.length - 1];
  if (hold.from === null || hold.from <= isEnd) {
    throw new UserError('validate.holdout.from must be after the in-sample range', {
      field: 'validate.holdout.from',
      value: v.holdout.from,
      expected: `a date after the last in-sample bar ${new Date(isEnd).toISOString()} (set \`to\` on the task to end the in-sample range earlier)`,
    });
  }
  const minSharpe = v.min_sharpe;
  const minTrades = v.min_trades;
  return top.slice(0, v.top_k).map((t) => {
    const params = unflatten(t.params, { ...r.defaults, ...r.fixed });
    const out = backtest(app, { ...strategyRequest(r.strategy), params, dataset_id: r.dataset.id, from: v.holdout.from, to: v.holdout.to, execution: r.task.execution, parent_id: runId, ledger_source: 'holdout' });
    const m = out.result.metrics;
    const reasons: string[] = [];
    const sharpe = m.sharpe ?? null;
    const trades = m.trades ?? 0;
    if (sharpe === null || sharpe < minSharpe) reasons.push(`holdout sharpe ${sharpe === null ? 'undefined' : sharpe.toFixed(3)} < ${minSharpe}`);
    if (trades < minTrades) reasons.push(`holdout trades ${trades} < ${minTrades}`);
    if ((m.return_pct ?? 0) <= 0) reasons.push(`holdout return ${(m.return_pct ?? 0).toFixed(2)} % <= 0`);
    return {
      number: t.number,
      params,
      passed: reasons.length === 0,
      reasons,
      holdout_run_id: out.run_id,
      holdout: { from: new Date(hold.from as number).toISOString(), to: hold.to === null ? null : new Date(hold.to).toISOString() },
      metrics: { return_pct: m.return_pct ?? null, sharpe, max_drawdown_pct: m.max_drawdown_pct ?? null, trades: m.trades ?? null },
    };
  });
}
