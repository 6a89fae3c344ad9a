import { describe, expect, it } from 'vitest';
import { Scratch } from '../../../src/engine/backtest/scratch.js';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import { smaCrossMarks } from '../../../src/engine/indicators/sma.js';
import { getStrategy } from '../../../src/engine/strategies/registry.js';
import { MapIndicatorCache } from '../../../src/engine/strategies/types.js';
import type { Candles } from '../../../src/engine/data/candles.js';

/**
 * sma_cross without an indicator cache marks crosses straight from Close (smaCrossMarks);
 * with a cache it builds the SMA arrays and tests them. Both must give the same signals.
 */
const sma = getStrategy('sma_cross');

function withClose(c: Candles, close: Float64Array): Candles {
  return { ...c, close };
}

describe('sma_cross: fused crossover marks = crossover of the SMA arrays', () => {
  const series: [string, Candles][] = [];
  for (const seed of [1, 2, 3, 4, 5]) series.push([`synthetic seed ${seed}`, generateSynthetic({ symbol: 'X', timeframe: '1h', bars: 3000, seed, start: Date.UTC(2021, 0, 1) })]);
  const base = series[0][1];
  // repeated values exercise pandas' "identical window" rule; a short series has no decision
  const ties = Float64Array.from(base.close, (v, i) => (i % 7 < 4 ? Math.round(v) : v));
  series.push(['tie-heavy', withClose(base, ties)]);
  series.push(['short', generateSynthetic({ symbol: 'X', timeframe: '1h', bars: 25, seed: 9, start: Date.UTC(2021, 0, 1) })]);

  for (const [name, c] of series) {
    for (const direction of ['long_only', 'long_short', 'short_only'] as const) {
      for (const [fast, slow] of [[10, 30], [1, 2], [5, 200], [3, 24]] as const) {
        it(`${name}, ${direction}, ${fast}/${slow}`, () => {
          const p = sma.params.parse({ fast, slow, direction });
          const fused = sma.signals(c, p, {});
          const arrays = sma.signals(c, p, { cache: new MapIndicatorCache() });
          expect(fused.warmup).toBe(arrays.warmup);
          expect(Array.from(fused.entry)).toEqual(Array.from(arrays.entry));
          expect(Array.from(fused.exit)).toEqual(Array.from(arrays.exit));
          // the scratch buffers of a trial give the same marks (zeroed before reuse)
          const scratch = new Scratch();
          sma.signals(c, p, { scratch });
          const again = sma.signals(c, p, { scratch });
          expect(Array.from(again.entry)).toEqual(Array.from(arrays.entry));
        });
      }
    }
  }

  it('falls back to the arrays when Close holds a NaN (their warm-up depends on where it is)', () => {
    const close = Float64Array.from(base.close);
    close[5] = NaN;
    const marks = { entry: new Int8Array(close.length), exit: new Uint8Array(close.length), up: 1, upExit: 2, down: -1, downExit: 1 };
    expect(smaCrossMarks(close, 10, 30, marks)).toBe(-1);
    const c = withClose(base, close);
    const p = sma.params.parse({});
    const fused = sma.signals(c, p, {});
    const arrays = sma.signals(c, p, { cache: new MapIndicatorCache() });
    expect(fused.warmup).toBe(arrays.warmup);
    expect(Array.from(fused.entry)).toEqual(Array.from(arrays.entry));
  });
});
