import { assertPeriod, nanArray } from './util.js';

/**
 * Relative Strength Index (Wilder 1978): the share of recent up-moves in all recent moves,
 * on a 0–100 scale. Readings above ~70 are read as overbought, below ~30 as oversold
 * (the `rsi_reversion` strategy trades exactly that); 50 is neutral.
 *
 * Contract (EXECUTION.md §6, must not change): with d[t] = close[t] − close[t−1],
 * gain = max(d, 0), loss = max(−d, 0); the average gain/loss is seeded with the simple
 * mean of the first `period` differences (d[1..period]) and then smoothed by Wilder's rule
 * avg = (avg·(period − 1) + x) / period. RSI = 100 − 100 / (1 + avgGain/avgLoss);
 * RSI = 100 when avgLoss = 0 and avgGain > 0, and 50 when both are 0 (a flat market).
 * The first value is at index `period`; earlier outputs are NaN. Never rounded.
 *
 * Same as Tulip `rsi` and trading-signals `RSI` (WSMA smoothing) except that the latter
 * returns 100 for a flat market. Input is assumed NaN-free (a NaN propagates).
 */
export function rsi(close: Float64Array, period: number): Float64Array {
  assertPeriod(period, 'period');
  const n = close.length;
  const out = nanArray(n);
  if (n <= period) return out;
  let gainSum = 0;
  let lossSum = 0;
  for (let i = 1; i <= period; i++) {
    const cur = close[i];
    const prev = close[i - 1];
    if (cur > prev) gainSum += cur - prev;
    else lossSum += prev - cur;
  }
  let avgGain = gainSum / period;
  let avgLoss = lossSum / period;
  out[period] = rsiValue(avgGain, avgLoss);
  const keep = period - 1;
  for (let i = period + 1; i < n; i++) {
    const cur = close[i];
    const prev = close[i - 1];
    const gain = cur > prev ? cur - prev : 0;
    const loss = cur > prev ? 0 : prev - cur;
    avgGain = (avgGain * keep + gain) / period;
    avgLoss = (avgLoss * keep + loss) / period;
    out[i] = rsiValue(avgGain, avgLoss);
  }
  return out;
}

function rsiValue(avgGain: number, avgLoss: number): number {
  if (avgLoss === 0) return avgGain === 0 ? 50 : 100;
  return 100 - 100 / (1 + avgGain / avgLoss);
}
