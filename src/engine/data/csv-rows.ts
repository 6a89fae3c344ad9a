/**
 * The data rows of a CSV import (csv.ts): each line after the header split into fields, its
 * timestamp and numbers read and checked (the bar rules of validate.ts, time ascending and
 * unique), and, while the file has no error, its bar stored in columns that grow as needed.
 */
import type { Candles } from './candles.js';
import { clip, describeBadNumber, type CsvErrorLog } from './csv-errors.js';
import { LineSplitter, type Delimiter } from './csv-fields.js';
import type { HeaderMap } from './csv-header.js';
import { TimestampReader } from './csv-time.js';
import { parseDecimalAt } from './decimal.js';
import { formatIso } from './iso-time.js';
import { checkBar, type BarReporter } from './validate.js';

/** What the header told: how lines end and split, which column is which, where rows start. */
export interface CsvLayout {
  readonly text: string;
  /** The line break: `\n` (a `\r` before it is dropped), or `\r` in a file without `\n`. */
  readonly nl: '\n' | '\r';
  readonly delim: Delimiter;
  readonly headerLine: number;
  /** Fields in the header. */
  readonly width: number;
  readonly map: HeaderMap;
  /** Where the line after the header starts. */
  readonly rowsFrom: number;
}

const PRICE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** Time and the five value columns, doubled in size when full. */
class Columns {
  time: Float64Array;
  readonly values: Float64Array[];

  constructor(private cap: number) {
    this.time = new Float64Array(cap);
    this.values = PRICE_COLUMNS.map(() => new Float64Array(cap));
  }

  set(r: number, t: number, vals: Float64Array): void {
    if (r === this.cap) this.grow();
    this.time[r] = t;
    for (let j = 0; j < 5; j++) this.values[j][r] = vals[j];
  }

  private grow(): void {
    this.cap *= 2;
    const bigger = (a: Float64Array): Float64Array => {
      const b = new Float64Array(this.cap);
      b.set(a);
      return b;
    };
    this.time = bigger(this.time);
    for (let j = 0; j < 5; j++) this.values[j] = bigger(this.values[j]);
  }

  /** The first `rows`: views when only a few slots are unused (trailing line breaks), compact copies otherwise. */
  fit(rows: number): Pick<Candles, 'time' | 'open' | 'high' | 'low' | 'close' | 'volume'> {
    const fit = (a: Float64Array): Float64Array => (this.cap - rows <= 1024 ? a.subarray(0, rows) : a.slice(0, rows));
    const [open, high, low, close, volume] = this.values.map(fit);
    return { time: fit(this.time), open, high, low, close, volume };
  }
}

/** Reads the rows of one file into columns, reporting to `log`; the counts feed the warnings. */
export class CsvRows {
  /** Non-blank lines after the header. */
  rows = 0;
  /** Blank lines between rows, and the first of them. */
  blank = 0;
  blankLine = 0;
  zeroPrice = 0;
  readonly times: TimestampReader;
  readonly columns: Columns;
  private readonly fields: LineSplitter;
  /** Field index of open, high, low, close, volume (-1: absent), and their names in the header. */
  private readonly colIndex: number[];
  private readonly colName: string[];
  private readonly timeCol: number;
  private readonly timeName: string;
  private readonly needed: number;
  private readonly vals = new Float64Array(5);
  private prevTime = NaN;
  private prevLine = 0;
  private line = 0;
  private readonly report: BarReporter = (column, value, message) => {
    const j = PRICE_COLUMNS.indexOf(column as (typeof PRICE_COLUMNS)[number]);
    this.log.add({ line: this.line, column: j >= 0 ? this.colName[j] : column, value: String(value), message });
  };

  constructor(
    private readonly layout: CsvLayout,
    private readonly log: CsvErrorLog,
  ) {
    const { index, names } = layout.map;
    this.colIndex = [index.open, index.high, index.low, index.close, index.volume];
    this.colName = PRICE_COLUMNS.map((c, j) => (this.colIndex[j] >= 0 ? names[this.colIndex[j]] : c));
    this.timeCol = index.time;
    this.timeName = names[this.timeCol];
    this.needed = Math.max(...this.colIndex, this.timeCol) + 1;
    this.times = new TimestampReader(this.timeName);
    this.fields = new LineSplitter(layout.text, layout.delim, layout.width);
    this.columns = new Columns(initialCapacity(layout));
  }

  /** Reads every line after the header. */
  readAll(): void {
    const { text, nl, headerLine, rowsFrom } = this.layout;
    const len = text.length;
    const crlf = nl === '\n';
    let pendingBlank = 0;
    let pendingBlankLine = 0;
    this.line = headerLine;
    for (let pos = rowsFrom; pos < len; ) {
      let end = text.indexOf(nl, pos);
      if (end < 0) end = len;
      const from = pos;
      const to = crlf && end > from && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      pos = end + 1;
      this.line++;
      if (to === from || (text.charCodeAt(from) <= 32 && text.substring(from, to).trim() === '')) {
        if (pendingBlank++ === 0) pendingBlankLine = this.line;
        continue;
      }
      if (pendingBlank > 0) {
        // blank lines between rows (leading and trailing ones are not worth a warning)
        if (this.blank === 0) this.blankLine = pendingBlankLine;
        this.blank += pendingBlank;
        pendingBlank = 0;
      }
      this.rows++;
      this.readRow(from, to);
    }
  }

  /** One non-blank line, text[from, to): checked, and stored while the file has no error. */
  private readRow(from: number, to: number): void {
    const { log, line, fields } = this;
    const n = fields.split(from, to);
    if (n < 0) {
      log.add({ line, value: clip(this.layout.text.substring(from, to)), message: 'unclosed quote, or text after a closing quote' });
      return;
    }
    if (n < this.needed || fields.extraNonEmpty) {
      const { width, headerLine } = this.layout;
      log.add({ line, value: clip(this.layout.text.substring(from, to)), message: `expected ${width} fields as in the header (line ${headerLine}), found ${n}` });
      return;
    }
    const k = this.timeCol;
    const t = this.times.read(fields.src[k], fields.start[k], fields.end[k], line);
    let ok = !Number.isNaN(t);
    if (!ok) log.add({ line, column: this.timeName, value: this.fieldText(k), message: this.times.error });
    if (!this.readValues()) ok = false;
    else if (ok) ok = this.checkValues();
    if (!Number.isNaN(t) && !this.inOrder(t)) ok = false;
    if (ok && log.empty) this.columns.set(this.rows - 1, t, this.vals);
  }

  /** Field j of the current line, trimmed and clipped, for an error. */
  private fieldText(j: number): string {
    return clip(this.fields.src[j].substring(this.fields.start[j], this.fields.end[j]).trim());
  }

  /** Prices and volume into `vals` (0 for an absent volume); false if one is not a finite number. */
  private readValues(): boolean {
    const { src, start, end } = this.fields;
    let ok = true;
    for (let j = 0; j < 5; j++) {
      const k = this.colIndex[j];
      if (k < 0) {
        this.vals[j] = 0;
        continue;
      }
      const v = parseDecimalAt(src[k], start[k], end[k]);
      if (!Number.isFinite(v)) {
        const r = src[k].substring(start[k], end[k]);
        this.log.add({ line: this.line, column: this.colName[j], value: clip(r.trim()), message: describeBadNumber(this.colName[j], r, v) });
        ok = false;
      }
      this.vals[j] = v;
    }
    return ok;
  }

  /** The bar rules on `vals`; counts zero prices for a warning. */
  private checkValues(): boolean {
    const v = this.vals;
    if (checkBar(v[0], v[1], v[2], v[3], v[4], this.report) > 0) return false;
    if (v[0] === 0 || v[2] === 0 || v[3] === 0) this.zeroPrice++;
    return true;
  }

  /** Time `t` after the last readable one; a duplicate or an earlier time is an error. */
  private inOrder(t: number): boolean {
    const { prevTime, prevLine, line } = this;
    if (t !== prevTime) {
      this.prevTime = t;
      this.prevLine = line;
    }
    if (prevLine === 0 || t > prevTime) return true;
    const newestFirst = this.rows === 2 && t < prevTime ? ' (the file looks newest-first; sort it oldest-first)' : '';
    this.log.add({
      line,
      column: this.timeName,
      value: this.fieldText(this.timeCol),
      message:
        t === prevTime
          ? `duplicate timestamp ${formatIso(t)} (also on line ${prevLine})`
          : `timestamp ${formatIso(t)} is earlier than line ${prevLine}'s ${formatIso(prevTime)}; rows must be in ascending time order${newestFirst}`,
    });
    return false;
  }
}

/**
 * One slot per remaining line, but no more than a valid row needs bytes (`1,1,1,1,1` and a
 * line break), so a flood of blank lines cannot force a huge allocation.
 */
function initialCapacity({ text, nl, rowsFrom }: CsvLayout): number {
  let lines = 1;
  for (let i = text.indexOf(nl, rowsFrom); i >= 0; i = text.indexOf(nl, i + 1)) lines++;
  return Math.max(16, Math.min(lines, Math.floor((text.length - rowsFrom) / 10) + 1));
}
