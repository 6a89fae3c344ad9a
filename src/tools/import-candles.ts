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
  title: 'Import candles',
  description:
    'Stores CSV candles (timestamp,open,high,low,close,volume) as a dataset, all-or-nothing; same content: no-op, else a new version.',
  doc:
    'Header names are case-insensitive, with the aliases date/time for timestamp and vol for volume; timestamps are ISO-8601 or epoch seconds/milliseconds. ' +
    'A bad row imports nothing, and the error gives its line number. At most 7,000,000 characters and limits.max_inline_rows rows per call, within limits.max_body_bytes per message (server_info). ' +
    'The dataset is content-hashed: importing the same candles again changes nothing; other candles for the same symbol/timeframe become a new version (list_datasets).',
  tier: 'write',
  inputSchema: {
    csv: z.string().min(1).max(MAX_CSV_CHARS).describe('≤ limits.max_inline_rows rows.'),
    symbol: z.string().min(1).max(64).describe('e.g. BTC-USD.'),
    timeframe: z.string().min(1).max(8).describe('e.g. 1h, 1d.'),
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
