/**
 * Drawdown analysis of an equity curve: dd[i] = 1 − equity[i] / max(equity[0..i]), reported
 * as NEGATIVE percentages (−25 = 25 % below the peak), like `max_drawdown_pct` in the metrics.
 *
 * An episode runs from its peak bar (the last bar at the running maximum before equity falls)
 * to the first bar back at or above that peak (recovery), or to the last bar if equity never
 * recovers (`recovered: false`). Unlike backtesting.py's average-drawdown statistic, an
 * unrecovered drawdown that starts on the very last bar is kept as an episode.
 *
 * Ulcer index (P. Martin & B. McCann, "The Investor's Guide to Fidelity Funds", 1989):
 * √(mean of dd_pct²) over all bars, in percent.
 */
export interface DrawdownEpisode {
  readonly peak_bar: number;
  readonly trough_bar: number;
  /** Recovery bar, or the last bar when not recovered. */
  readonly end_bar: number;
  readonly recovered: boolean;
  readonly peak_time: number;
  readonly trough_time: number;
  readonly end_time: number;
  readonly depth_pct: number;
  readonly duration_bars: number;
  readonly duration_days: number;
  /** Trough to recovery; null when not recovered. */
  readonly recovery_bars: number | null;
  readonly recovery_days: number | null;
}

export interface DrawdownAnalysis {
  readonly max_drawdown_pct: number;
  readonly avg_drawdown_pct: number | null;
  readonly max_drawdown_duration_days: number | null;
  readonly avg_drawdown_duration_days: number | null;
  /** Share of bars below the running peak, in percent. */
  readonly time_under_water_pct: number;
  readonly ulcer_index: number;
  readonly episodes_total: number;
  /** The deepest episodes first, at most `maxEpisodes`. */
  readonly episodes: DrawdownEpisode[];
  readonly episodes_omitted: number;
  /** Underwater curve with at most `maxPoints` points (the deepest bar of each bucket). */
  readonly underwater: { readonly time: number[]; readonly drawdown_pct: number[]; readonly downsampled: boolean };
  readonly warnings: string[];
}

const DAY_MS = 86_400_000;

/** Drawdown series as positive fractions in [0, 1]. */
export function drawdownSeries(equity: ArrayLike<number>): Float64Array {
  const n = equity.length;
  const dd = new Float64Array(n);
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    const e = equity[i];
    if (!Number.isFinite(e)) throw new RangeError(`equity[${i}] is ${e}; equity must be finite`);
    if (e > peak) peak = e;
    dd[i] = Math.min(1, Math.max(0, 1 - e / peak));
  }
  return dd;
}

export function drawdownAnalysis(
  equity: ArrayLike<number>,
  time: ArrayLike<number>,
  options: { readonly maxEpisodes?: number; readonly maxPoints?: number } = {},
): DrawdownAnalysis {
  const n = equity.length;
  if (n === 0 || time.length !== n) throw new RangeError(`equity (${n}) and time (${time.length}) must be non-empty and of equal length`);
  if (!(equity[0] > 0)) throw new RangeError(`equity[0] must be > 0, got ${equity[0]}`);
  const maxEpisodes = options.maxEpisodes ?? 10;
  const maxPoints = Math.max(2, options.maxPoints ?? 200);
  const dd = drawdownSeries(equity);
  const episodes: DrawdownEpisode[] = [];
  let under = 0;
  let sumSq = 0;
  let maxDd = 0;
  let start = -1; // peak bar of the open episode
  let trough = -1;
  const close = (end: number, recovered: boolean): void => {
    episodes.push({
      peak_bar: start,
      trough_bar: trough,
      end_bar: end,
      recovered,
      peak_time: time[start],
      trough_time: time[trough],
      end_time: time[end],
      depth_pct: -100 * dd[trough],
      duration_bars: end - start,
      duration_days: (time[end] - time[start]) / DAY_MS,
      recovery_bars: recovered ? end - trough : null,
      recovery_days: recovered ? (time[end] - time[trough]) / DAY_MS : null,
    });
  };
  for (let i = 0; i < n; i++) {
    const d = dd[i];
    sumSq += 10_000 * d * d;
    if (d > maxDd) maxDd = d;
    if (d > 0) {
      under++;
      if (start < 0) {
        start = i - 1; // dd[0] = 0 always, so i ≥ 1
        trough = i;
      } else if (d > dd[trough]) trough = i;
    } else if (start >= 0) {
      close(i, true);
      start = -1;
    }
  }
  if (start >= 0) close(n - 1, false);

  const warnings: string[] = [];
  const total = episodes.length;
  if (total === 0) warnings.push('equity never fell below its running peak: no drawdown episodes');
  const durations = episodes.map((e) => e.duration_days);
  const sorted = [...episodes].sort((a, b) => a.depth_pct - b.depth_pct || a.peak_bar - b.peak_bar);
  return {
    max_drawdown_pct: maxDd === 0 ? 0 : -100 * maxDd,
    avg_drawdown_pct: total ? episodes.reduce((s, e) => s + e.depth_pct, 0) / total : null,
    max_drawdown_duration_days: total ? durations.reduce((m, x) => Math.max(m, x), 0) : null,
    avg_drawdown_duration_days: total ? durations.reduce((s, x) => s + x, 0) / total : null,
    time_under_water_pct: (100 * under) / n,
    ulcer_index: Math.sqrt(sumSq / n),
    episodes_total: total,
    episodes: sorted.slice(0, maxEpisodes),
    episodes_omitted: Math.max(0, total - maxEpisodes),
    underwater: underwaterCurve(dd, time, maxPoints),
    warnings,
  };
}

/** At most `maxPoints` points: bars split into equal buckets, the deepest bar of each kept. */
function underwaterCurve(dd: Float64Array, time: ArrayLike<number>, maxPoints: number): DrawdownAnalysis['underwater'] {
  const n = dd.length;
  const t: number[] = [];
  const v: number[] = [];
  const buckets = Math.min(n, maxPoints);
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * n) / buckets);
    const hi = Math.floor(((b + 1) * n) / buckets);
    let best = lo;
    for (let i = lo + 1; i < hi; i++) if (dd[i] > dd[best]) best = i;
    t.push(time[best]);
    v.push(dd[best] === 0 ? 0 : -100 * dd[best]);
  }
  return { time: t, drawdown_pct: v, downsampled: buckets < n };
}
