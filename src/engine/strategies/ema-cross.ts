import { ema } from '../indicators/index.js';
import { maCrossStrategy } from './ma-cross.js';

/** `ema_cross`: EMA(fast) / EMA(slow) crossover of Close (EMAs seeded with an SMA). */
export const emaCross = maCrossStrategy({
  name: 'ema_cross',
  label: 'EMA',
  key: 'ema',
  ma: ema,
  defaults: { fast: 12, slow: 26 },
  description:
    'Trend following: EMA(fast) crossing above EMA(slow) of Close goes long, crossing below closes the long ' +
    '(and goes short with direction long_short). Strict crossover on both bars.',
});
