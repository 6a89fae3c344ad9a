import { describe, expect, it } from 'vitest';
import {
  canonicalSpace,
  checkParams,
  contains,
  dimsOf,
  fromInternal,
  getPath,
  gridValue,
  narrowSpace,
  readParams,
  setPath,
  SpaceError,
  toInternal,
  unflatten,
  validateSpace,
} from '../../../src/engine/optimizer/space.js';

function errorOf(input: unknown): SpaceError {
  try {
    validateSpace(input);
  } catch (e) {
    if (e instanceof SpaceError) return e;
    throw e;
  }
  throw new Error('expected a SpaceError');
}

describe('validateSpace', () => {
  it('accepts the OPTIMIZER.md example and freezes it', () => {
    const s = validateSpace({
      fast: { type: 'int', low: 5, high: 50 },
      slow: { type: 'int', low: 20, high: 200, step: 5 },
      fee_mult: { type: 'float', low: 0.5, high: 2, log: true },
      mode: { type: 'categorical', choices: ['trend', 'range'] },
      'thresholds.entry_conf_overall': { type: 'float', low: 0.2, high: 0.6, step: 0.05 },
    });
    expect(Object.keys(s)).toEqual(['fast', 'slow', 'fee_mult', 'mode', 'thresholds.entry_conf_overall']);
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.fast)).toBe(true);
  });

  it.each([
    [{ x: { type: 'double', low: 0, high: 1 } }, 'x', /type "double" is not allowed; use one of float, int, categorical/],
    [{ x: { type: 'float', low: 2, high: 1 } }, 'x', /low 2 is greater than high 1/],
    [{ x: { type: 'float', low: 0, high: 'a' } }, 'x', /high must be a finite number, got "a"/],
    [{ x: { type: 'int', low: 0.5, high: 3 } }, 'x', /low must be an integer for type int, got 0.5/],
    [{ x: { type: 'int', low: 1, high: 10, step: 4 } }, 'x', /high 10 is not low \+ k·step \(low 1, step 4\); use high 9 or 13/],
    [{ x: { type: 'float', low: 0.2, high: 0.63, step: 0.05 } }, 'x', /use high 0.6 or 0.65/],
    [{ x: { type: 'float', low: 0, high: 1, log: true } }, 'x', /low 0 must be > 0 when log is true/],
    [{ x: { type: 'float', low: 1, high: 9, log: true, step: 1 } }, 'x', /step cannot be combined with log for type float/],
    [{ x: { type: 'int', low: 1, high: 9, log: true, step: 2 } }, 'x', /step must be 1 when log is true/],
    [{ x: { type: 'float', low: 0, high: 1, lo: 3 } }, 'x', /unknown field "lo" for type float; allowed fields: type, low, high, step, log/],
    [{ x: { type: 'categorical', choices: [] } }, 'x', /choices must be a non-empty array/],
    [{ x: { type: 'categorical', choices: ['a', 'a'] } }, 'x', /choice "a" appears twice/],
    [{ x: { type: 'categorical', choices: [{}] } }, 'x', /choice \{\} is not allowed/],
    [{ 'a..b': { type: 'int', low: 0, high: 1 } }, 'a..b', /invalid path/],
    [{ a: { type: 'int', low: 0, high: 1 }, 'a.b': { type: 'int', low: 0, high: 1 } }, 'a.b', /conflicts with parameter "a"/],
  ])('names the parameter, field and what is allowed (%#)', (input, param, message) => {
    const e = errorOf(input);
    expect(e.param).toBe(param);
    expect(e.message).toContain(`"${param}"`);
    expect(e.message).toMatch(message);
  });

  it('refuses a non-object space', () => {
    expect(errorOf([1]).message).toMatch(/must be an object/);
  });
});

describe('dotted paths', () => {
  const base = { fast: 10, thresholds: { entry_conf_overall: 0.3, exit: 0.1 }, risk_map: [[0, 0.1], [0.5, 0.2]] };

  it('reads nested objects and arrays', () => {
    expect(getPath(base, 'thresholds.entry_conf_overall')).toBe(0.3);
    expect(getPath(base, 'risk_map.1.1')).toBe(0.2);
    expect(getPath(base, 'risk_map.7.1')).toBeUndefined();
    expect(getPath(base, 'fast.x')).toBeUndefined();
  });

  it('writes without mutating the input, keeping arrays as arrays', () => {
    const out = setPath(base, 'risk_map.1.1', 0.4);
    expect(out.risk_map[1][1]).toBe(0.4);
    expect(Array.isArray(out.risk_map) && Array.isArray(out.risk_map[1])).toBe(true);
    expect(base.risk_map[1][1]).toBe(0.2);
    expect(out.risk_map[0]).toBe(base.risk_map[0]); // untouched branches are shared
    const created = setPath({}, 'a.b.c', 1) as { a: { b: { c: number } } };
    expect(created.a.b.c).toBe(1);
    expect(() => setPath(base, 'fast.x', 1)).toThrow(/"fast" is 10, not an object or array/);
    expect(() => setPath(base, 'risk_map.x', 1)).toThrow(/non-negative integer/);
    expect(() => setPath({}, '__proto__.polluted', 1)).toThrow(/not allowed/);
  });

  it('unflattens flat params onto defaults and reads them back', () => {
    const space = validateSpace({
      'thresholds.entry_conf_overall': { type: 'float', low: 0.2, high: 0.6 },
      'risk_map.1.1': { type: 'float', low: 0, high: 1 },
      fast: { type: 'int', low: 1, high: 50 },
    });
    const nested = unflatten({ 'thresholds.entry_conf_overall': 0.45, 'risk_map.1.1': 0.9, fast: 7 }, base);
    expect(nested).toEqual({ fast: 7, thresholds: { entry_conf_overall: 0.45, exit: 0.1 }, risk_map: [[0, 0.1], [0.5, 0.9]] });
    expect(readParams(nested, space)).toEqual({ 'thresholds.entry_conf_overall': 0.45, 'risk_map.1.1': 0.9, fast: 7 });
  });
});

describe('transforms', () => {
  const dims = dimsOf(
    validateSpace({
      f: { type: 'float', low: -1, high: 3 },
      s: { type: 'float', low: 0.2, high: 0.6, step: 0.05 },
      l: { type: 'float', low: 0.01, high: 100, log: true },
      i: { type: 'int', low: 20, high: 200, step: 5 },
      li: { type: 'int', low: 1, high: 1000, log: true },
      c: { type: 'categorical', choices: ['a', 1, true, null] },
    }),
  );
  const [f, s, l, i, li, c] = dims;

  it('widens discrete bounds by step/2 and takes logs (Optuna internal representation)', () => {
    expect([f.lowI, f.highI]).toEqual([-1, 3]);
    expect(s.lowI).toBeCloseTo(0.175, 15);
    expect(s.highI).toBeCloseTo(0.625, 15);
    expect(s.size).toBe(9);
    expect(l.lowI).toBeCloseTo(Math.log(0.01), 15);
    expect([i.lowI, i.highI, i.size]).toEqual([17.5, 202.5, 37]);
    expect(li.lowI).toBeCloseTo(Math.log(0.5), 15);
    expect(li.highI).toBeCloseTo(Math.log(1000.5), 15);
    expect(c.size).toBe(4);
  });

  it('maps values to internal numbers and back onto the grid', () => {
    expect(toInternal(l, 1)).toBe(0);
    expect(fromInternal(l, Math.log(2))).toBeCloseTo(2, 14);
    expect(fromInternal(s, 0.3251)).toBe(0.35);
    expect(fromInternal(s, 0.9)).toBe(0.6);
    expect(fromInternal(i, 31)).toBe(30);
    expect(fromInternal(li, Math.log(7.4))).toBe(7);
    expect(toInternal(c, null)).toBe(3);
    expect(fromInternal(c, 2)).toBe(true);
    expect(toInternal(c, 'zz')).toBeNaN();
    expect(gridValue(0.2, 0.05, 3)).toBe(0.35);
  });

  it('checks membership: bounds, step grid, integer type and choices', () => {
    expect(contains(s, 0.35)).toBe(true);
    expect(contains(s, 0.36)).toBe(false);
    expect(contains(i, 25)).toBe(true);
    expect(contains(i, 26)).toBe(false);
    expect(contains(f, 3.0001)).toBe(false);
    expect(contains(c, 1)).toBe(true);
    expect(contains(c, '1')).toBe(false);
    const space = validateSpace({ a: { type: 'int', low: 0, high: 3 } });
    expect(checkParams(space, { a: 2 })).toBeNull();
    expect(checkParams(space, { a: 4 })).toMatch(/"a" = 4 is outside/);
    expect(checkParams(space, {})).toMatch(/"a" is missing/);
  });

  it('gives equal spaces equal canonical strings whatever the key order', () => {
    const a = canonicalSpace({ x: { type: 'float', low: 0, high: 1 }, y: { type: 'int', low: 1, high: 2 } });
    const b = canonicalSpace({ y: { high: 2, low: 1, type: 'int' }, x: { type: 'float', high: 1, low: 0 } });
    expect(a).toBe(b);
    expect(canonicalSpace({ x: { type: 'float', low: 0, high: 2 } })).not.toBe(canonicalSpace({ x: { type: 'float', low: 0, high: 1 } }));
  });
});

describe('narrowSpace (coarse → fine)', () => {
  const space = validateSpace({
    fast: { type: 'int', low: 5, high: 50, step: 5 },
    w: { type: 'float', low: 0, high: 10 },
    lr: { type: 'float', low: 1e-4, high: 1, log: true },
    mode: { type: 'categorical', choices: ['a', 'b'] },
  });

  it('centres a range of factor × width on the best trials, on the old grid, inside the old bounds', () => {
    const fine = narrowSpace(space, [{ fast: 20, w: 9.5, lr: 1e-2, mode: 'a' }, { fast: 25, w: 9.9, lr: 1e-2, mode: 'b' }], 0.2);
    expect(fine.fast).toEqual({ type: 'int', low: 15, high: 30, step: 5 }); // width 9 around 22.5, snapped outward
    expect(fine.w).toEqual({ type: 'float', low: 8, high: 10 }); // shifted down to stay inside [0, 10]
    const lr = fine.lr as { low: number; high: number; log: boolean };
    expect(lr.log).toBe(true);
    expect(Math.log(lr.high / lr.low)).toBeCloseTo(0.2 * Math.log(1e4), 12); // width measured in log space
    expect(Math.sqrt(lr.low * lr.high)).toBeCloseTo(1e-2, 12);
    expect(fine.mode).toEqual(space.mode);
    expect(() => validateSpace(fine)).not.toThrow();
  });

  it('keeps at least the spread of the best trials and refuses bad input', () => {
    const fine = narrowSpace(space, [{ fast: 5, w: 1, lr: 0.001, mode: 'a' }, { fast: 50, w: 2, lr: 0.002, mode: 'a' }], 0.1);
    expect(fine.fast).toEqual({ type: 'int', low: 5, high: 50, step: 5 });
    expect(() => narrowSpace(space, [], 0.5)).toThrow(/at least one/);
    expect(() => narrowSpace(space, [{ fast: 5 }], 1.5)).toThrow(/factor must be in \(0, 1\]/);
  });
});
