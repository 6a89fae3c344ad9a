/**
 * CSV field mechanics for the candle importer: delimiter detection, RFC 4180 quoted fields
 * within one line, and a splitter that records field boundaries in the file text instead
 * of allocating a string per field (the fast path for a million rows).
 */
export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** The delimiter occurring most often in the header line (comma on ties); null when none occurs. */
export function detectDelimiter(headerLine: string): Delimiter | null {
  let best: Delimiter | null = null;
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let count = 0;
    for (let i = headerLine.indexOf(d); i >= 0; i = headerLine.indexOf(d, i + 1)) count++;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Splits one line into `out` (reused between calls) and returns the number of fields, or
 * -1 when a quoted field is not closed on this line or has text after its closing quote.
 * Unquoted fields are returned as-is (callers tolerate surrounding blanks).
 */
export function splitFields(line: string, delim: string, out: string[]): number {
  const n = line.length;
  let p = 0;
  let k = 0;
  for (;;) {
    if (line.charCodeAt(p) === 34) {
      let value = '';
      let i = p + 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return -1;
        value += line.substring(i, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      while (i < n && line.charCodeAt(i) === 32) i++;
      out[k++] = value;
      if (i >= n) return k;
      if (line[i] !== delim) return -1;
      p = i + 1;
    } else {
      const d = line.indexOf(delim, p);
      if (d < 0) {
        out[k++] = line.substring(p);
        return k;
      }
      out[k++] = line.substring(p, d);
      p = d + 1;
    }
  }
}

/**
 * Splits lines of one text into fields, reusing its buffers. After `split`, field j is
 * `src[j].slice(start[j], end[j])`: positions in the file text on the fast path, whole
 * strings on the quoted path. Fields past `capacity` are counted, and `extraNonEmpty`
 * says whether any of the fields past `expected` held text (a trailing delimiter does not).
 */
export class LineSplitter {
  readonly src: string[] = [];
  readonly start: Int32Array;
  readonly end: Int32Array;
  extraNonEmpty = false;
  private readonly parts: string[] = [];
  private nextDelim = -1;
  private nextQuote = -1;

  constructor(
    private readonly text: string,
    private readonly delim: string,
    private readonly expected: number,
    private readonly capacity = expected + 8,
  ) {
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
  }

  /** Splits text[from, to) (one line without its line break); returns the field count, or -1 for a broken quote. */
  split(from: number, to: number): number {
    const { text, delim } = this;
    this.extraNonEmpty = false;
    if (this.nextQuote < from) {
      this.nextQuote = text.indexOf('"', from);
      if (this.nextQuote < 0) this.nextQuote = text.length;
    }
    if (this.nextQuote < to) return this.splitQuoted(text.substring(from, to));
    let n = 0;
    let p = from;
    for (;;) {
      // The next delimiter is cached, so a run of lines without delimiters stays linear.
      if (this.nextDelim < p) {
        this.nextDelim = text.indexOf(delim, p);
        if (this.nextDelim < 0) this.nextDelim = text.length;
      }
      const e = this.nextDelim < to ? this.nextDelim : to;
      this.record(n++, text, p, e);
      if (e === to) return n;
      p = e + 1;
    }
  }

  private splitQuoted(line: string): number {
    const n = splitFields(line, this.delim, this.parts);
    for (let j = 0; j < n; j++) this.record(j, this.parts[j], 0, this.parts[j].length);
    return n;
  }

  private record(j: number, s: string, from: number, to: number): void {
    if (j >= this.expected) {
      for (let i = from; i < to; i++) if (s.charCodeAt(i) > 32) this.extraNonEmpty = true;
    }
    if (j >= this.capacity) return;
    this.src[j] = s;
    this.start[j] = from;
    this.end[j] = to;
  }
}

/**
 * The non-blank lines of CSV text, split at `\r\n`, `\n` and a lone `\r` (the importer takes
 * `\r` alone as the line end of a file without `\n`), for checking a row limit before
 * parsing. Never fewer than the lines the parser reads; a file mixing `\n` with lone `\r`
 * inside lines (which fails to parse anyway) counts more.
 */
export function countCsvLines(text: string): number {
  let lines = 0;
  let content = false;
  for (let i = 0, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (content) lines++;
      content = false;
    } else if (!content && c > 32 && c !== 0xfeff) content = true;
  }
  return content ? lines + 1 : lines;
}
