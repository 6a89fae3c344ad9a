import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION } from '../../../src/engine/backtest/types.js';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import { isMetricKey, METRIC_KEYS } from '../../../src/engine/metrics/keys.js';
import { getStrategy } from '../../../src/engine/strategies/registry.js';

describe('METRIC_KEYS', () => {
  it('are exactly the keys a backtest reports, under both profiles', () => {
    const c = generateSynthetic({ symbol: 'X', timeframe: '1h', bars: 800, seed: 3, start: Date.UTC(2023, 0, 1) });
    const def = getStrategy('sma_cross');
    for (const profile of ['default', 'backtesting.py'] as const) {
      const r = runBacktest(c, def, def.params.parse({}) as Record<string, unknown>, { ...DEFAULT_EXECUTION, profile });
      expect([...METRIC_KEYS].sort()).toEqual(Object.keys(r.metrics).sort());
    }
    expect(isMetricKey('sharpe')).toBe(true);
    expect(isMetricKey('sharpe_ratio')).toBe(false);
  });
});
