/**
 * The input of a batch (tool `backtest_batch`, `tradelab batch`, scenario files): either a
 * cartesian product — strategies × parameter sets × symbols × timeframes — or an explicit
 * list of items, or both (the items are appended). Every field is described and bounded.
 */
import { strategyInput } from '../strategies.js';
import { z } from 'zod';
import { executionFieldsSchema } from '../execution.js';
import { RANK_ORDERS } from './metrics.js';

const paramSet = z.record(z.string(), z.unknown());
/** A parameter set, or "champion": the current champion of the item's strategy/symbol/timeframe. */
const paramSetOrChampion = z.union([paramSet, z.literal('champion')]);
const bound = z.union([z.string().max(40), z.number()]);

export const batchItemSchema = z
  .object({
    label: z.string().max(120).optional().describe('A name for this item in tables.'),
    strategy: strategyInput,
    params: paramSetOrChampion.optional().describe('Strategy parameters (defaults fill the rest), or "champion".'),
    dataset_id: z.number().int().min(1).optional().describe('Dataset id (alternative to symbol + timeframe).'),
    symbol: z.string().min(1).max(64).optional().describe('Symbol of a stored dataset.'),
    timeframe: z.string().min(1).max(8).optional().describe('Timeframe of the dataset.'),
    version: z.number().int().min(1).optional().describe('Dataset version (default: the latest).'),
    from: bound.optional().describe('Start of the range, inclusive (default: the batch `from`).'),
    to: bound.optional().describe('End of the range, exclusive (default: the batch `to`).'),
    execution: executionFieldsSchema.optional().describe('Execution overrides for this item: keys of `execution`, merged over it.'),
  })
  .strict();

export type BatchItemInput = z.infer<typeof batchItemSchema>;

export const strategyEntrySchema = z
  .object({
    strategy: strategyInput,
    param_sets: z.array(paramSetOrChampion).min(1).max(500).optional().describe('Parameter sets of this strategy (default: one set, the defaults); "champion" = the current champion per symbol/timeframe.'),
  })
  .strict();

/** The batch input as a raw zod shape (the MCP tool's input schema). */
export const batchShape = {
  strategy: strategyInput.optional(),
  param_sets: z
    .array(paramSetOrChampion)
    .min(1)
    .max(500)
    .optional()
    .describe('Parameter sets of `strategy` (default: its defaults), e.g. [{"fast":10,"slow":30},{"fast":20,"slow":50}]; "champion" = the current champion of each symbol/timeframe.'),
  strategies: z.array(strategyEntrySchema).min(1).max(20).optional().describe('Several strategies, each with its own param_sets.'),
  symbols: z.array(z.string().min(1).max(64)).min(1).max(200).optional().describe('Symbols of stored datasets, e.g. ["DEMO-BTC"].'),
  timeframes: z.array(z.string().min(1).max(8)).min(1).max(20).optional().describe('Timeframes, e.g. ["1h","4h"].'),
  items: z.array(batchItemSchema).min(1).max(5000).optional().describe('Explicit items (strategy, params, dataset), appended to the product.'),
  from: bound.optional().describe('Start of the range, inclusive: YYYY-MM-DD, ISO-8601 or epoch ms.'),
  to: bound.optional().describe('End of the range, exclusive.'),
  execution: executionFieldsSchema
    .optional()
    .describe('Execution spec for every item (the keys of backtest.execution).'),
  metrics: z.array(z.string().min(1).max(40)).min(1).max(16).optional().describe('Matrix columns (default return_pct, sharpe, sortino, max_drawdown_pct, win_rate_pct, profit_factor, trades, score).'),
  rank_by: z.string().min(1).max(40).optional().describe('Metric to rank by (default sharpe).'),
  rank_order: z.enum(RANK_ORDERS).optional().describe('desc = higher is better (default, except volatility, durations and commissions).'),
  concurrency: z.number().int().min(1).max(64).optional().describe('Items evaluated at once (default: the server’s worker count).'),
  top: z.number().int().min(1).max(100).optional().describe('Ranked items in the result (default 10); get_run include=items pages the rest.'),
  label: z.string().max(120).optional().describe('A name for the batch.'),
};

export const batchSpecSchema = z.object(batchShape).strict();
export type BatchSpecInput = z.infer<typeof batchSpecSchema>;

/** One item to run, after expansion. */
export interface BatchItemSpec {
  /** Position in the batch (0-based). */
  readonly i: number;
  readonly label: string | null;
  /** The strategy's name (an inline document's own name). */
  readonly strategy: string;
  /** An inline strategy-language document (compute tier; not stored), when the item has one. */
  readonly strategy_input?: Record<string, unknown>;
  readonly params?: Record<string, unknown> | 'champion';
  readonly dataset_id?: number;
  readonly symbol?: string;
  readonly timeframe?: string;
  readonly version?: number;
  readonly from?: string | number;
  readonly to?: string | number;
  readonly execution?: Record<string, unknown>;
}
