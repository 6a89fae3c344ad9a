/** Input fields shared by several tools, each described and bounded. */
import { z } from 'zod';

export const datasetFields = {
  dataset_id: z.number().int().min(1).optional().describe('Dataset id from list_datasets (alternative to symbol + timeframe).'),
  symbol: z.string().min(1).max(64).optional().describe('Symbol of a stored dataset, e.g. DEMO-BTC.'),
  timeframe: z.string().min(1).max(8).optional().describe('Timeframe of the dataset, e.g. 1h, 1d.'),
  version: z.number().int().min(1).optional().describe('Dataset version (default: the latest).'),
  from: z.string().max(40).optional().describe('Start of the range, inclusive: YYYY-MM-DD, ISO-8601 or epoch ms.'),
  to: z.string().max(40).optional().describe('End of the range, exclusive: YYYY-MM-DD, ISO-8601 or epoch ms.'),
};

export const pagingFields = {
  cursor: z.string().max(20).optional().describe('Cursor from a previous page (next_cursor).'),
  limit: z.number().int().min(1).max(500).optional().describe('Items per page (default 50, max 500).'),
};

export const paramsField = z
  .union([z.record(z.string(), z.unknown()), z.literal('champion')])
  .optional()
  .describe('Strategy parameters (defaults fill the rest; see list_strategies), or "champion" for the current champion of this strategy/symbol/timeframe.');
