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
import { detectDelimiter, LineSplitter, splitFields } from './csv-fields.js';
import { mapHeader } from './csv-header.js';
import { TimestampReader } from './csv-time.js';
import { parseDecimalAt } from './decimal.js';
import { formatIso } from './iso-time.js';
import { formatDuration, inferTimeframe, medianStep, parseTimeframe, type Timeframe } from './timeframe.js';
import { checkBar, MAX_REPORTED_ERRORS, type BarReporter } from './validate.js';

export interface CsvError {
  readonly line: number;
  readonly column?: string;
  readonly value?: string;
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly candles: Candles; readonly rows: number; readonly warnings: string[] }
  | { readonly ok: false; readonly errors: CsvError[]; readonly omitted: number };

export interface ParseCsvOptions {
  readonly symbol: string;
  readonly timeframe: string;
  readonly maxErrors?: number;
}

const EXAMPLE_HEADER = 'timestamp,open,high,low,close,volume';

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

function describeBadNumber(name: string, raw: string, v: number): string {
  const t = raw.trim();
  if (t === '') return `${name} is empty`;
  if (v === Infinity || v === -Infinity) return `${name} ${JSON.stringify(clip(t))} is not finite`;
  if (t.toLowerCase() === 'nan') return `${name} is NaN (missing values are not allowed; remove or fill the row)`;
  const comma = t.includes(',') ? ' (decimal comma? use "." as the decimal separator)' : '';
  return `${name} ${JSON.stringify(clip(t))} is not a number${comma}`;
}

export function parseCandlesCsv(text: string, opts: ParseCsvOptions): ParseResult {
  const max = opts.maxErrors ?? MAX_REPORTED_ERRORS;
  const errors: CsvError[] = [];
  let omitted = 0;
  let firstOmittedLine = 0;
  const add = (e: CsvError): void => {
    if (errors.length < max) errors.push(e);
    else if (omitted++ === 0) firstOmittedLine = e.line;
  };
  const fail = (): ParseResult => {
    if (omitted > 0) errors.push({ line: firstOmittedLine, message: `…and ${omitted} more error(s) not listed (the first at line ${firstOmittedLine})` });
    return { ok: false, errors, omitted };
  };

  let tf: Timeframe | undefined;
  try {
    tf = parseTimeframe(opts.timeframe);
  } catch (e) {
    add({ line: 0, column: 'timeframe', value: String(opts.timeframe), message: e instanceof Error ? e.message : String(e) });
  }
  if (typeof opts.symbol !== 'string' || opts.symbol.trim() === '') add({ line: 0, column: 'symbol', value: String(opts.symbol), message: 'symbol must be a non-empty string' });
  if (typeof text !== 'string') add({ line: 0, message: 'the CSV content must be a string' });
  if (errors.length > 0 || tf === undefined) return fail();

  const len = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const nl = text.indexOf('\n') >= 0 ? '\n' : '\r';
  const crlf = nl === '\n';

  // Header: the first non-blank line.
  let lineNo = 0;
  let header = '';
  while (pos < len && header === '') {
    let end = text.indexOf(nl, pos);
    if (end < 0) end = len;
    lineNo++;
    const raw = text.substring(pos, crlf && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    pos = end + 1;
    if (raw.trim() !== '') header = raw;
  }
  if (header === '') {
    add({ line: 1, message: `the file is empty; expected a header line such as ${EXAMPLE_HEADER} and at least one row` });
    return fail();
  }
  const headerLine = lineNo;
  const delim = detectDelimiter(header);
  if (delim === null) {
    add({ line: headerLine, value: clip(header), message: `the header has a single column ${JSON.stringify(clip(header))}; expected comma-, semicolon- or tab-separated columns such as ${EXAMPLE_HEADER}` });
    return fail();
  }
  const headerFields: string[] = [];
  const nHeader = splitFields(header, delim, headerFields);
  const mapped = nHeader < 0 ? ({ ok: false, message: 'the header has an unclosed quote' } as const) : mapHeader(headerFields.slice(0, nHeader));
  if (!mapped.ok) {
    add({ line: headerLine, column: 'column' in mapped ? mapped.column : undefined, message: mapped.message });
    return fail();
  }
  const { index, names, ignored } = mapped.map;
  const colIndex = [index.open, index.high, index.low, index.close, index.volume];
  const colName = ['open', 'high', 'low', 'close', 'volume'].map((c, j) => (colIndex[j] >= 0 ? names[colIndex[j]] : c));
  const timeCol = index.time;
  const timeName = names[timeCol];
  const needed = Math.max(...colIndex, timeCol) + 1;

  // Capacity: one slot per remaining line, but no more than a valid row needs bytes
  // (`1,1,1,1,1` + line break), so a flood of blank lines cannot force a huge allocation.
  let lines = 1;
  for (let i = text.indexOf(nl, pos); i >= 0; i = text.indexOf(nl, i + 1)) lines++;
  let cap = Math.max(16, Math.min(lines, Math.floor((len - pos) / 10) + 1));
  let time = new Float64Array(cap);
  const cols = [new Float64Array(cap), new Float64Array(cap), new Float64Array(cap), new Float64Array(cap), new Float64Array(cap)];
  const grow = (): void => {
    cap *= 2;
    const t = new Float64Array(cap);
    t.set(time);
    time = t;
    for (let j = 0; j < 5; j++) {
      const a = new Float64Array(cap);
      a.set(cols[j]);
      cols[j] = a;
    }
  };
  const vals = new Float64Array(5);
  const fields = new LineSplitter(text, delim, nHeader);
  const { src, start: fs, end: fe } = fields;
  const raw = (j: number): string => clip(src[j].substring(fs[j], fe[j]).trim());
  const times = new TimestampReader(timeName);
  let pendingBlank = 0;
  let pendingBlankLine = 0;
  let blank = 0;
  let blankLine = 0;
  let zeroPrice = 0;
  let rows = 0;
  let prevTime = NaN;
  let prevLine = 0;
  let line = 0;
  const report: BarReporter = (column, value, message) => {
    const j = ['open', 'high', 'low', 'close', 'volume'].indexOf(column);
    add({ line, column: j >= 0 ? colName[j] : column, value: String(value), message });
  };

  while (pos < len) {
    let end = text.indexOf(nl, pos);
    if (end < 0) end = len;
    const from = pos;
    const to = crlf && end > from && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    pos = end + 1;
    line = ++lineNo;
    if (to === from || (text.charCodeAt(from) <= 32 && text.substring(from, to).trim() === '')) {
      if (pendingBlank++ === 0) pendingBlankLine = line;
      continue;
    }
    if (pendingBlank > 0) {
      // blank lines between rows (leading and trailing ones are not worth a warning)
      if (blank === 0) blankLine = pendingBlankLine;
      blank += pendingBlank;
      pendingBlank = 0;
    }
    rows++;
    const n = fields.split(from, to);
    if (n < 0) {
      add({ line, value: clip(text.substring(from, to)), message: 'unclosed quote, or text after a closing quote' });
      continue;
    }
    if (n < needed || fields.extraNonEmpty) {
      add({ line, value: clip(text.substring(from, to)), message: `expected ${nHeader} fields as in the header (line ${headerLine}), found ${n}` });
      continue;
    }
    let ok = true;
    const t = times.read(src[timeCol], fs[timeCol], fe[timeCol], line);
    if (Number.isNaN(t)) {
      add({ line, column: timeName, value: raw(timeCol), message: times.error });
      ok = false;
    }
    // prices and volume
    for (let j = 0; j < 5; j++) {
      const k = colIndex[j];
      if (k < 0) {
        vals[j] = 0;
        continue;
      }
      const v = parseDecimalAt(src[k], fs[k], fe[k]);
      if (!Number.isFinite(v)) {
        const r = src[k].substring(fs[k], fe[k]);
        add({ line, column: colName[j], value: clip(r.trim()), message: describeBadNumber(colName[j], r, v) });
        ok = false;
      }
      vals[j] = v;
    }
    if (ok) {
      if (checkBar(vals[0], vals[1], vals[2], vals[3], vals[4], report) > 0) ok = false;
      else if (vals[0] === 0 || vals[2] === 0 || vals[3] === 0) zeroPrice++;
    }
    // order
    if (!Number.isNaN(t)) {
      if (prevLine > 0 && t <= prevTime) {
        const newestFirst = rows === 2 && t < prevTime ? ' (the file looks newest-first; sort it oldest-first)' : '';
        add({
          line,
          column: timeName,
          value: raw(timeCol),
          message:
            t === prevTime
              ? `duplicate timestamp ${formatIso(t)} (also on line ${prevLine})`
              : `timestamp ${formatIso(t)} is earlier than line ${prevLine}'s ${formatIso(prevTime)}; rows must be in ascending time order${newestFirst}`,
        });
        ok = false;
      }
      if (t !== prevTime) {
        prevTime = t;
        prevLine = line;
      }
    }
    if (ok && errors.length === 0) {
      const r = rows - 1;
      if (r === cap) grow();
      time[r] = t;
      for (let j = 0; j < 5; j++) cols[j][r] = vals[j];
    }
  }

  if (rows === 0) add({ line: headerLine + 1, message: `no data rows after the header (line ${headerLine})` });
  if (errors.length > 0) return fail();

  // Views when only a few slots are unused (trailing line breaks), compact copies otherwise.
  const fit = (a: Float64Array): Float64Array => (cap - rows <= 1024 ? a.subarray(0, rows) : a.slice(0, rows));
  const candles: Candles = {
    symbol: opts.symbol.trim(),
    timeframe: tf.id,
    time: fit(time),
    open: fit(cols[0]),
    high: fit(cols[1]),
    low: fit(cols[2]),
    close: fit(cols[3]),
    volume: fit(cols[4]),
  };
  const warnings: string[] = [];
  warnings.push(...times.warnings());
  if (index.volume < 0) warnings.push('no volume column: volume set to 0 on every bar');
  if (ignored.length > 0) warnings.push(`ignored column(s): ${ignored.map((c) => JSON.stringify(c)).join(', ')}`);
  if (blank > 0) warnings.push(`skipped ${blank} blank line(s) between rows (first at line ${blankLine})`);
  if (zeroPrice > 0) warnings.push(`${zeroPrice} bar(s) have a zero open, low or close price; returns from them are undefined`);
  if (rows >= 2) {
    const inferred = inferTimeframe(candles.time);
    if (inferred === null) warnings.push(`bar spacing is irregular (median step ${formatDuration(medianStep(candles.time))}); timeframe ${tf.id} kept as given`);
    else if (inferred !== tf.id) warnings.push(`bars are ${inferred} apart (median step) but the timeframe given is ${tf.id}; check the timeframe`);
  }
  return { ok: true, candles, rows, warnings };
}
