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
  assertPeriod(pa, 'period');
  assertPeriod(pb, 'period');
  const n = values.length;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const wa: KahanWindow = { sum: 0, compAdd: 0, compRemove: 0 };
  const wb: KahanWindow = { sum: 0, compAdd: 0, compRemove: 0 };
  let sameRun = 0;
  let prev = NaN;
  const head = Math.min(n, Math.max(pa, pb));
  // warm-up of the longer window: each window adds, removes once full, and reports from p − 1
  for (let i = 0; i < head; i++) {
    const v = values[i];
    sameRun = v === prev ? sameRun + 1 : 1;
    prev = v;
    a[i] = step(wa, values, i, pa, v, sameRun);
    b[i] = step(wb, values, i, pb, v, sameRun);
  }
  // steady state, both windows full: the same operations as `sma`, in locals
  let sa = wa.sum, addA = wa.compAdd, remA = wa.compRemove;
  let sb = wb.sum, addB = wb.compAdd, remB = wb.compRemove;
  for (let i = head; i < n; i++) {
    const v = values[i];
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
    a[i] = sameRun >= pa ? v : sa / pa;
    const yrb = -values[i - pb] - remB;
    const trb = sb + yrb;
    remB = trb - sb - yrb;
    sb = trb;
    const yb = v - addB;
    const tb = sb + yb;
    addB = tb - sb - yb;
    sb = tb;
    b[i] = sameRun >= pb ? v : sb / pb;
  }
  return [a, b];
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
