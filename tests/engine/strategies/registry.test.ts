import { describe, expect, it } from 'vitest';
import {
  STRATEGIES,
  UnknownStrategyError,
  getStrategy,
  hasStrategy,
  listStrategies,
  strategyNames,
} from '../../../src/engine/strategies/registry.js';
import { closestName, editDistance } from '../../../src/engine/strategies/suggest.js';

const REQUIRED = ['sma_cross', 'ema_cross', 'rsi_reversion', 'bollinger_reversion', 'macd_trend', 'donchian_breakout', 'confidence'];

describe('strategy registry', () => {
  it('lists at least the required strategies, sorted, each under its own name', () => {
    expect(strategyNames()).toEqual(expect.arrayContaining(REQUIRED));
    expect(strategyNames()).toEqual([...strategyNames()].sort());
    expect(listStrategies().map((d) => d.name)).toEqual(strategyNames());
    for (const [key, def] of Object.entries(STRATEGIES)) {
      expect(def.name).toBe(key);
      expect(def.description.length).toBeGreaterThan(20);
      expect(getStrategy(key)).toBe(def);
    }
  });

  it('throws an error naming the unknown value, a suggestion and the known names', () => {
    let err: unknown;
    try {
      getStrategy('sma_crss');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownStrategyError);
    const e = err as UnknownStrategyError;
    expect(e.value).toBe('sma_crss');
    expect(e.suggestion).toBe('sma_cross');
    expect(e.message).toBe(`Unknown strategy "sma_crss". Did you mean "sma_cross"? Known strategies: ${strategyNames().join(', ')}.`);
  });

  it('suggests by containment and case, and nothing for unrelated names', () => {
    expect(() => getStrategy('RSI')).toThrow(/Did you mean "rsi_reversion"\?/);
    expect(() => getStrategy('donchian')).toThrow(/Did you mean "donchian_breakout"\?/);
    expect(() => getStrategy('xyz')).toThrow(/^Unknown strategy "xyz"\. Known strategies: /);
    expect(closestName('MACD_TREND', strategyNames())).toBe('macd_trend');
  });

  it('does not resolve inherited object keys as strategies', () => {
    expect(hasStrategy('toString')).toBe(false);
    expect(() => getStrategy('constructor')).toThrow(UnknownStrategyError);
  });

  it('edit distance on hand-worked pairs', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
