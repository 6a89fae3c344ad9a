import type { Candles, SimulationResult } from '../backtest/types.js';
import type { MetricKey } from './keys.js';
import type { MetricSink } from './sink.js';
import { InputError } from '../errors.js';

/**
 * Prediction-quality metrics of a strategy that emits a confidence (Signals.confidence), in
 * the style of EXECUTION.md §3 (README, "Prediction quality"):
 *
 * - A **prediction** is an entry of the run — a closed trade or one still open at the end —
 *   whose decision bar t = entry_bar − 1 (the bar whose close produced the order that filled
 *   at Open[t+1]) has a finite confidence c = confidence[t], and whose horizon is complete:
 *   t + H ≤ N − 1. H is `ExecutionSpec.prediction_horizon` (default 1 bar). Entries whose
 *   horizon runs past the last bar are not scored; entries without a finite confidence at
 *   their decision bar are not predictions (and are counted in a warning).
 * - Its outcome y = 1 when the entry's direction d (+1 long, −1 short) matches the sign of
 *   the close-to-close return from the decision bar, r = Close[t+H] / Close[t] − 1, i.e.
 *   d · r > 0; a flat close (r = 0) is a miss. c reads as the probability that y = 1.
 *   The decision saw bars ≤ t only; the outcome uses bars t+1 … t+H, after it.
 * - `predictions` = the number of predictions n.
 * - `hit_rate_pct` = 100 · Σy / n.
 * - `brier` = Σ(c − y)² / n (0 = perfect, 0.25 = always saying 0.5; lower is better).
 * - `ece` = Σ_k (n_k / n) · |mean c in bin k − mean y in bin k| over 10 equal-width bins
 *   [0, 0.1), [0.1, 0.2), …, [0.9, 1.0] (bin k = min(⌊10c⌋, 9); empty bins weigh 0).
 * c outside [0, 1] is clamped into it (with a warning). With no confidence series all four
 * are null; with no prediction `predictions` is 0 and the other three are null (warnings
 * say why) — never a made-up number.
 */
export const ECE_BINS = 10;

/** One entry to score: its decision bar and its direction (+1 long, −1 short). */
export interface PredictionEntry {
  readonly bar: number;
  readonly direction: 1 | -1;
}

export interface PredictionStats {
  /** Scored predictions n. */
  readonly predictions: number;
  /** Σy / n (NaN when n = 0). */
  readonly hitRate: number;
  /** Σ(c − y)² / n (NaN when n = 0). */
  readonly brier: number;
  /** Expected calibration error over ECE_BINS equal-width bins (NaN when n = 0). */
  readonly ece: number;
  /** Entries without a finite confidence at their decision bar (not predictions). */
  readonly withoutConfidence: number;
  /** Entries whose horizon runs past the last bar (not scored). */
  readonly beyondEnd: number;
  /** Predictions whose confidence was outside [0, 1] and was clamped. */
  readonly clamped: number;
}

/** The decision bars and directions of every entry of a simulation (closed and open trades). */
export function entriesOf(sim: Pick<SimulationResult, 'trades' | 'open_trades'>): PredictionEntry[] {
  const out: PredictionEntry[] = [];
  for (const t of sim.trades) out.push({ bar: t.entry_bar - 1, direction: t.direction === 'long' ? 1 : -1 });
  for (const t of sim.open_trades) out.push({ bar: t.entry_bar - 1, direction: t.direction === 'long' ? 1 : -1 });
  return out;
}

/** Hit rate, Brier score and ECE of `entries` against `close` over `horizon` bars (pure). */
export function predictionStats(close: ArrayLike<number>, entries: readonly PredictionEntry[], confidence: ArrayLike<number>, horizon: number): PredictionStats {
  if (!(Number.isInteger(horizon) && horizon >= 1)) throw new InputError(`prediction horizon must be an integer >= 1, got ${horizon}`);
  const n = close.length;
  const binCount = new Float64Array(ECE_BINS);
  const binConf = new Float64Array(ECE_BINS);
  const binHits = new Float64Array(ECE_BINS);
  let count = 0;
  let hits = 0;
  let sq = 0;
  let withoutConfidence = 0;
  let beyondEnd = 0;
  let clamped = 0;
  for (const e of entries) {
    const t = e.bar;
    const raw = t >= 0 && t < confidence.length ? confidence[t] : NaN;
    if (!Number.isFinite(raw)) {
      withoutConfidence++;
      continue;
    }
    if (t + horizon > n - 1) {
      beyondEnd++;
      continue;
    }
    const c = Math.min(1, Math.max(0, raw));
    if (c !== raw) clamped++;
    const y = e.direction * (close[t + horizon] / close[t] - 1) > 0 ? 1 : 0;
    count++;
    hits += y;
    sq += (c - y) ** 2;
    const k = Math.min(Math.floor(c * ECE_BINS), ECE_BINS - 1);
    binCount[k]++;
    binConf[k] += c;
    binHits[k] += y;
  }
  let ece = 0;
  for (let k = 0; k < ECE_BINS; k++) {
    if (binCount[k] > 0) ece += (binCount[k] / count) * Math.abs(binConf[k] / binCount[k] - binHits[k] / binCount[k]);
  }
  return {
    predictions: count,
    hitRate: count > 0 ? hits / count : NaN,
    brier: count > 0 ? sq / count : NaN,
    ece: count > 0 ? ece : NaN,
    withoutConfidence,
    beyondEnd,
    clamped,
  };
}

/** Writes `predictions`, `hit_rate_pct`, `brier` and `ece` (null with reasons when undefined). */
export function putPredictionMetrics(
  out: MetricSink<MetricKey>,
  candles: Candles,
  sim: Pick<SimulationResult, 'trades' | 'open_trades'>,
  confidence: ArrayLike<number> | undefined,
  horizon: number,
): void {
  if (confidence === undefined) {
    out.undefinedAll(['predictions', 'hit_rate_pct', 'brier', 'ece'], 'the strategy emits no confidence');
    return;
  }
  const s = predictionStats(candles.close, entriesOf(sim), confidence, horizon);
  out.put('predictions', s.predictions);
  const none = `no predictions (no entry with a finite confidence and ${horizon} bar(s) of data after its decision bar)`;
  out.put('hit_rate_pct', s.hitRate * 100, none);
  out.put('brier', s.brier, none);
  out.put('ece', s.ece, none);
  if (s.withoutConfidence > 0) out.warn(`${s.withoutConfidence} entr${s.withoutConfidence === 1 ? 'y has' : 'ies have'} no finite confidence at the decision bar: not counted as predictions`);
  if (s.clamped > 0) out.warn(`${s.clamped} prediction(s) had a confidence outside [0, 1], clamped into it`);
}
