/** Candles from a CSV file given on the command line (`--csv FILE`), not stored; the data flags. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Candles } from '../engine/data/candles.js';
import { parseCandlesCsv } from '../engine/data/csv.js';
import { inferTimeframe } from '../engine/data/timeframe.js';
import { resolveRange, selectRange } from '../research/datasets.js';
import { UserError } from '../research/errors.js';

/** The flags that name a strategy and its data, shared by backtest and check-bias. */
export const STRATEGY_DATA_FLAGS = {
  strategy: { type: 'string' },
  params: { type: 'string' },
  csv: { type: 'string' },
  symbol: { type: 'string' },
  timeframe: { type: 'string' },
  'dataset-version': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

export interface CsvCandlesOptions {
  /** Default: the file name without its extension. */
  readonly symbol?: string;
  /** Default: inferred from the bar spacing after parsing. */
  readonly timeframe?: string;
  readonly from?: string;
  readonly to?: string;
}

export function readCsvCandles(file: string, o: CsvCandlesOptions = {}): Candles {
  const text = readText(file);
  const symbol = o.symbol ?? basename(file).replace(/\.[^.]+$/, '');
  const parsed = parseCandlesCsv(text, { symbol, timeframe: o.timeframe ?? '1d' });
  if (!parsed.ok) throw new UserError(`${file}: invalid CSV; nothing was run:\n${parsed.errors.map((e) => (e.line > 0 ? `line ${e.line}: ${e.message}` : e.message)).join('\n')}`, { field: '--csv' });
  const tf = o.timeframe ?? inferTimeframe(parsed.candles.time) ?? 'unknown';
  return selectRange({ ...parsed.candles, timeframe: tf }, resolveRange({ from: o.from, to: o.to }), {
    symbol,
    timeframe: tf,
    first_time: parsed.candles.time[0],
    last_time: parsed.candles.time[parsed.candles.time.length - 1],
  });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { field: '--csv', value: file, expected: 'a readable CSV file' });
  }
}
