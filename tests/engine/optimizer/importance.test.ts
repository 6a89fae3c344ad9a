import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/engine/random.js';
import { parameterImportance } from '../../../src/engine/optimizer/importance.js';
import { validateSpace } from '../../../src/engine/optimizer/space.js';
import type { FlatParams } from '../../../src/engine/optimizer/space.types.js';
import { freezeTrial } from '../../../src/engine/optimizer/trial.js';

function trials(space: ReturnType<typeof validateSpace>, n: number, draw: (u: () => number) => FlatParams, f: (p: FlatParams) => number) {
  const rng = createRng(17);
  return Array.from({ length: n }, (_, i) => {
    const p = draw(() => rng.next());
    return freezeTrial({ number: i, state: 'COMPLETE', params: p, values: [f(p)], datetime_start: 0 });
  });
}

describe('parameter importance (fANOVA-style, transformed space)', () => {
  it('recovers known variance shares: f = 10·x0 + 1·x1 + 0·x2 on the unit box gives ≈ 100 : 1 : 0', () => {
    const space = validateSpace({ x0: { type: 'float', low: 0, high: 1 }, x1: { type: 'float', low: 0, high: 1 }, x2: { type: 'float', low: 0, high: 1 } });
    const ts = trials(space, 300, (u) => ({ x0: u(), x1: u(), x2: u() }), (p) => 10 * (p.x0 as number) + (p.x1 as number));
    const imp = parameterImportance(space, ts, ['minimize'])!;
    // exact shares: 100/101 = 0.990, 1/101 = 0.0099, 0
    expect(imp.x0).toBeGreaterThan(0.97);
    expect(imp.x1).toBeGreaterThan(0.004);
    expect(imp.x1).toBeLessThan(0.025);
    expect(imp.x2).toBeLessThan(0.004);
    expect(imp.x0 + imp.x1 + imp.x2).toBeCloseTo(1, 12);
  });

  it('does not under-rate a log-scaled parameter: f = log10(lr) + 4·x shares ≈ 50 : 50', () => {
    const space = validateSpace({ lr: { type: 'float', low: 1e-5, high: 0.1, log: true }, x: { type: 'float', low: 0, high: 1 } });
    const ts = trials(space, 300, (u) => ({ lr: 10 ** (-5 + 4 * u()), x: u() }), (p) => Math.log10(p.lr as number) + 4 * (p.x as number));
    const imp = parameterImportance(space, ts, ['minimize'])!;
    expect(imp.lr).toBeGreaterThan(0.4);
    expect(imp.lr).toBeLessThan(0.6);
    // on a linear box the same data would put lr's effect in the first 0.1 % of its range
  });

  it('handles categorical and integer parameters and degenerate inputs', () => {
    const space = validateSpace({ c: { type: 'categorical', choices: ['a', 'b', 'c'] }, n: { type: 'int', low: 1, high: 5 }, fixed: { type: 'int', low: 3, high: 3 } });
    const ts = trials(space, 200, (u) => ({ c: ['a', 'b', 'c'][Math.floor(u() * 3)], n: 1 + Math.floor(u() * 5), fixed: 3 }), (p) => ({ a: 0, b: 5, c: 10 })[p.c as 'a'] + 0.1 * (p.n as number));
    const imp = parameterImportance(space, ts, ['maximize'])!;
    expect(imp.c).toBeGreaterThan(0.95);
    expect(imp.fixed).toBe(0);
    expect(parameterImportance(space, ts.slice(0, 1), ['minimize'])).toBeNull();
    const flat = ts.map((x) => freezeTrial({ ...x, values: [1] }));
    expect(parameterImportance(space, flat, ['minimize'])).toBeNull();
  });
});
