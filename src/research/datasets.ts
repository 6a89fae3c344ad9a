/**
 * Dataset workflows: import a CSV (all-or-nothing), resolve a dataset reference with
 * helpful errors, load candles (memoised by content hash), select a date range, and seed
 * the clearly labelled synthetic demo dataset into an empty store.
 */
import { sliceByTime, type Candles } from '../engine/data/candles.js';
import { parseCandlesCsv } from '../engine/data/csv.js';
import { countCsvLines } from '../engine/data/csv-fields.js';
import { parseDateBound } from '../engine/data/slice.js';
import { resample } from '../engine/data/resample.js';
import { InputError } from '../engine/errors.js';
import { generateSynthetic } from '../engine/data/synthetic.js';
import { normalizeTimeframe, parseTimeframe } from '../engine/data/timeframe.js';
import {
  countBarsInRange,
  countDatasets,
  findDataset,
  getDataset,
  insertDataset,
  listDatasets,
  loadCandles,
  type DatasetRow,
} from '../storage/datasets.js';
import type { App } from './app.js';
import { UserError, didYouMean } from './errors.js';
import { BYTES_PER_BAR } from './candle-cache.js';

export type { DatasetRow };

/** The stored datasets by symbol, timeframe and version; only those of `symbol` (any case) when given. */
export function storedDatasets(app: App, symbol?: string): DatasetRow[] {
  const all = listDatasets(app.db);
  return symbol ? all.filter((d) => d.symbol.toLowerCase() === symbol.toLowerCase()) : all;
}

export interface ImportResult {
  readonly dataset: DatasetRow;
  readonly created: boolean;
  readonly warnings: string[];
}

/** Validates a timeframe and returns its canonical name (`1H` → `1h`, `60m` → `1h`). */
export function checkTimeframe(tf: string, field = 'timeframe'): string {
  try {
    return normalizeTimeframe(tf);
  } catch (e) {
    if (!(e instanceof InputError)) throw e; // a bug, not the caller's input
    throw new UserError((e as Error).message, { field, value: tf, expected: 'e.g. 1m, 5m, 15m, 1h, 4h, 1d, 1w, 1M' });
  }
}

export function checkSymbol(symbol: string, field = 'symbol'): string {
  const s = symbol.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._:/\- ]{0,63}$/.test(s)) {
    throw new UserError(`invalid ${field} ${JSON.stringify(symbol)}`, {
      field,
      value: symbol,
      expected: '1–64 characters: letters, digits and . _ : / - (e.g. BTC-USD, EUR/USD, GOOG)',
    });
  }
  return s;
}

/**
 * Parses and stores CSV text. A file with any error stores nothing. `maxRows` (inline CSV,
 * limits.max_inline_rows) refuses more data rows before parsing, counting lines as the
 * parser splits them (\r\n, \n or a lone \r).
 */
export function importCsvText(app: App, text: string, opts: { symbol: string; timeframe: string; source: string; maxRows?: number }): ImportResult {
  const symbol = checkSymbol(opts.symbol);
  const timeframe = checkTimeframe(opts.timeframe);
  if (opts.maxRows !== undefined) {
    const rows = Math.max(0, countCsvLines(text) - 1);
    if (rows > opts.maxRows) {
      throw new UserError(`csv has ${rows} rows, above the inline limit of ${opts.maxRows} (limits.max_inline_rows)`, {
        field: 'csv',
        expected: `at most ${opts.maxRows} rows`,
        hint: 'import larger files with the CLI: tradelab import <file.csv>',
      });
    }
  }
  const parsed = parseCandlesCsv(text, { symbol, timeframe });
  if (!parsed.ok) {
    const lines = parsed.errors.map((e) => `line ${e.line}${e.column ? ` (${e.column})` : ''}: ${e.message}`);
    throw new UserError(`${opts.source}: ${parsed.errors.length === 1 ? 'invalid CSV' : `${parsed.errors.length} errors`}; nothing was imported:\n${lines.join('\n')}`, {
      field: 'csv',
      expected: 'timestamp,open,high,low,close,volume rows with ascending unique timestamps and consistent OHLC',
    });
  }
  const { dataset, created } = insertDataset(app.db, { candles: parsed.candles, source: opts.source, now: app.now() });
  return { dataset, created, warnings: parsed.warnings };
}

export interface DatasetRef {
  readonly dataset_id?: number;
  readonly symbol?: string;
  readonly timeframe?: string;
  readonly version?: number;
}

function knownList(rows: readonly DatasetRow[]): string {
  if (rows.length === 0) return 'none (import one with import_candles or `tradelab import`)';
  const names = [...new Set(rows.map((r) => `${r.symbol} ${r.timeframe}`))];
  return names.slice(0, 20).join(', ') + (names.length > 20 ? ` and ${names.length - 20} more` : '');
}

/** Resolves a dataset by id or symbol+timeframe(+version). Never substitutes another dataset. */
export function resolveDataset(app: App, ref: DatasetRef): DatasetRow {
  if (ref.dataset_id !== undefined) {
    const ds = getDataset(app.db, ref.dataset_id);
    if (!ds) {
      throw new UserError(`no dataset with id ${ref.dataset_id}`, { field: 'dataset_id', value: ref.dataset_id, expected: `one of the ids from list_datasets (known: ${knownList(listDatasets(app.db))})` });
    }
    return ds;
  }
  if (!ref.symbol || !ref.timeframe) {
    throw new UserError('a dataset is required: give dataset_id, or symbol and timeframe', {
      field: ref.symbol ? 'timeframe' : 'symbol',
      expected: `known datasets: ${knownList(listDatasets(app.db))}`,
    });
  }
  const ds = findDataset(app.db, ref.symbol, checkTimeframe(ref.timeframe), ref.version);
  if (ds) return ds;
  const all = listDatasets(app.db);
  const sameSymbol = all.filter((r) => r.symbol.toLowerCase() === ref.symbol!.toLowerCase());
  if (sameSymbol.length > 0 && ref.version === undefined) {
    throw new UserError(`no ${ref.timeframe} data for ${ref.symbol}`, {
      field: 'timeframe',
      value: ref.timeframe,
      expected: `one of ${[...new Set(sameSymbol.map((r) => r.timeframe))].join(', ')}`,
      hint: 'import that timeframe, or resample an existing dataset',
    });
  }
  if (sameSymbol.length > 0) {
    throw new UserError(`${ref.symbol} ${ref.timeframe} has no version ${ref.version}`, { field: 'version', value: ref.version, expected: sameSymbol.map((r) => r.version).join(', ') });
  }
  const guess = didYouMean(ref.symbol, [...new Set(all.map((r) => r.symbol))]);
  throw new UserError(`unknown symbol ${JSON.stringify(ref.symbol)}`, {
    field: 'symbol',
    value: ref.symbol,
    expected: `known datasets: ${knownList(all)}`,
    hint: guess ? `did you mean ${guess}?` : 'import it first with import_candles or `tradelab import`',
  });
}

/**
 * A dataset's candles, from the candle cache or loaded into it. A dataset larger than the
 * whole cache (limits.candle_cache_mb) is refused before anything is read.
 */
export function datasetCandles(app: App, ds: DatasetRow): Candles {
  const hit = app.candles.get(ds.content_hash);
  if (hit) return hit;
  if (!app.candles.fits(ds.rows)) {
    const mib = (bytes: number): string => `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
    throw new UserError(`dataset #${ds.id} (${ds.symbol} ${ds.timeframe} v${ds.version}) has ${ds.rows} bars, ${mib(ds.rows * BYTES_PER_BAR)} in memory, above the candle memory limit of ${mib(app.candles.maxBytes)} (limits.candle_cache_mb)`, {
      field: 'dataset_id',
      value: ds.id,
      expected: `a dataset of at most ${Math.floor(app.candles.maxBytes / BYTES_PER_BAR)} bars`,
      hint: 'raise limits.candle_cache_mb in config/server.yaml, or import a shorter or coarser dataset (tradelab resample)',
    });
  }
  const c = loadCandles(app.db, ds, { shared: true });
  app.candles.set(ds.content_hash, c);
  return c;
}

/**
 * Refuses a range of more than limits.max_bars bars before any candle is loaded: counted from
 * the dataset's stored metadata (its row count, or the time column of the part holding a date bound).
 */
export function checkBarLimit(app: App, ds: DatasetRow, range: ResolvedRange, field = 'from'): void {
  const max = app.config.limits.max_bars;
  if (ds.rows <= max) return;
  const n = countBarsInRange(app.db, ds, range.from, range.to);
  if (n > max) {
    throw new UserError(`the selected range has ${n} bars of ${ds.symbol} ${ds.timeframe} (dataset #${ds.id}), above the limit of ${max} (limits.max_bars)`, {
      field,
      expected: `at most ${max} bars; narrow from/to`,
    });
  }
}

export interface RangeInput {
  readonly from?: string | number;
  readonly to?: string | number;
}

export interface ResolvedRange {
  readonly from: number | null;
  readonly to: number | null;
}

export function resolveRange(r: RangeInput): ResolvedRange {
  const bound = (v: string | number | undefined, field: string): number | null => {
    if (v === undefined || v === null || v === '') return null;
    try {
      return parseDateBound(String(v));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new UserError((e as Error).message, { field, value: v, expected: 'YYYY-MM-DD, an ISO-8601 timestamp, or epoch seconds/milliseconds' });
    }
  };
  const from = bound(r.from, 'from');
  const to = bound(r.to, 'to');
  if (from !== null && to !== null && to <= from) {
    throw new UserError('`to` must be after `from`', { field: 'to', value: r.to, expected: `a date after ${new Date(from).toISOString()}` });
  }
  return { from, to };
}

/** Candles in [from, to) with a clear error when the range holds no bars. */
export function selectRange(c: Candles, range: ResolvedRange, ds: Pick<DatasetRow, 'symbol' | 'timeframe' | 'first_time' | 'last_time'>): Candles {
  const out = sliceByTime(c, range.from ?? undefined, range.to ?? undefined);
  if (out.time.length === 0) {
    throw new UserError(`the date range holds no bars of ${ds.symbol} ${ds.timeframe}`, {
      field: range.from !== null ? 'from' : 'to',
      expected: `a range within ${new Date(ds.first_time).toISOString()} … ${new Date(ds.last_time).toISOString()}`,
    });
  }
  return out;
}

/**
 * On first start with an empty store, seeds the synthetic demo dataset (clearly named and
 * flagged `is_synthetic`) so every tool works offline. Never used in place of requested data.
 */
export function ensureDemoData(app: App): DatasetRow | null {
  if (countDatasets(app.db) > 0) return null;
  const d = app.config.demo;
  const tf = parseTimeframe(d.timeframe);
  const bars = Math.floor((d.days * 86_400_000) / tf.ms);
  const start = Date.UTC(2023, 0, 1);
  const candles = generateSynthetic({ symbol: d.symbol, timeframe: d.timeframe, bars, seed: d.seed, start });
  const { dataset } = insertDataset(app.db, {
    candles,
    source: `synthetic demo data (seed ${d.seed}; regime-switching generator, not a real market)`,
    isSynthetic: true,
    meta: { generator: 'tradelab synthetic', seed: d.seed, bars },
    now: app.now(),
  });
  return dataset;
}

/**
 * Stores a coarser-timeframe version of a dataset (open = first, high = max, low = min,
 * close = last, volume = sum; empty buckets dropped, never filled) as its own dataset,
 * keyed by the same symbol and the new timeframe, with its provenance in `source`.
 */
export function resampleDataset(app: App, ref: DatasetRef, timeframe: string): ImportResult {
  const ds = resolveDataset(app, ref);
  const tf = checkTimeframe(timeframe, 'to_timeframe');
  if (tf === ds.timeframe) {
    throw new UserError(`${ds.symbol} is already ${tf}`, { field: 'to_timeframe', value: timeframe, expected: `a timeframe coarser than ${ds.timeframe}` });
  }
  let out: Candles;
  try {
    out = resample(datasetCandles(app, ds), tf);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new UserError((e as Error).message, { field: 'to_timeframe', value: timeframe, expected: `a whole multiple of ${ds.timeframe}` });
  }
  const { dataset, created } = insertDataset(app.db, {
    candles: { ...out, symbol: ds.symbol, timeframe: tf },
    source: `resampled from dataset #${ds.id} (${ds.symbol} ${ds.timeframe} v${ds.version}, sha256 ${ds.content_hash.slice(0, 12)})`,
    isSynthetic: ds.is_synthetic,
    meta: { resampled_from: ds.id },
    now: app.now(),
  });
  return { dataset, created, warnings: [] };
}
