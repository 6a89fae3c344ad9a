/**
 * `rsi_reversion` (EXECUTION.md §6): mean reversion on Wilder's RSI of Close.
 * Long: enter when RSI < lower, exit when RSI > upper. Short mirrored: enter when RSI > upper,
 * exit when RSI < lower. "When flat" is the simulator's job (an entry in the held direction
 * is ignored). With long_short an RSI extreme both closes one side and opens the other.
 */
import { z } from 'zod';
import type { Candles, Signals } from '../backtest/types.js';
import { rsi } from '../indicators/index.js';
import type { SearchSpace } from '../optimizer/space.types.js';
import { allocSignals, finishSignals, firstDecisionBar, markBearish, markBullish, warmupOf } from './common.js';
import { directionParam, intParam, issue, numParam, strictParams } from './params.js';
import { cached, type StrategyContext, type StrategyDef } from './types.js';

export const rsiReversionParams = strictParams('rsi_reversion params', {
  period: intParam('period', { default: 14, min: 2, max: 1000, description: "Wilder RSI period (bars); RSI is first valid at bar index `period`." }),
  lower: numParam('lower', { default: 30, min: 0, max: 100, description: 'Oversold level: RSI < lower enters long and exits short; must be < upper.' }),
  upper: numParam('upper', { default: 70, min: 0, max: 100, description: 'Overbought level: RSI > upper exits long and enters short; must be > lower.' }),
  direction: directionParam('long_only'),
}).superRefine((p, ctx) => {
  if (p.lower >= p.upper) issue(ctx, ['lower'], `lower (${p.lower}) must be < upper (${p.upper})`);
});

export type RsiReversionParams = z.output<typeof rsiReversionParams>;

const space: SearchSpace = Object.freeze({
  period: { type: 'int', low: 5, high: 30 },
  lower: { type: 'int', low: 10, high: 40, step: 5 },
  upper: { type: 'int', low: 60, high: 90, step: 5 },
  direction: { type: 'categorical', choices: ['long_only', 'long_short'] },
});

export const rsiReversion: StrategyDef<RsiReversionParams> = {
  name: 'rsi_reversion',
  description:
    'Mean reversion: buy when Wilder RSI(period) < lower, sell when RSI > upper (shorts mirrored with ' +
    'direction long_short/short_only).',
  params: rsiReversionParams,
  defaultSpace: space,
  warmup: (p) => p.period,
  signals(candles: Candles, p: RsiReversionParams, ctx: StrategyContext): Signals {
    const r = cached(ctx, `rsi:close:${p.period}`, () => rsi(candles.close, p.period));
    const n = r.length;
    const buf = allocSignals(n, ctx);
    const w = warmupOf(r);
    for (let t = firstDecisionBar(w); t < n; t++) {
      const v = r[t];
      if (v < p.lower) markBullish(buf, t, p.direction);
      else if (v > p.upper) markBearish(buf, t, p.direction);
    }
    return finishSignals(buf, w);
  },
};
