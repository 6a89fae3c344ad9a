/** Mapping a CSV header line to OHLCV columns: aliases, duplicates, missing columns. */
import { looksLikeIsoDate } from './iso-time.js';

/** Accepted header names per column, compared after trimming, lower-casing and turning blanks/dashes into `_`. */
export const HEADER_ALIASES = {
  time: ['timestamp', 'time', 'date', 'datetime', 'date_time', 'open_time', 'ts'],
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v'],
} as const;
export type HeaderColumn = keyof typeof HEADER_ALIASES;
const REQUIRED: readonly HeaderColumn[] = ['time', 'open', 'high', 'low', 'close'];
const ALIAS_TO_COLUMN: ReadonlyMap<string, HeaderColumn> = new Map(
  (Object.keys(HEADER_ALIASES) as HeaderColumn[]).flatMap((col) => HEADER_ALIASES[col].map((a): [string, HeaderColumn] => [a, col])),
);

export function normalizeHeaderName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export interface HeaderMap {
  /** Field index per column; volume is -1 when the file has none. */
  readonly index: Readonly<Record<HeaderColumn, number>>;
  /** Names as written in the file (trimmed), by field index. */
  readonly names: readonly string[];
  readonly ignored: readonly string[];
}

export type HeaderResult = { readonly ok: true; readonly map: HeaderMap } | { readonly ok: false; readonly message: string; readonly column?: string };

const describeAliases = (col: HeaderColumn): string => HEADER_ALIASES[col].join('|');

/** Maps header fields to columns, or explains what is missing, duplicated or looks like data. */
export function mapHeader(fields: readonly string[]): HeaderResult {
  const names = fields.map((f) => f.trim());
  const index: Record<HeaderColumn, number> = { time: -1, open: -1, high: -1, low: -1, close: -1, volume: -1 };
  const ignored: string[] = [];
  const first = names[0] ?? '';
  if (looksLikeIsoDate(first) || (first !== '' && Number.isFinite(Number(first)))) {
    return {
      ok: false,
      column: first,
      message: `line 1 looks like data, not a header (first field ${JSON.stringify(first)}); add a header line such as timestamp,open,high,low,close,volume`,
    };
  }
  for (let i = 0; i < names.length; i++) {
    if (names[i] === '') continue; // e.g. a trailing delimiter or an unnamed index column
    const col = ALIAS_TO_COLUMN.get(normalizeHeaderName(names[i]));
    if (col === undefined) {
      ignored.push(names[i]);
      continue;
    }
    if (index[col] >= 0) {
      return {
        ok: false,
        column: names[i],
        message: `columns ${JSON.stringify(names[index[col]])} and ${JSON.stringify(names[i])} both name the ${col} column; keep one (accepted names: ${describeAliases(col)})`,
      };
    }
    index[col] = i;
  }
  const missing = REQUIRED.filter((col) => index[col] < 0);
  if (missing.length > 0) {
    const adjusted = missing.includes('close') && names.some((n) => /^adj(usted)?[\s_]*close$/i.test(n));
    return {
      ok: false,
      message:
        `missing column(s): ${missing.map((c) => `${c} (${describeAliases(c)})`).join(', ')}. ` +
        `Found: ${names.map((n) => JSON.stringify(n)).join(', ')}. ` +
        `Required: ${REQUIRED.map(describeAliases).join(', ')}; volume (${describeAliases('volume')}) optional.` +
        (adjusted ? ' An adjusted close is a different series and is not accepted as close; export the raw close.' : ''),
    };
  }
  return { ok: true, map: { index, names, ignored } };
}
