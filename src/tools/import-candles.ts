import { z } from 'zod';
import { importCsvText } from '../research/datasets.js';
import { isoDate } from './format.js';
import { defineTool } from './types.js';
import { importCandlesOutput } from './outputs/basic.js';

/**
 * The most characters of CSV text one call takes. With the default limits.max_body_bytes
 * (8,000,000 bytes per HTTP body or stdio line) a CSV this long fits in one message with
 * room for JSON escaping (up to 100,000 rows of `\n` or `\r\n` and tab separators).
 */
export const MAX_CSV_CHARS = 7_000_000;

export const importCandlesTool = defineTool({
  name: 'import_candles',
  title: 'Import candles from CSV text',
  description:
    'Stores a candle series from CSV text with a header `timestamp,open,high,low,close,volume` (ISO-8601 or epoch s/ms; case-insensitive; aliases date/time/vol). ' +
    'All-or-nothing: any invalid row (line-numbered in the error) imports nothing. Same content as a stored version is a no-op; different content becomes a new version.',
  tier: 'write',
  inputSchema: {
    csv: z.string().min(1).max(MAX_CSV_CHARS).describe(`The CSV text: at most ${MAX_CSV_CHARS} characters and limits.max_inline_rows rows (server_info); the whole request must fit limits.max_body_bytes.`),
    symbol: z.string().min(1).max(64).describe('Symbol to store it under, e.g. BTC-USD.'),
    timeframe: z.string().min(1).max(8).describe('Bar size, e.g. 1m, 5m, 1h, 1d.'),
    source: z.string().max(200).optional().describe('Where the data came from (stored as provenance).'),
  },
  outputSchema: importCandlesOutput,
  annotations: { idempotentHint: true, destructiveHint: false },
  handler(args, ctx) {
    const r = importCsvText(ctx.app, args.csv, { symbol: args.symbol, timeframe: args.timeframe, source: args.source ?? 'import_candles tool', maxRows: ctx.app.config.limits.max_inline_rows });
    const d = r.dataset;
    const data = {
      created: r.created,
      dataset: { id: d.id, symbol: d.symbol, timeframe: d.timeframe, version: d.version, bars: d.rows, first: isoDate(d.first_time), last: isoDate(d.last_time), content_hash: d.content_hash },
      warnings: r.warnings,
    };
    const text = r.created
      ? `Imported ${d.rows} bars as dataset #${d.id} (${d.symbol} ${d.timeframe} v${d.version}).`
      : `Identical content is already stored as dataset #${d.id} (${d.symbol} ${d.timeframe} v${d.version}); nothing changed.`;
    return { text, data };
  },
});
