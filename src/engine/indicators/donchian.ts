import { rollingMax, rollingMin } from './rolling.js';
import { assertPeriod, assertSameLength } from './util.js';

export interface DonchianChannel {
  upper: Float64Array;
  lower: Float64Array;
  middle: Float64Array;
}

/**
 * Donchian Channel (Richard Donchian): the highest high and lowest low of the last
 * `period` bars and their midpoint. A close through the upper band is the classic
 * breakout entry (the Turtle rules); the lower band serves as a trailing exit.
 *
 * Convention (trading-signals `DonchianChannels`): the window includes the current bar,
 * so to test a breakout of the *previous* N bars compare close[t] with upper[t − 1].
 * middle = (upper + lower) / 2. First value at index period − 1, NaN before. Never rounded.
 */
export function donchian(high: Float64Array, low: Float64Array, period: number): DonchianChannel {
  assertPeriod(period, 'period');
  assertSameLength({ high, low });
  const upper = rollingMax(high, period);
  const lower = rollingMin(low, period);
  const n = high.length;
  const middle = new Float64Array(n);
  for (let i = 0; i < n; i++) middle[i] = (upper[i] + lower[i]) / 2;
  return { upper, lower, middle };
}
