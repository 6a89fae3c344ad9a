import { describe, expect, it } from 'vitest';
import { Scratch } from '../../../src/engine/backtest/scratch.js';

describe('Scratch', () => {
  it('hands out zeroed signal buffers of the asked length, reusing the memory', () => {
    const s = new Scratch();
    const a = s.signals(10);
    a.entry.fill(1);
    a.exit.fill(3);
    const b = s.signals(8);
    expect(b.entry.length).toBe(8);
    expect([...b.entry, ...b.exit].every((v) => v === 0)).toBe(true);
    expect(b.entry.buffer).toBe(a.entry.buffer);
  });

  it('grows when a longer series comes', () => {
    const s = new Scratch();
    const small = s.equity(4);
    const big = s.equity(100);
    expect(big.length).toBe(100);
    expect(big.buffer).not.toBe(small.buffer);
    expect(s.equity(50).buffer).toBe(big.buffer);
  });
});
