/**
 * Drawdown statistics of an equity curve. dd[i] = 1 − equity[i] / max(equity[0..i]).
 *
 * An episode runs from a peak bar (dd = 0) to the next bar where dd is 0 again (recovery),
 * or to the last bar when equity never recovers. Its duration is the time between those two
 * bars and its depth the largest dd inside. This is backtesting.py's
 * `compute_drawdown_duration_peaks`, which pairs consecutive members of
 * {bars with dd = 0} ∪ {last bar} that are more than one bar apart; it therefore ignores an
 * unrecovered drawdown that starts on the very last bar (`dropLastBarEpisode`).
 *
 * With no episode the mean depth and the durations are undefined (NaN; backtesting.py
 * reports NaN for them, and −0 for the max drawdown). One exception, for parity: when
 * `dropLastBarEpisode` leaves out a drawdown on the very last bar, backtesting.py's
 * no-episode fallback (`dd.replace(0, nan)` as both the peaks and the durations) still
 * averages that bar's depth, so `avgDrawdown` is that depth there (its "durations" are the
 * same unitless depth, a quirk the caller does not reproduce).
 */
export interface DrawdownStats {
  /** Largest drawdown as a positive fraction (0 when equity never fell). */
  readonly maxDrawdown: number;
  readonly episodes: number;
  /** Mean of the episodes' depths (positive fraction; NaN with no episode, see above). */
  readonly avgDrawdown: number;
  /** Depth of a drawdown on the very last bar left out by `dropLastBarEpisode` (else 0). */
  readonly droppedLastBar: number;
  /** Longest / mean episode duration in ms (NaN with no episode). */
  readonly maxDurationMs: number;
  readonly avgDurationMs: number;
  readonly peakEquity: number;
}

export function drawdownStats(time: Float64Array, equity: Float64Array, dropLastBarEpisode: boolean): DrawdownStats {
  const n = equity.length;
  let peak = -Infinity;
  let maxDd = 0;
  let prev = 0; // last bar with dd = 0
  let depth = 0; // deepest dd since `prev`
  let episodes = 0;
  let sumDepth = 0;
  let sumDur = 0;
  let maxDur = 0;
  for (let i = 0; i < n; i++) {
    const e = equity[i];
    if (e > peak) peak = e;
    const dd = 1 - e / peak;
    if (dd > maxDd) maxDd = dd;
    if (dd === 0 || !(dd > 0)) {
      if (i > prev + 1) {
        episodes++;
        sumDepth += depth;
        const dur = time[i] - time[prev];
        sumDur += dur;
        if (dur > maxDur) maxDur = dur;
      }
      prev = i;
      depth = 0;
    } else if (dd > depth) {
      depth = dd;
    }
  }
  const last = n - 1;
  let droppedLastBar = 0;
  if (n > 0 && prev < last) {
    if (last > prev + 1 || !dropLastBarEpisode) {
      episodes++;
      sumDepth += depth;
      const dur = time[last] - time[prev];
      sumDur += dur;
      if (dur > maxDur) maxDur = dur;
    } else droppedLastBar = depth;
  }
  const none = episodes === 0;
  return {
    maxDrawdown: maxDd,
    episodes,
    avgDrawdown: none ? (droppedLastBar > 0 ? droppedLastBar : NaN) : sumDepth / episodes,
    droppedLastBar,
    maxDurationMs: none ? NaN : maxDur,
    avgDurationMs: none ? NaN : sumDur / episodes,
    peakEquity: peak,
  };
}
