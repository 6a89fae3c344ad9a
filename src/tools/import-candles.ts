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
    'Stores candles from CSV, header timestamp,open,high,low,close,volume (ISO-8601 or epoch s/ms; case-insensitive; aliases date/time/vol). ' +
    'All-or-nothing: a bad row (line number in error) imports nothing. Same content: no-op; else a new version.',
  tier: 'write',
  inputSchema: {
    csv: z.string().min(1).max(MAX_CSV_CHARS).describe(`Max ${MAX_CSV_CHARS} chars, limits.max_inline_rows rows, limits.max_body_bytes per request (server_info).`),
    symbol: z.string().min(1).max(64).describe('Symbol to store under, e.g. BTC-USD.'),
    timeframe: z.string().min(1).max(8).describe('Bar size, e.g. 1m, 1h, 1d.'),
    source: z.string().max(200).optional().describe('Provenance.'),
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
