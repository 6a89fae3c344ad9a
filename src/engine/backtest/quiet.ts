/**
 * Quiet bars: the simulator's fast path (simulate.ts). On most bars nothing happens — no
 * order fills, no exit level exists, the signals ask for nothing — and the bar's only work
 * is its equity. These two loops run such stretches with the whole state in locals (no
 * broker object, no per-bar branches for features the run does not use) and stop at the
 * first bar where something might happen, which the simulator's general step then handles
 * in full. They are only used when the run has no exit levels (stop-loss, take-profit,
 * trailing stop) and no position-dependent decisions (`Signals.decide`), so a quiet bar
 * needs nothing but its close and its signals.
 *
 * Both return the first bar in [from, limit) that is not quiet, or `limit`; bars before it
 * have their equity written, exactly as the general step would write it (same expression).
 * `limit` is the next checkpoint bar or the last bar, which the general step handles.
 */

/** Flat: equity is the cash; a bar is quiet unless its entry signal opens an allowed position. */
export function quietFlat(
  entry: Int8Array,
  from: number,
  limit: number,
  cash: number,
  allowLong: boolean,
  allowShort: boolean,
  equity: Float64Array,
): number {
  if (!(cash > 0)) return from; // liquidation (or NaN) is the general step's
  const up = allowLong ? 1 : 0; // an entry value that opens a position (0 = none does)
  const down = allowShort ? -1 : 0;
  let t = from;
  for (; t < limit; t++) {
    const e = entry[t];
    if (e !== 0 && (e === up || e === down)) break;
    equity[t] = cash;
  }
  return t;
}

/**
 * Holding `dir` (±1) `qty` signed units entered at `entryPrice` (cash after the entry fee):
 * a bar is quiet while equity stays > 0, the entry signal does not reverse, the exit bit for
 * this side is clear and the holding limit is not reached (`holdUntil`: the first bar whose
 * decision closes on max_hold_bars, or a bar past the end when there is no limit).
 */
export function quietHeld(
  close: Float64Array,
  entry: Int8Array,
  exit: Uint8Array,
  from: number,
  limit: number,
  dir: number,
  cash: number,
  qty: number,
  entryPrice: number,
  holdUntil: number,
  equity: Float64Array,
): number {
  const reverse = -dir;
  const bit = dir > 0 ? 1 : 2;
  const end = holdUntil < limit ? holdUntil : limit;
  let t = from;
  for (; t < end; t++) {
    const eq = cash + qty * (close[t] - entryPrice);
    if (!(eq > 0) || entry[t] === reverse || (exit[t] & bit) !== 0) break;
    equity[t] = eq;
  }
  return t;
}
