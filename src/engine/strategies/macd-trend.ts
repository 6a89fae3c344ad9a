/**
 * `macd_trend`: trend following on MACD (EMA(fast) − EMA(slow) of Close) crossing its signal
 * line (EMA(signal) of MACD). Cross above → bullish (entry +1, exit-short bit); cross below →
 * bearish (entry −1 when shorts are allowed, exit-long bit). Strict on both bars.
 */
import { z } from 'zod';
import type { Candles, Signals } from '../backtest/types.js';
import { macd } from '../indicators/index.js';
import type { SearchSpace } from '../optimizer/space.types.js';
import { allocSignals, cachedGroup, crossedAbove, crossedBelow, finishSignals, firstDecisionBar, markBearish, markBullish, warmupOf } from './common.js';
import { directionParam, intParam, issue, strictParams } from './params.js';
import type { StrategyContext, StrategyDef } from './types.js';

export const macdTrendParams = strictParams('macd_trend params', {
  fast: intParam('fast', { default: 12, min: 1, max: 1000, description: 'Fast EMA period of Close; must be < slow.' }),
  slow: intParam('slow', { default: 26, min: 2, max: 1000, description: 'Slow EMA period of Close; must be > fast.' }),
  signal: intParam('signal', { default: 9, min: 1, max: 1000, description: 'EMA period of the MACD line giving the signal line.' }),
  direction: directionParam('long_only'),
}).superRefine((p, ctx) => {
  if (p.fast >= p.slow) issue(ctx, ['fast'], `fast (${p.fast}) must be < slow (${p.slow})`);
});

export type MacdTrendParams = z.output<typeof macdTrendParams>;

/** fast and slow ranges do not overlap, so every point satisfies fast < slow. */
const space: SearchSpace = Object.freeze({
  fast: { type: 'int', low: 5, high: 20 },
  slow: { type: 'int', low: 21, high: 60 },
  signal: { type: 'int', low: 3, high: 15 },
  direction: { type: 'categorical', choices: ['long_only', 'long_short'] },
});

export const macdTrend: StrategyDef<MacdTrendParams> = {
  name: 'macd_trend',
  description:
    'Trend following: MACD(fast, slow) crossing above its signal line goes long, crossing below closes the long ' +
    '(and goes short with direction long_short).',
  params: macdTrendParams,
  defaultSpace: space,
  // MACD is valid from slow − 1; its EMA(signal) from slow − 1 + signal − 1.
  warmup: (p) => p.slow + p.signal - 2,
  signals(candles: Candles, p: MacdTrendParams, ctx: StrategyContext): Signals {
    const close = candles.close;
    const m = cachedGroup(ctx, 'macd', `close:${p.fast}:${p.slow}:${p.signal}`, ['macd', 'signal', 'histogram'], () =>
      macd(close, p.fast, p.slow, p.signal),
    );
    const n = close.length;
    const buf = allocSignals(n, ctx);
    const w = warmupOf(m.macd, m.signal);
    for (let t = firstDecisionBar(w); t < n; t++) {
      if (crossedAbove(m.macd, m.signal, t)) markBullish(buf, t, p.direction);
      else if (crossedBelow(m.macd, m.signal, t)) markBearish(buf, t, p.direction);
    }
    return finishSignals(buf, w);
  },
};
