/** Input fields shared by several tools, each described and bounded. */
import { z } from 'zod';

export const datasetFields = {
  dataset_id: z.number().int().min(1).optional().describe('Dataset id from list_datasets (or symbol + timeframe).'),
  symbol: z.string().min(1).max(64).optional().describe('Dataset symbol, e.g. DEMO-BTC.'),
  timeframe: z.string().min(1).max(8).optional().describe('Dataset timeframe, e.g. 1h.'),
  version: z.number().int().min(1).optional().describe('Dataset version (default latest).'),
  from: z.string().max(40).optional().describe('Start (inclusive): YYYY-MM-DD, ISO-8601 or epoch ms.'),
  to: z.string().max(40).optional().describe('End (exclusive), same forms.'),
};

export const pagingFields = {
  cursor: z.string().max(20).optional().describe('From next_cursor.'),
  limit: z.number().int().min(1).max(500).optional().describe('Page size (default 50).'),
};

export const paramsField = z
  .union([z.record(z.string(), z.unknown()), z.literal('champion')])
  .optional()
  .describe('Params (defaults fill the rest; see list_strategies) or "champion".');
