/** Input fields shared by several tools, each bounded (described where the name does not say it). */
import { z } from 'zod';
import { defaultsTo, documented, listedAs } from '../research/listing.js';

/** When a range is given by dates: the forms `from` and `to` accept. */
export const DATE_FORMS = 'YYYY-MM-DD, ISO-8601 or epoch ms';

export const datasetFields = {
  dataset_id: documented(z.number().int().min(1).optional().describe('Or symbol + timeframe.'), 'A stored dataset by id (list_datasets), instead of symbol + timeframe (+ version).'),
  symbol: documented(z.string().min(1).max(64).optional(), 'The dataset\'s symbol, e.g. DEMO-BTC (list_datasets), with timeframe.'),
  timeframe: documented(z.string().min(1).max(8).optional(), 'The dataset\'s timeframe, e.g. 1h, with symbol.'),
  version: z.number().int().min(1).optional().describe('Dataset version (default: latest).'),
  from: z.string().max(40).optional().describe(`Inclusive: ${DATE_FORMS}.`),
  to: z.string().max(40).optional().describe('Exclusive.'),
};

/** `cursor` and `limit` of a paged list; `size`: its default page size. */
export function pagingFields(size: number) {
  return {
    cursor: z.string().max(20).optional().describe('From next_cursor.'),
    limit: documented(defaultsTo(z.number().int().min(1).max(500).optional(), size), 'Items per page.'),
  };
}

/** A run id, as list_runs and the results name it. */
export const runIdField = documented(z.string().min(1).max(64), 'A run id (list_runs lists them; results name theirs).');

/** The key of a champion: strategy/symbol/timeframe. */
export const championKeyFields = {
  strategy: documented(z.string().min(1).max(64), 'The strategy of the champion key (strategy/symbol/timeframe).'),
  symbol: documented(z.string().min(1).max(64), 'The symbol of the champion key.'),
  timeframe: documented(z.string().min(1).max(8), 'The timeframe of the champion key.'),
};

export const paramsField = documented(
  listedAs(z.union([z.record(z.string(), z.unknown()), z.literal('champion')]), { type: ['object', 'string'] })
    .optional()
    .describe('Params or "champion".'),
  'Strategy params; the strategy\'s defaults fill the rest (list_strategies shows the schema, bounds and defaults). "champion": the current champion\'s params for this strategy/symbol/timeframe (the result names its version). Some clients send it as JSON text: text that parses as an object is used as that object.',
);
