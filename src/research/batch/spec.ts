/**
 * The input of a batch (tool `backtest_batch`, `tradelab batch`, scenario files): either a
 * cartesian product — strategies × parameter sets × datasets, the datasets given as symbols ×
 * timeframes or as a list of `pairs` ({symbol, timeframe}) — or an explicit list of items, or
 * both (the items are appended). Every field is described and bounded.
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
    label: z.string().max(120).optional().describe('Item name in tables.'),
    strategy: strategyInput,
    params: paramSetOrChampion.optional().describe('Params (defaults fill the rest) or "champion".'),
    dataset_id: z.number().int().min(1).optional().describe('Or symbol + timeframe.'),
    symbol: z.string().min(1).max(64).optional().describe('Dataset symbol.'),
    timeframe: z.string().min(1).max(8).optional().describe('Dataset timeframe.'),
    version: z.number().int().min(1).optional().describe('Dataset version (default latest).'),
    from: bound.optional().describe('Default: batch `from`.'),
    to: bound.optional().describe('Default: batch `to`.'),
    execution: executionFieldsSchema.optional().describe('Merged over the batch `execution`.'),
  })
  .strict();

export type BatchItemInput = z.infer<typeof batchItemSchema>;

/** One dataset of a product given as a pair (e.g. EURUSD 1h and GOOG 1d in one batch). */
export const pairSchema = z.object({ symbol: z.string().min(1).max(64), timeframe: z.string().min(1).max(8) }).strict();
/** As many pairs as the largest symbols × timeframes product (200 × 20). */
export const MAX_PAIRS = 4000;

export const strategyEntrySchema = z
  .object({
    strategy: strategyInput,
    param_sets: z.array(paramSetOrChampion).min(1).max(500).optional().describe('Param sets (default: the defaults) or "champion" (per symbol/timeframe).'),
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
    .describe('Param sets (default: the defaults) or "champion" (per symbol/timeframe).'),
  strategies: z.array(strategyEntrySchema).min(1).max(20).optional().describe('Several strategies, each with param_sets.'),
  symbols: z.array(z.string().min(1).max(64)).min(1).max(200).optional().describe('Dataset symbols.'),
  timeframes: z.array(z.string().min(1).max(8)).min(1).max(20).optional().describe('Dataset timeframes.'),
  pairs: z.array(pairSchema).min(1).max(MAX_PAIRS).optional().describe('Instead of symbols × timeframes: [{symbol, timeframe}, …].'),
  items: z.array(batchItemSchema).min(1).max(5000).optional().describe('Explicit items, appended to the product.'),
  from: bound.optional().describe('Start (inclusive): YYYY-MM-DD, ISO-8601 or epoch ms.'),
  to: bound.optional().describe('End (exclusive).'),
  execution: executionFieldsSchema
    .optional()
    .describe('As backtest execution.'),
  metrics: z.array(z.string().min(1).max(40)).min(1).max(16).optional().describe('Matrix columns (default return_pct, sharpe, sortino, max_drawdown_pct, win_rate_pct, profit_factor, trades, score).'),
  rank_by: z.string().min(1).max(40).optional().describe('Ranking metric (default sharpe).'),
  rank_order: z.enum(RANK_ORDERS).optional().describe('Default desc (higher better) except volatility, durations, commissions.'),
  concurrency: z.number().int().min(1).max(64).optional().describe('Items at once (default: worker count).'),
  top: z.number().int().min(1).max(100).optional().describe('Ranked items shown (default 10); get_run include=items pages all.'),
  label: z.string().max(120).optional().describe('Batch name.'),
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
