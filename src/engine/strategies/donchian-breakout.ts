/**
 * `donchian_breakout` (turtle style): breakouts of the PREVIOUS bar's Donchian channel.
 * upperE[t−1] = highest High of bars t−entry_period … t−1, lowerE likewise with Low (the
 * channel at t−1 excludes bar t, so a bar can break out of it — no look-ahead).
 * Long: enter when Close[t] > upperE[t−1]; exit when Close[t] < lowerX[t−1] (the exit_period
 * channel). Short mirrored: enter when Close[t] < lowerE[t−1]; exit when Close[t] > upperX[t−1].
 * Warm-up: the channels are first valid at period − 1, so w = max(entry, exit) − 1 and the
 * first decision (bar w + 1) compares with the channel at w.
 */
import { z } from 'zod';
import { EXIT_LONG, EXIT_SHORT, type Candles, type Signals } from '../backtest/types.js';
import { rollingMax, rollingMin } from '../indicators/index.js';
import type { SearchSpace } from '../optimizer/space.types.js';
import { allocSignals, allowsLong, allowsShort, finishSignals, firstDecisionBar, warmupOf } from './common.js';
import { directionParam, intParam, strictParams } from './params.js';
import { cached, type StrategyContext, type StrategyDef } from './types.js';

export const donchianBreakoutParams = strictParams('donchian_breakout params', {
  entry_period: intParam('entry_period', { default: 20, min: 1, max: 5000, description: 'Bars in the breakout channel (highest High / lowest Low of the previous entry_period bars).' }),
  exit_period: intParam('exit_period', { default: 10, min: 1, max: 5000, description: 'Bars in the exit channel: a long exits below the lowest Low of the previous exit_period bars (short mirrored).' }),
  direction: directionParam('long_only'),
});

export type DonchianBreakoutParams = z.output<typeof donchianBreakoutParams>;

const space: SearchSpace = Object.freeze({
  entry_period: { type: 'int', low: 10, high: 100, step: 5 },
  exit_period: { type: 'int', low: 5, high: 50, step: 5 },
  direction: { type: 'categorical', choices: ['long_only', 'long_short'] },
});

export const donchianBreakout: StrategyDef<DonchianBreakoutParams> = {
  name: 'donchian_breakout',
  description:
    'Breakout: go long when Close breaks above the previous bar\'s entry_period Donchian high, exit below the ' +
    'previous exit_period low (shorts mirrored with direction long_short/short_only).',
  params: donchianBreakoutParams,
  defaultSpace: space,
  warmup: (p) => Math.max(p.entry_period, p.exit_period) - 1,
  signals(candles: Candles, p: DonchianBreakoutParams, ctx: StrategyContext): Signals {
    const { high, low, close } = candles;
    const upE = cached(ctx, `max:high:${p.entry_period}`, () => rollingMax(high, p.entry_period));
    const loE = cached(ctx, `min:low:${p.entry_period}`, () => rollingMin(low, p.entry_period));
    const upX = cached(ctx, `max:high:${p.exit_period}`, () => rollingMax(high, p.exit_period));
    const loX = cached(ctx, `min:low:${p.exit_period}`, () => rollingMin(low, p.exit_period));
    const n = close.length;
    const buf = allocSignals(n, ctx);
    const w = warmupOf(upE, loE, upX, loX);
    const long = allowsLong(p.direction);
    const short = allowsShort(p.direction);
    for (let t = firstDecisionBar(w); t < n; t++) {
      const c = close[t];
      if (c < loX[t - 1]) buf.exit[t] |= EXIT_LONG;
      if (c > upX[t - 1]) buf.exit[t] |= EXIT_SHORT;
      if (long && c > upE[t - 1]) buf.entry[t] = 1;
      else if (short && c < loE[t - 1]) buf.entry[t] = -1;
    }
    return finishSignals(buf, w);
  },
};
