import { z } from 'zod';
import { definitionRef, strategyInput, strategyInputName } from '../research/strategies.js';
import { backtest } from '../research/backtest.js';
import { executionInputSchema } from '../research/execution.js';
import { resolveChampionParams } from '../research/champions/index.js';
import { resolveDataset } from '../research/datasets.js';
import { isoDate, metricsLine } from './format.js';
import { datasetFields, paramsField } from './schemas.js';
import { defaultsTo, documented } from '../research/listing.js';
import { defineTool } from './types.js';
import { backtestOutput } from './outputs/basic.js';

export const backtestTool = defineTool({
  name: 'backtest',
  title: 'Run a backtest',
  description:
    'Backtests a strategy on a stored dataset and stores the run (identical requests come from the store): metrics, run_id. Then get_run, analyze_results.',
  doc:
    'Orders decided at a bar fill at the next bar\'s open; costs, sizing, stops and the profile come from `execution` (every key: tradelab://docs/execution). ' +
    'The result holds every metric, the trade count, open trades, skipped orders (with reasons) and warnings; `get_run {run_id, include: "trades"}` pages the trades, `"equity"` the equity curve. ' +
    'An identical request (strategy, params, dataset, range, execution, engine version) is answered from the store with `cached: true`. `store: false` runs without storing (no run_id). ' +
    '`params: "champion"` uses the current champion of the strategy/symbol/timeframe and reports its version.',
  tier: 'compute',
  app: true,
  inputSchema: {
    strategy: strategyInput,
    params: paramsField,
    ...datasetFields,
    execution: executionInputSchema.optional().describe('Costs, sizing, stops, profile.'),
    store: documented(defaultsTo(z.boolean().optional(), true), 'false: run without storing (no run_id, nothing in the trial ledger).'),
  },
  outputSchema: backtestOutput,
  annotations: { idempotentHint: true },
  handler(args, ctx) {
    let params: unknown = args.params;
    let championVersion: number | null = null;
    if (args.params === 'champion') {
      const ds = resolveDataset(ctx.app, args);
      const c = resolveChampionParams(ctx.app, strategyInputName(args.strategy), ds.symbol, ds.timeframe);
      params = c.params;
      championVersion = c.version;
    }
    const out = backtest(ctx.app, { ...args, params });
    const { resolved, result } = out;
    const ds = resolved.dataset;
    const data = {
      run_id: out.run_id,
      cached: out.cached,
      strategy: resolved.strategy.name,
      ...(definitionRef(resolved.strategy) ? { strategy_definition: definitionRef(resolved.strategy) } : {}),
      params: resolved.params,
      params_source: championVersion === null ? 'given' : `champion v${championVersion}`,
      champion_version: championVersion,
      dataset: { id: ds.id, symbol: ds.symbol, timeframe: ds.timeframe, version: ds.version, content_hash: ds.content_hash, synthetic: ds.is_synthetic },
      range: { from: isoDate(resolved.candles.time[0]), to: isoDate(resolved.candles.time[resolved.candles.time.length - 1]), bars: resolved.candles.time.length, warmup_bar: result.warmup },
      execution: resolved.execution,
      metrics: result.metrics,
      trades: result.trades.length,
      open_trades: result.open_trades,
      skipped_orders: { count: result.skipped.length, first: result.skipped.slice(0, 5) },
      warnings: result.warnings,
      next: out.run_id ? `get_run {"run_id": "${out.run_id}", "include": "trades"} pages through the trades` : 'not stored (store: false)',
    };
    const text =
      (championVersion === null ? '' : `Champion v${championVersion} params. `) +
      `${resolved.strategy.name} ${JSON.stringify(resolved.params)} on ${ds.symbol} ${ds.timeframe} (dataset #${ds.id})${ds.is_synthetic ? ' (synthetic demo data)' : ''}, ${data.range.bars} bars: ` +
      `${metricsLine(result.metrics)}.` +
      (result.warnings.length ? ` Warnings: ${result.warnings.join(' | ')}.` : '') +
      ` run_id ${out.run_id ?? '(not stored)'}${out.cached ? ' (from the store)' : ''}.`;
    return { text, data };
  },
});
