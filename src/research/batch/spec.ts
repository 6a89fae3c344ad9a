/**
 * The input of a batch (tool `backtest_batch`, `tradelab batch`, scenario files): either a
 * cartesian product — strategies × parameter sets × datasets, the datasets given as symbols ×
 * timeframes or as a list of `pairs` ({symbol, timeframe}) — or an explicit list of items, or
 * both (the items are appended). Every field is described and bounded.
 */
import { strategyInput } from '../strategies.js';
import { z } from 'zod';
import { executionFieldsSchema } from '../execution.js';
import { defaultIsResolved, documented, listedAs } from '../listing.js';
import { DEFAULT_MATRIX_METRICS, RANK_ORDERS } from './metrics.js';

const paramSet = z.record(z.string(), z.unknown());
/** A parameter set, or "champion": the current champion of the item's strategy/symbol/timeframe. */
const paramSetOrChampion = listedAs(z.union([paramSet, z.literal('champion')]), { type: ['object', 'string'] });
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
    execution: executionFieldsSchema.optional().describe('Keys of backtest.execution, merged over the batch `execution`.'),
  })
  .strict();

export type BatchItemInput = z.infer<typeof batchItemSchema>;

export const strategyEntrySchema = z
  .object({
    strategy: strategyInput,
    param_sets: z.array(paramSetOrChampion).min(1).max(500).optional().describe('Param sets (default: the defaults) or "champion" (per symbol/timeframe).'),
  })
  .strict();

/** One dataset of a product given as a pair (e.g. EURUSD 1h and GOOG 1d in one batch). */
export const pairSchema = z.object({ symbol: z.string().min(1).max(64), timeframe: z.string().min(1).max(8) }).strict();
/** As many pairs as the largest symbols × timeframes product (200 × 20). */
export const MAX_PAIRS = 4000;

/** The batch input as a raw zod shape (the MCP tool's input schema). */
/**
 * The defaults of a batch's ranking options, said in its schema and applied by planBatch: not
 * filled in by the parser, because a scenario's own `rank_by` / `top` apply to its batch
 * unless the batch says otherwise (an absent field must stay absent until then).
 */
export const BATCH_DEFAULTS = { rank_by: 'sharpe', top: 10 } as const;

export const batchShape = {
  strategy: strategyInput.optional(),
  param_sets: z.array(paramSetOrChampion).min(1).max(500).optional().describe('Params each (default: the defaults) or "champion".'),
  strategies: documented(
    listedAs(z.array(strategyEntrySchema).min(1).max(20), { type: 'array', items: { type: 'object' } })
      .optional()
      .describe('[{strategy, param_sets?}].'),
    'Instead of (or besides) `strategy` + `param_sets`: each strategy with its own param sets (default: its defaults; "champion": the current champion per symbol/timeframe), all over the same datasets.',
  ),
  symbols: z.array(z.string().min(1).max(64)).min(1).max(200).optional().describe('× timeframes.'),
  timeframes: documented(z.array(z.string().min(1).max(8)).min(1).max(20).optional(), 'With symbols: every symbol in every timeframe.'),
  pairs: documented(
    listedAs(z.array(pairSchema).min(1).max(MAX_PAIRS), { type: 'array', items: { type: 'object' } })
      .optional()
      .describe('[{symbol, timeframe}]: instead of symbols × timeframes.'),
    'The datasets of the product as a list, e.g. [{"symbol": "EURUSD", "timeframe": "1h"}, {"symbol": "GOOG", "timeframe": "1d"}]: each pair once, not every symbol with every timeframe. Not together with symbols or timeframes.',
  ),
  items: documented(
    listedAs(z.array(batchItemSchema).min(1).max(5000), { type: 'array', items: { type: 'object' } })
      .optional()
      .describe('Explicit backtests {strategy, params, symbol, timeframe, from, to, execution, label, …}.'),
    'Each item is one backtest with its own strategy, params, dataset, range and execution (merged over the batch `execution`); from/to default to the batch\'s.',
  ),
  from: bound.optional().describe('Inclusive: YYYY-MM-DD, ISO-8601 or epoch ms.'),
  to: bound.optional().describe('Exclusive.'),
  execution: executionFieldsSchema.optional().describe('Keys of backtest.execution.'),
  metrics: documented(
    z.array(z.string().min(1).max(40)).min(1).max(16).optional().describe('Matrix columns.'),
    `Metric keys shown in the comparison matrix (default ${DEFAULT_MATRIX_METRICS.join(', ')}); rank_by is added when missing.`,
  ),
  rank_by: documented(defaultIsResolved(z.string().min(1).max(40).optional(), BATCH_DEFAULTS.rank_by), 'The metric the items are ranked by (a key a backtest reports; a wrong name is refused with the closest one).'),
  rank_order: documented(
    z.enum(RANK_ORDERS).optional(),
    'desc (higher is better) by default; asc for the lower-is-better metrics brier, ece, volatility_ann_pct, commissions and the two drawdown durations.',
  ),
  concurrency: z.number().int().min(1).max(64).optional().describe('Default: workers.'),
  n_workers: documented(
    z.literal('external').optional(),
    "'external' queues the items in the shared PostgreSQL storage (a server started with TRADELAB_DATABASE_URL): `tradelab worker` processes on any machines run them, and each item is stored here as a child run as usual.",
  ),
  top: defaultIsResolved(z.number().int().min(1).max(100).optional(), BATCH_DEFAULTS.top).describe('Ranked items shown.'),
  label: documented(z.string().max(120).optional(), 'A name for the batch, shown in its summary.'),
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
