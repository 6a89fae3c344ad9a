import { assertPeriod } from './util.js';

/**
 * Simple moving average: the arithmetic mean of the last `period` values. It smooths noise
 * and lags price by about period/2 bars; a fast SMA crossing a slow one is the classic
 * trend-following signal.
 *
 * Output[i] is NaN for i < period − 1 (warm-up) and never rounded. The running sum uses
 * the same compensated (Kahan) add/remove scheme as pandas' `rolling(n).mean()`, including
 * its rule that a window of identical values yields exactly that value, so crossovers
 * decided on near-ties match the reference engine (backtesting.py) bar for bar. The warm-up
 * and the steady state are separate loops, so the hot loop has no bounds branch.
 */
export function sma(values: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  const n = values.length;
  const out = new Float64Array(n);
  const warm = Math.min(n, period - 1);
  for (let i = 0; i < warm; i++) out[i] = NaN;
  let sum = 0;
  let compAdd = 0;
  let compRemove = 0;
  let sameRun = 0;
  let prev = NaN;
  const head = Math.min(n, period);
  for (let i = 0; i < head; i++) {
    // pandas add_mean
    const v = values[i];
    const y = v - compAdd;
    const t = sum + y;
    compAdd = t - sum - y;
    sum = t;
    sameRun = v === prev ? sameRun + 1 : 1;
    prev = v;
  }
  if (n >= period) out[period - 1] = sameRun >= period ? prev : sum / period;
  for (let i = period; i < n; i++) {
    // pandas remove_mean for the value leaving the window, then add_mean for the new one
    const yr = -values[i - period] - compRemove;
    const tr = sum + yr;
    compRemove = tr - sum - yr;
    sum = tr;
    const v = values[i];
    const y = v - compAdd;
    const t = sum + y;
    compAdd = t - sum - y;
    sum = t;
    sameRun = v === prev ? sameRun + 1 : 1;
    prev = v;
    out[i] = sameRun >= period ? v : sum / period;
  }
  return out;
}

/** Running state of one pandas-compatible compensated rolling sum (see `sma`). */
interface KahanWindow {
  sum: number;
  compAdd: number;
  compRemove: number;
}

/**
 * Two SMAs of the same series in one pass, each bit-identical to `sma(values, p)`: the two
 * compensated sums are independent dependency chains, so a CPU overlaps them and the pair
 * costs little more than one (each sum is a chain of dependent additions, which bounds a
 * single SMA's speed). Used by the moving-average crossover when neither SMA is cached.
 */
export function smaPair(values: Float64Array, pa: number, pb: number): [Float64Array, Float64Array] {
  const a = new Float64Array(values.length);
  const b = new Float64Array(values.length);
  scanPair(values, pa, pb, a, b, null);
  return [a, b];
}

/**
 * Where SMA(a) crosses SMA(b) (strictly, on both bars, as backtesting.py's `crossover`):
 * an upward cross writes `up` to entry[t] and the `upExit` bit to exit[t], a downward one
 * `down` and `downExit`.
 */
export interface CrossMarks {
  readonly entry: Int8Array;
  readonly exit: Uint8Array;
  readonly up: number;
  readonly upExit: number;
  readonly down: number;
  readonly downExit: number;
}

/**
 * The crossover marks of SMA(pa) over SMA(pb) computed on the fly, the averages never
 * stored (a single backtest has no use for them: 16 MB less to allocate, write and read
 * back on a million bars). The averages are `smaPair`'s, bit for bit, so the marks are
 * those of a crossover test on its arrays. Returns the warm-up bar (the larger first valid
 * index), or −1 when `values` holds a NaN: then the caller must use the arrays, whose
 * first valid index depends on where the NaN was.
 */
export function smaCrossMarks(values: Float64Array, pa: number, pb: number, marks: CrossMarks): number {
  if (!scanPair(values, pa, pb, null, null, marks)) return -1;
  const longest = Math.max(pa, pb);
  return values.length >= longest ? longest - 1 : values.length;
}

/** The pass behind `smaPair` and `smaCrossMarks`; false when some value was NaN. */
function scanPair(values: Float64Array, pa: number, pb: number, a: Float64Array | null, b: Float64Array | null, marks: CrossMarks | null): boolean {
  assertPeriod(pa, 'period');
  assertPeriod(pb, 'period');
  const n = values.length;
  const wa: KahanWindow = { sum: 0, compAdd: 0, compRemove: 0 };
  const wb: KahanWindow = { sum: 0, compAdd: 0, compRemove: 0 };
  let sameRun = 0;
  let prev = NaN;
  let clean = true;
  const head = Math.min(n, Math.max(pa, pb));
  // warm-up of the longer window: each window adds, removes once full, and reports from
  // p − 1; no cross is possible yet (the longer average has no previous value)
  let va = NaN;
  let vb = NaN;
  for (let i = 0; i < head; i++) {
    const v = values[i];
    if (v !== v) clean = false;
    sameRun = v === prev ? sameRun + 1 : 1;
    prev = v;
    va = step(wa, values, i, pa, v, sameRun);
    vb = step(wb, values, i, pb, v, sameRun);
    if (a) a[i] = va;
    if (b) b[i] = vb;
  }
  // steady state, both windows full: the same operations as `sma`, in locals
  let sa = wa.sum, addA = wa.compAdd, remA = wa.compRemove;
  let sb = wb.sum, addB = wb.compAdd, remB = wb.compRemove;
  for (let i = head; i < n; i++) {
    const v = values[i];
    if (v !== v) clean = false;
    sameRun = v === prev ? sameRun + 1 : 1;
    prev = v;
    const yra = -values[i - pa] - remA;
    const tra = sa + yra;
    remA = tra - sa - yra;
    sa = tra;
    const ya = v - addA;
    const ta = sa + ya;
    addA = ta - sa - ya;
    sa = ta;
    const fa = sameRun >= pa ? v : sa / pa;
    const yrb = -values[i - pb] - remB;
    const trb = sb + yrb;
    remB = trb - sb - yrb;
    sb = trb;
    const yb = v - addB;
    const tb = sb + yb;
    addB = tb - sb - yb;
    sb = tb;
    const fb = sameRun >= pb ? v : sb / pb;
    if (a) a[i] = fa;
    if (b) b[i] = fb;
    if (marks) {
      if (va < vb && fa > fb) {
        marks.entry[i] = marks.up;
        marks.exit[i] |= marks.upExit;
      } else if (va > vb && fa < fb) {
        marks.entry[i] = marks.down;
        marks.exit[i] |= marks.downExit;
      }
    }
    va = fa;
    vb = fb;
  }
  return clean;
}

/** One bar of a window during the warm-up phase of `smaPair`: returns the SMA (NaN before p − 1). */
function step(w: KahanWindow, values: Float64Array, i: number, p: number, v: number, sameRun: number): number {
  if (i >= p) {
    const yr = -values[i - p] - w.compRemove;
    const tr = w.sum + yr;
    w.compRemove = tr - w.sum - yr;
    w.sum = tr;
  }
  const y = v - w.compAdd;
  const t = w.sum + y;
  w.compAdd = t - w.sum - y;
  w.sum = t;
  if (i < p - 1) return NaN;
  return sameRun >= p ? v : w.sum / p;
}
