/**
 * Display reduction for long series that keeps their extremes: per bucket of consecutive
 * points, the first, minimum, maximum and last point (min/max decimation), and OHLC candles
 * aggregated per bucket (open of the first bar, highest high, lowest low, close of the last).
 * For drawing only: never applied to trades or trials, which charts always draw in full.
 */

/** Bucket b of n points in `buckets` buckets covers [start(b), start(b + 1)). */
function bucketStart(b: number, n: number, buckets: number): number {
  return Math.floor((b * n) / buckets);
}

/**
 * Indices to keep: per bucket the first, min, max and last index, sorted and deduplicated.
 * All indices when n ≤ 4·buckets (nothing to gain). Non-finite values are never picked as min
 * or max (they may still be a bucket's first or last point).
 */
export function minMaxIndices(values: Float64Array, buckets: number): Int32Array {
  const n = values.length;
  const nb = Math.max(1, Math.floor(buckets));
  if (n <= 4 * nb) return Int32Array.from({ length: n }, (_, i) => i);
  const out = new Int32Array(4 * nb);
  let k = 0;
  for (let b = 0; b < nb; b++) {
    const lo = bucketStart(b, n, nb);
    const hi = bucketStart(b + 1, n, nb);
    if (hi <= lo) continue;
    let iMin = -1;
    let iMax = -1;
    for (let i = lo; i < hi; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (iMin < 0 || v < values[iMin]) iMin = i;
      if (iMax < 0 || v > values[iMax]) iMax = i;
    }
    // Buckets are contiguous and ascending, so sorting within the bucket keeps the whole sorted.
    const picks = [lo, iMin, iMax, hi - 1].filter((i) => i >= 0).sort((a, c) => a - c);
    for (const i of picks) if (k === 0 || out[k - 1] !== i) out[k++] = i;
  }
  return out.slice(0, k);
}

/** OHLC candles aggregated per bucket, with how many source bars each holds. */
export interface CandleBuckets {
  /** Time of each bucket's first bar. */
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** Source bars per bucket (the last bucket may differ by one); 1 when nothing was aggregated. */
  readonly size: number;
}

/**
 * Aggregates n bars into at most `buckets` candles of ⌈n / buckets⌉ consecutive bars. Returns
 * copies of the inputs (size 1) when n ≤ buckets.
 */
export function candleBuckets(
  time: Float64Array,
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  buckets: number,
): CandleBuckets {
  const n = time.length;
  const nb = Math.max(1, Math.floor(buckets));
  if (n <= nb) {
    return { time: time.slice(), open: open.slice(), high: high.slice(), low: low.slice(), close: close.slice(), size: 1 };
  }
  const size = Math.ceil(n / nb);
  const m = Math.ceil(n / size);
  const t = new Float64Array(m);
  const o = new Float64Array(m);
  const h = new Float64Array(m);
  const l = new Float64Array(m);
  const c = new Float64Array(m);
  for (let b = 0; b < m; b++) {
    const lo = b * size;
    const hi = Math.min(n, lo + size);
    let hh = -Infinity;
    let ll = Infinity;
    for (let i = lo; i < hi; i++) {
      if (high[i] > hh) hh = high[i];
      if (low[i] < ll) ll = low[i];
    }
    t[b] = time[lo];
    o[b] = open[lo];
    h[b] = hh === -Infinity ? Number.NaN : hh;
    l[b] = ll === Infinity ? Number.NaN : ll;
    c[b] = close[hi - 1];
  }
  return { time: t, open: o, high: h, low: l, close: c, size };
}
