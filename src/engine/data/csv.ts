/**
 * CSV → Candles, all or nothing. The caller reads the file and hands over its text.
 *
 * Format: a header line naming timestamp, open, high, low, close and optionally volume
 * (case-insensitive, aliases in `HEADER_ALIASES`, extra columns ignored with a warning),
 * then one bar per line. Delimiter `,` `;` or tab (detected from the header), optional
 * UTF-8 BOM, LF / CRLF / CR line ends, RFC 4180 quotes within a line, blank lines skipped.
 * Timestamps: ISO-8601 (no zone = UTC, with a warning) or epoch numbers, seconds when
 * |value| < 1e11 else milliseconds, one unit for the whole file.
 *
 * Any error (bar rules in `validate.ts`) means no candles: the result lists up to
 * `maxErrors` (default 20) problems with 1-based file line numbers (header = line 1;
 * line 0 = an option, not a line); `omitted` counts the rest, and a final entry says so.
 */
import type { Candles } from './candles.js';
import { clip, CsvErrorLog, type CsvFailure } from './csv-errors.js';
import { detectDelimiter, splitFields } from './csv-fields.js';
import { mapHeader } from './csv-header.js';
import { CsvRows, type CsvLayout } from './csv-rows.js';
import { formatDuration, inferTimeframe, medianStep, parseTimeframe, type Timeframe } from './timeframe.js';
import { MAX_REPORTED_ERRORS } from './validate.js';

export type { CsvError } from './csv-errors.js';

export type ParseResult = { readonly ok: true; readonly candles: Candles; readonly rows: number; readonly warnings: string[] } | CsvFailure;

export interface ParseCsvOptions {
  readonly symbol: string;
  readonly timeframe: string;
  readonly maxErrors?: number;
}

const EXAMPLE_HEADER = 'timestamp,open,high,low,close,volume';

export function parseCandlesCsv(text: string, opts: ParseCsvOptions): ParseResult {
  const log = new CsvErrorLog(opts.maxErrors ?? MAX_REPORTED_ERRORS);
  const tf = checkOptions(text, opts, log);
  if (!log.empty || tf === undefined) return log.failure();
  const layout = readHeader(text, log);
  if (!layout) return log.failure();
  const rows = new CsvRows(layout, log);
  rows.readAll();
  if (rows.rows === 0) log.add({ line: layout.headerLine + 1, message: `no data rows after the header (line ${layout.headerLine})` });
  if (!log.empty) return log.failure();
  const candles: Candles = { symbol: opts.symbol.trim(), timeframe: tf.id, ...rows.columns.fit(rows.rows) };
  return { ok: true, candles, rows: rows.rows, warnings: warningsOf(rows, layout, candles, tf) };
}

/** The options and the text's type (callers from JavaScript); errors on line 0. */
function checkOptions(text: string, opts: ParseCsvOptions, log: CsvErrorLog): Timeframe | undefined {
  let tf: Timeframe | undefined;
  try {
    tf = parseTimeframe(opts.timeframe);
  } catch (e) {
    log.add({ line: 0, column: 'timeframe', value: String(opts.timeframe), message: e instanceof Error ? e.message : String(e) });
  }
  if (typeof opts.symbol !== 'string' || opts.symbol.trim() === '') log.add({ line: 0, column: 'symbol', value: String(opts.symbol), message: 'symbol must be a non-empty string' });
  if (typeof text !== 'string') log.add({ line: 0, message: 'the CSV content must be a string' });
  return tf;
}

/** The header (the first non-blank line, after an optional BOM): line ends, delimiter, columns. Null after an error. */
function readHeader(text: string, log: CsvErrorLog): CsvLayout | null {
  const len = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const nl = text.indexOf('\n') >= 0 ? '\n' : '\r';
  const crlf = nl === '\n';
  let headerLine = 0;
  let header = '';
  while (pos < len && header === '') {
    let end = text.indexOf(nl, pos);
    if (end < 0) end = len;
    headerLine++;
    const raw = text.substring(pos, crlf && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    pos = end + 1;
    if (raw.trim() !== '') header = raw;
  }
  if (header === '') {
    log.add({ line: 1, message: `the file is empty; expected a header line such as ${EXAMPLE_HEADER} and at least one row` });
    return null;
  }
  const delim = detectDelimiter(header);
  if (delim === null) {
    log.add({ line: headerLine, value: clip(header), message: `the header has a single column ${JSON.stringify(clip(header))}; expected comma-, semicolon- or tab-separated columns such as ${EXAMPLE_HEADER}` });
    return null;
  }
  const fields: string[] = [];
  const width = splitFields(header, delim, fields);
  const mapped = width < 0 ? ({ ok: false, message: 'the header has an unclosed quote' } as const) : mapHeader(fields.slice(0, width));
  if (!mapped.ok) {
    log.add({ line: headerLine, column: 'column' in mapped ? mapped.column : undefined, message: mapped.message });
    return null;
  }
  return { text, nl, delim, headerLine, width, map: mapped.map, rowsFrom: pos };
}

/** What was assumed, skipped or looks off in a file that parsed. */
function warningsOf(rows: CsvRows, layout: CsvLayout, candles: Candles, tf: Timeframe): string[] {
  const { index, ignored } = layout.map;
  const warnings = [...rows.times.warnings()];
  if (index.volume < 0) warnings.push('no volume column: volume set to 0 on every bar');
  if (ignored.length > 0) warnings.push(`ignored column(s): ${ignored.map((c) => JSON.stringify(c)).join(', ')}`);
  if (rows.blank > 0) warnings.push(`skipped ${rows.blank} blank line(s) between rows (first at line ${rows.blankLine})`);
  if (rows.zeroPrice > 0) warnings.push(`${rows.zeroPrice} bar(s) have a zero open, low or close price; returns from them are undefined`);
  if (rows.rows >= 2) {
    const inferred = inferTimeframe(candles.time);
    if (inferred === null) warnings.push(`bar spacing is irregular (median step ${formatDuration(medianStep(candles.time))}); timeframe ${tf.id} kept as given`);
    else if (inferred !== tf.id) warnings.push(`bars are ${inferred} apart (median step) but the timeframe given is ${tf.id}; check the timeframe`);
  }
  return warnings;
}
