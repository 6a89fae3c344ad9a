import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../src/engine/random.js';

describe('createRng', () => {
  it('same seed gives the same stream, different seeds differ', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });
  it('uniform draws stay in [0,1) with a plausible mean; ints stay in range', () => {
    const r = createRng(7);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      const k = r.int(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
    }
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
  });
  it('normal draws have mean ~0 and variance ~1', () => {
    const r = createRng(1);
    const xs = Array.from({ length: 40000 }, () => r.normal());
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
    expect(Math.abs(m)).toBeLessThan(0.02);
    expect(Math.abs(v - 1)).toBeLessThan(0.03);
  });
  it('deriveSeed separates labels deterministically', () => {
    expect(deriveSeed(42, 'window', 1)).toBe(deriveSeed(42, 'window', 1));
    expect(deriveSeed(42, 'window', 1)).not.toBe(deriveSeed(42, 'window', 2));
  });
});
