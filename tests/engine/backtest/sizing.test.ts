/** Order sizing rules of both profiles (EXECUTION.md §2) and Python's float floor division. */
import { describe, expect, it } from 'vitest';
import { PROFILE_RULES } from '../../../src/engine/backtest/profiles.js';
import { entryUnits, NO_CASH, pyFloorDiv, SIZE_ZERO, type SizingInput } from '../../../src/engine/backtest/sizing.js';

const base: SizingInput = { cash: 1000, fraction: 1, units: null, wholeUnits: false, price: 100, rate: 0, fixedFee: 0 };
const dflt = PROFILE_RULES.default;
const btpy = PROFILE_RULES['backtesting.py'];

describe('pyFloorDiv matches Python float //', () => {
  it('1 // 0.1 == 9.0 in Python (1/0.1 rounds up to 10, the exact quotient is below 10)', () => {
    expect(pyFloorDiv(1, 0.1)).toBe(9);
    expect(Math.floor(1 / 0.1)).toBe(10);
  });
  it('ordinary cases', () => {
    expect(pyFloorDiv(7, 2)).toBe(3);
    expect(pyFloorDiv(6, 2)).toBe(3);
    expect(pyFloorDiv(-7, 2)).toBe(-4);
    expect(pyFloorDiv(1000 * (1 - 2 ** -52), 100)).toBe(9);
  });
});

describe('entryUnits', () => {
  it('default: reserves the fee inside the budget', () => {
    expect(entryUnits(dflt, { ...base, rate: 0.01 })).toBeCloseTo(1000 / 101, 12);
    expect(entryUnits(dflt, { ...base, fixedFee: 10 })).toBeCloseTo(9.9, 12);
    expect(entryUnits(dflt, { ...base, fraction: 0.25 })).toBeCloseTo(2.5, 12);
  });

  it('default: whole units floor, zero becomes SIZE_ZERO', () => {
    expect(entryUnits(dflt, { ...base, price: 300, wholeUnits: true })).toBe(3);
    expect(entryUnits(dflt, { ...base, price: 1500, wholeUnits: true })).toBe(SIZE_ZERO);
  });

  it('no cash, a fee above the budget, or a fraction above 1 → NO_CASH', () => {
    expect(entryUnits(dflt, { ...base, cash: 0 })).toBe(NO_CASH);
    expect(entryUnits(dflt, { ...base, cash: 5, fixedFee: 10 })).toBe(NO_CASH);
    expect(entryUnits(dflt, { ...base, fraction: 1.5 })).toBe(NO_CASH);
    expect(entryUnits(dflt, { ...base, fraction: 0 })).toBe(SIZE_ZERO);
  });

  it('fixed units are checked against the cash', () => {
    expect(entryUnits(dflt, { ...base, units: 5 })).toBe(5);
    expect(entryUnits(dflt, { ...base, units: 11 })).toBe(NO_CASH);
    expect(entryUnits(dflt, { ...base, units: 10, rate: 0.01 })).toBe(NO_CASH); // 10·100·1.01 > 1000
  });

  it('backtesting.py: ⌊cash·f / (P(1+r) + fixed/f)⌋ with f = 1 − ε for all-in', () => {
    expect(entryUnits(btpy, base)).toBe(9);
    expect(entryUnits(btpy, { ...base, cash: 1001 })).toBe(10);
    expect(entryUnits(btpy, { ...base, fraction: 0.5 })).toBe(5);
    // fixed fee 100 with f = 0.5: denominator 100 + 100/0.5 = 300 → ⌊500/300⌋ = 1
    expect(entryUnits(btpy, { ...base, fraction: 0.5, fixedFee: 100 })).toBe(1);
    expect(entryUnits(btpy, { ...base, price: 2000 })).toBe(SIZE_ZERO);
  });
});
