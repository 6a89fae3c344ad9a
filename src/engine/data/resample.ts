/**
 * Aggregates candles to a coarser timeframe: open = first, high = max, low = min,
 * close = last, volume = sum of the bars whose *open time* falls in the bucket.
 *
 * Buckets are UTC: fixed sizes at multiples of the size since the epoch, weeks from Monday
 * 00:00, months from the 1st 00:00. Each output bar is labelled with its bucket's start
 * (pandas `label='left'`), also for months. Buckets without source bars are dropped, never
 * filled, so gaps stay gaps; a partly covered bucket (e.g. the last, unfinished day) is
 * kept with the bars it has.
 */
import type { Candles } from './candles.js';
import { DATA_ERROR_CODES, DataError } from './errors.js';
import { MS_PER_DAY, formatIso } from './iso-time.js';
import { bucketStart, nextBucketStart, parseTimeframe, type Timeframe } from './timeframe.js';

function checkTarget(src: Timeframe, dst: Timeframe): void {
  const what = `cannot resample ${src.id} bars to ${dst.id}`;
  if (dst.ms < src.ms) {
    throw new DataError(
      DATA_ERROR_CODES.resampleFiner,
      'timeframe',
      dst.id,
      `${what}: the target is finer than the data; resampling only aggregates to a coarser timeframe (import ${dst.id} data instead)`,
    );
  }
  const fits = dst.unit === 'month' || dst.unit === 'week' ? !src.calendar && MS_PER_DAY % src.ms === 0 : dst.ms % src.ms === 0;
  if (!fits) {
    throw new DataError(
      DATA_ERROR_CODES.resampleNotMultiple,
      'timeframe',
      dst.id,
      `${what}: ${dst.id} is not a whole multiple of ${src.id}, so bars would straddle bucket edges; pick a target that ${src.id} divides evenly`,
    );
  }
}

/** Resamples to `timeframe` (same timeframe → the input itself). Throws `DataError` for finer or non-multiple targets. */
export function resample(c: Candles, timeframe: string): Candles {
  const src = parseTimeframe(c.timeframe);
  const dst = parseTimeframe(timeframe);
  if (dst.id === src.id) return c;
  checkTarget(src, dst);

  const n = c.time.length;
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let k = -1;
  let end = -Infinity;
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = c.time[i];
    if (!(t > prev)) {
      throw new DataError(DATA_ERROR_CODES.invalidCandles, 'time', String(t), `cannot resample: bar ${i} time ${formatIso(t)} is not after the previous bar's (validate the candles first)`);
    }
    prev = t;
    if (t >= end) {
      const start = bucketStart(t, dst);
      end = nextBucketStart(start, dst);
      k++;
      time[k] = start;
      open[k] = c.open[i];
      high[k] = c.high[i];
      low[k] = c.low[i];
      close[k] = c.close[i];
      volume[k] = c.volume[i];
    } else {
      if (c.high[i] > high[k]) high[k] = c.high[i];
      if (c.low[i] < low[k]) low[k] = c.low[i];
      close[k] = c.close[i];
      volume[k] += c.volume[i];
    }
  }
  const m = k + 1;
  return {
    symbol: c.symbol,
    timeframe: dst.id,
    time: time.slice(0, m),
    open: open.slice(0, m),
    high: high.slice(0, m),
    low: low.slice(0, m),
    close: close.slice(0, m),
    volume: volume.slice(0, m),
  };
}
