/**
 * Columnar OHLCV bars. Every array has the same length; `time` is epoch milliseconds,
 * strictly ascending. Candles are validated once at the edge (see `validate.ts`) and then
 * treated as immutable by every consumer.
 */
export interface Candles {
  readonly symbol: string;
  readonly timeframe: string;
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export const CANDLE_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
export type CandleColumn = (typeof CANDLE_COLUMNS)[number];

export function candleCount(c: Candles): number {
  return c.time.length;
}

/** Bars [start, end) as zero-copy views. */
export function sliceBars(c: Candles, start: number, end: number): Candles {
  const s = Math.max(0, start);
  const e = Math.min(c.time.length, end);
  return {
    symbol: c.symbol,
    timeframe: c.timeframe,
    time: c.time.subarray(s, e),
    open: c.open.subarray(s, e),
    high: c.high.subarray(s, e),
    low: c.low.subarray(s, e),
    close: c.close.subarray(s, e),
    volume: c.volume.subarray(s, e),
  };
}

/** Index of the first bar with time >= t (binary search); length when none. */
export function lowerBound(time: Float64Array, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bars with from <= time < to (either bound optional), as zero-copy views: `from` is
 * inclusive, `to` exclusive. To turn user text (`2024-01-31`, ISO-8601, epoch s/ms) into
 * bounds use `parseDateBound` / `sliceByDateRange` in `slice.ts`.
 */
export function sliceByTime(c: Candles, from?: number, to?: number): Candles {
  const s = from === undefined ? 0 : lowerBound(c.time, from);
  const e = to === undefined ? c.time.length : lowerBound(c.time, to);
  return sliceBars(c, s, e);
}
