/** A fresh engine run of a backtest request, never answered from the store: the reference curve of recompute tests. */
import { runBacktest } from '../../src/engine/backtest/run.js';
import type { BacktestResult } from '../../src/engine/backtest/types.js';
import type { App } from '../../src/research/app.js';
import { resolveBacktest, type BacktestRequest } from '../../src/research/backtest.js';

export function freshRun(app: App, req: BacktestRequest): BacktestResult {
  const r = resolveBacktest(app, req);
  return runBacktest(r.candles, r.strategy, r.params, r.execution);
}
