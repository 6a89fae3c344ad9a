import { describe, expect, it } from 'vitest';
import { riskFraction } from '../../../src/engine/strategies/risk-map.js';

describe('riskFraction', () => {
  const map = [
    [0.6, 0.5],
    [0.7, 0.75],
    [0.8, 1],
  ] as const;

  it('uses the fraction of the highest pair whose confidence <= the bar\'s confidence', () => {
    expect(riskFraction(map, 0.59)).toBe(0);
    expect(riskFraction(map, 0.6)).toBe(0.5);
    expect(riskFraction(map, 0.65)).toBe(0.5);
    expect(riskFraction(map, 0.7)).toBe(0.75);
    expect(riskFraction(map, 0.79)).toBe(0.75);
    expect(riskFraction(map, 0.8)).toBe(1);
    expect(riskFraction(map, 1)).toBe(1);
  });

  it('gives 0 (no entry) for a NaN confidence and for a zero fraction', () => {
    expect(riskFraction(map, Number.NaN)).toBe(0);
    expect(riskFraction([[0, 0], [0.9, 1]], 0.5)).toBe(0);
  });
});
