import { z } from 'zod';
import { importCsvText } from '../research/datasets.js';
import { isoDate } from './format.js';
import { defineTool } from './types.js';

export const importCandlesTool = defineTool({
  name: 'import_candles',
  title: 'Import candles from CSV text',
  description:
    'Stores a candle series from CSV text with a header `timestamp,open,high,low,close,volume` (ISO-8601 or epoch s/ms; case-insensitive; aliases date/time/vol). ' +
    'All-or-nothing: any invalid row (line-numbered in the error) imports nothing. Same content as a stored version is a no-op; different content becomes a new version.',
  tier: 'write',
  inputSchema: {
    csv: z.string().min(1).max(20_000_000).describe('The CSV text.'),
    symbol: z.string().min(1).max(64).describe('Symbol to store it under, e.g. BTC-USD.'),
    timeframe: z.string().min(1).max(8).describe('Bar size, e.g. 1m, 5m, 1h, 1d.'),
    source: z.string().max(200).optional().describe('Where the data came from (stored as provenance).'),
  },
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
