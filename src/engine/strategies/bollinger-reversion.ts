/**
 * `bollinger_reversion`: mean reversion to the Bollinger middle band (SMA(period) of Close,
 * bands at ± k population standard deviations).
 * Long: enter when Close < lower band; exit when Close ≥ middle band (the mean is reached).
 * Short mirrored: enter when Close > upper band; exit when Close ≤ middle band.
 * An entry bar never carries the exit bit of its own side (Close < lower < middle).
 */
import { z } from 'zod';
import { EXIT_LONG, EXIT_SHORT, type Candles, type Signals } from '../backtest/types.js';
import { bollinger } from '../indicators/index.js';
import type { SearchSpace } from '../optimizer/space.types.js';
import { allocSignals, allowsLong, allowsShort, cachedGroup, finishSignals, firstDecisionBar, warmupOf } from './common.js';
import { directionParam, intParam, numParam, strictParams } from './params.js';
import type { StrategyContext, StrategyDef } from './types.js';

export const bollingerReversionParams = strictParams('bollinger_reversion params', {
  period: intParam('period', { default: 20, min: 2, max: 1000, description: 'Bollinger window (bars): middle band = SMA(period) of Close.' }),
  k: numParam('k', { default: 2, min: 0.1, max: 10, description: 'Band width in population standard deviations of Close over the window.' }),
  direction: directionParam('long_only'),
});

export type BollingerReversionParams = z.output<typeof bollingerReversionParams>;

const space: SearchSpace = Object.freeze({
  period: { type: 'int', low: 10, high: 50, step: 2 },
  k: { type: 'float', low: 1, high: 3, step: 0.25 },
  direction: { type: 'categorical', choices: ['long_only', 'long_short'] },
});

export const bollingerReversion: StrategyDef<BollingerReversionParams> = {
  name: 'bollinger_reversion',
  description:
    'Mean reversion: buy when Close falls below the lower Bollinger band, exit at the middle band ' +
    '(shorts mirrored above the upper band).',
  params: bollingerReversionParams,
  defaultSpace: space,
  warmup: (p) => p.period - 1,
  signals(candles: Candles, p: BollingerReversionParams, ctx: StrategyContext): Signals {
    const close = candles.close;
    const bb = cachedGroup(ctx, 'bollinger', `close:${p.period}:${p.k}`, ['middle', 'upper', 'lower'], () =>
      bollinger(close, p.period, p.k),
    );
    const n = close.length;
    const buf = allocSignals(n, ctx);
    const w = warmupOf(bb.middle, bb.upper, bb.lower);
    const long = allowsLong(p.direction);
    const short = allowsShort(p.direction);
    for (let t = firstDecisionBar(w); t < n; t++) {
      const c = close[t];
      if (c >= bb.middle[t]) buf.exit[t] |= EXIT_LONG;
      if (c <= bb.middle[t]) buf.exit[t] |= EXIT_SHORT;
      if (long && c < bb.lower[t]) buf.entry[t] = 1;
      else if (short && c > bb.upper[t]) buf.entry[t] = -1;
    }
    return finishSignals(buf, w);
  },
};
