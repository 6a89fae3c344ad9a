import { describe, expect, it } from 'vitest';
import { runBacktestWithLead } from '../../../src/engine/backtest/lead.js';
import { runBacktest } from '../../../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION } from '../../../src/engine/backtest/types.js';
import { sliceBars } from '../../../src/engine/data/candles.js';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import { getStrategy } from '../../../src/engine/strategies/registry.js';

const series = generateSynthetic({ symbol: 'S', timeframe: '1h', bars: 3000, seed: 9, start: Date.UTC(2024, 0, 1) });
const sma = getStrategy('sma_cross');
const params = sma.params.parse({ fast: 10, slow: 50, direction: 'long_short' });

describe('runBacktestWithLead', () => {
  it('with no lead equals a plain backtest of the window', () => {
    const a = runBacktestWithLead(series, 1000, 1500, 0, sma, params, DEFAULT_EXECUTION);
    const b = runBacktest(sliceBars(series, 1000, 1500), sma, params, DEFAULT_EXECUTION);
    expect(Array.from(a.equity)).toEqual(Array.from(b.equity));
    expect(a.lead_used).toBe(0);
  });
  it('with a lead trades from the window start instead of after the warm-up', () => {
    const plain = runBacktestWithLead(series, 1000, 1500, 0, sma, params, DEFAULT_EXECUTION);
    const led = runBacktestWithLead(series, 1000, 1500, 60, sma, params, DEFAULT_EXECUTION);
    expect(led.lead_used).toBe(60);
    expect(led.warmup).toBe(0);
    expect(plain.warmup).toBe(49);
    expect(led.equity).toHaveLength(500);
    // every trade lies inside the window and fills after its decision bar
    for (const t of led.trades) expect(t.entry_bar).toBeGreaterThanOrEqual(1);
  });
  it('bars after the window never change its result (no look-ahead)', () => {
    const a = runBacktestWithLead(series, 1000, 1500, 60, sma, params, DEFAULT_EXECUTION);
    const tampered = { ...series, close: Float64Array.from(series.close, (c, i) => (i >= 1500 ? c * 3 : c)) };
    const b = runBacktestWithLead(tampered, 1000, 1500, 60, sma, params, DEFAULT_EXECUTION);
    expect(Array.from(b.equity)).toEqual(Array.from(a.equity));
  });
});
