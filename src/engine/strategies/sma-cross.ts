import { sma, smaCrossMarks, smaPair } from '../indicators/sma.js';
import { maCrossStrategy } from './ma-cross.js';

/** `sma_cross`: SMA(fast) / SMA(slow) crossover of Close (backtesting.py's SmaCross). */
export const smaCross = maCrossStrategy({
  name: 'sma_cross',
  label: 'SMA',
  key: 'sma',
  ma: sma,
  pair: smaPair,
  crossMarks: smaCrossMarks,
  defaults: { fast: 10, slow: 30 },
  description:
    'Trend following: golden cross of SMA(fast) over SMA(slow) of Close goes long, death cross closes the long ' +
    '(and goes short with direction long_short). Strict crossover on both bars, as backtesting.py.',
});
