/**
 * Moving-average crossover, shared by `sma_cross` and `ema_cross`: a golden cross
 * (fast[t−1] < slow[t−1] and fast[t] > slow[t], strict on both bars as backtesting.py's
 * `crossover`) is bullish, a death cross is bearish. Bullish → entry +1 and exit-short bit;
 * bearish → entry −1 (when shorts are allowed) and exit-long bit. With `long_short` this is
 * backtesting.py's SmaCross (`position.close(); buy()/sell()`), EXECUTION.md §5.
 */
import { z } from 'zod';
import type { Candles, Signals } from '../backtest/types.js';
import type { SearchSpace } from '../optimizer/space.types.js';
import type { CrossMarks } from '../indicators/sma.js';
import { cached, type StrategyContext, type StrategyDef } from './types.js';
import { EXIT_LONG, EXIT_SHORT } from '../backtest/types.js';
import { allocSignals, allowsLong, allowsShort, finishSignals, firstDecisionBar, warmupOf } from './common.js';
import { directionParam, intParam, issue, strictParams } from './params.js';

export const MAX_MA_PERIOD = 10_000;

export function maCrossSchema(name: string, label: string, defaults: { fast: number; slow: number }) {
  return strictParams(`${name} params`, {
    fast: intParam('fast', {
      default: defaults.fast,
      min: 1,
      max: MAX_MA_PERIOD - 1,
      description: `Period (bars) of the fast ${label} of Close; must be < slow.`,
    }),
    slow: intParam('slow', {
      default: defaults.slow,
      min: 2,
      max: MAX_MA_PERIOD,
      description: `Period (bars) of the slow ${label} of Close; must be > fast.`,
    }),
    direction: directionParam('long_only'),
  }).superRefine((p, ctx) => {
    if (p.fast >= p.slow) issue(ctx, ['fast'], `fast (${p.fast}) must be < slow (${p.slow})`);
  });
}

export type MaCrossParams = z.output<ReturnType<typeof maCrossSchema>>;

/**
 * Default space: the two ranges do not overlap, so every point of the box satisfies
 * fast < slow (no trial fails on the cross-field check). Contains the reference 10/30.
 */
export const MA_CROSS_SPACE: SearchSpace = Object.freeze({
  fast: { type: 'int', low: 5, high: 25 },
  slow: { type: 'int', low: 30, high: 200, step: 10 },
  direction: { type: 'categorical', choices: ['long_only', 'long_short'] },
});

type MaFn = (values: Float64Array, period: number) => Float64Array;
type MaPairFn = (values: Float64Array, a: number, b: number) => [Float64Array, Float64Array];

/** Both averages, from the cache where present; `pair` computes two missing ones in one pass. */
function averages(close: Float64Array, fastP: number, slowP: number, key: string, ma: MaFn, pair: MaPairFn | undefined, ctx: StrategyContext): [Float64Array, Float64Array] {
  const kf = `${key}:close:${fastP}`;
  const ks = `${key}:close:${slowP}`;
  if (pair && !ctx.cache?.get(kf) && !ctx.cache?.get(ks)) {
    const both = pair(close, fastP, slowP);
    ctx.cache?.set(kf, both[0]);
    ctx.cache?.set(ks, both[1]);
    return both;
  }
  return [cached(ctx, kf, () => ma(close, fastP)), cached(ctx, ks, () => ma(close, slowP))];
}

export function maCrossStrategy(opts: {
  readonly name: string;
  readonly label: string;
  readonly key: string;
  readonly ma: MaFn;
  /** Optional: both averages in one pass, bit-identical to two `ma` calls. */
  readonly pair?: MaPairFn;
  /**
   * Optional: the crossover marks straight from Close, the averages never stored (used when
   * no indicator cache wants them); returns the warm-up bar, or −1 to fall back to arrays.
   */
  readonly crossMarks?: (values: Float64Array, fast: number, slow: number, marks: CrossMarks) => number;
  readonly defaults: { fast: number; slow: number };
  readonly description: string;
}): StrategyDef<MaCrossParams> {
  const { key, ma } = opts;
  return {
    name: opts.name,
    description: opts.description,
    params: maCrossSchema(opts.name, opts.label, opts.defaults),
    defaultSpace: MA_CROSS_SPACE,
    // SMA(n) and the SMA-seeded EMA(n) are first valid at n − 1.
    warmup: (p) => p.slow - 1,
    signals(candles: Candles, p: MaCrossParams, ctx: StrategyContext): Signals {
      const close = candles.close;
      const n = close.length;
      const long = allowsLong(p.direction) ? 1 : 0;
      const short = allowsShort(p.direction) ? -1 : 0;
      if (opts.crossMarks && !ctx.cache) {
        const marked = allocSignals(n, ctx);
        const w = opts.crossMarks(close, p.fast, p.slow, { ...marked, up: long, upExit: EXIT_SHORT, down: short, downExit: EXIT_LONG });
        if (w >= 0) return finishSignals(marked, w);
      }
      const [fast, slow] = averages(close, p.fast, p.slow, key, ma, opts.pair, ctx);
      const buf = allocSignals(n, ctx);
      const w = warmupOf(fast, slow);
      const first = firstDecisionBar(w);
      if (first >= n) return finishSignals(buf, w);
      // crossedAbove/crossedBelow and markBullish/markBearish, inlined: one pass carrying
      // the previous bar's values (the hot loop of a 1M-bar backtest)
      const { entry, exit } = buf;
      let fPrev = fast[first - 1];
      let sPrev = slow[first - 1];
      for (let t = first; t < n; t++) {
        const f = fast[t];
        const s = slow[t];
        if (fPrev < sPrev && f > s) {
          entry[t] = long;
          exit[t] |= EXIT_SHORT;
        } else if (fPrev > sPrev && f < s) {
          entry[t] = short;
          exit[t] |= EXIT_LONG;
        }
        fPrev = f;
        sPrev = s;
      }
      return finishSignals(buf, w);
    },
  };
}
