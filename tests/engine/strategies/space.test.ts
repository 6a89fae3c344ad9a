import { describe, expect, it } from 'vitest';
import { STRATEGIES, getStrategy } from '../../../src/engine/strategies/registry.js';
import { getPath, pointOf, specValue } from './helpers.js';

describe.each(Object.keys(STRATEGIES))('%s default search space', (name) => {
  const def = getStrategy(name);
  const defaults = def.params.parse({});
  const entries = Object.entries(def.defaultSpace);

  it('is non-empty and every key is a path into the params with a value of the right type', () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const [key, spec] of entries) {
      const v = getPath(defaults, key);
      expect(v, key).not.toBeUndefined();
      if (spec.type === 'categorical') {
        expect(spec.choices.length, key).toBeGreaterThan(0);
        expect(spec.choices, key).toContain(v);
      } else {
        expect(typeof v, key).toBe('number');
        expect(spec.low, key).toBeLessThan(spec.high);
        if (spec.type === 'int') expect(Number.isInteger(spec.low) && Number.isInteger(spec.high), key).toBe(true);
      }
    }
  });

  it('the midpoint parses and lands every key on its sampled value', () => {
    const mid = pointOf(defaults, def.defaultSpace, () => 0.5);
    const parsed = def.params.parse(mid);
    for (const [key, spec] of entries) expect(getPath(parsed, key), key).toBe(specValue(spec, 0.5));
  });

  it('every corner of the box parses (no cross-field check can fail inside the space)', () => {
    const d = entries.length;
    expect(d).toBeLessThanOrEqual(12);
    for (let mask = 0; mask < 1 << d; mask++) {
      const corner = pointOf(defaults, def.defaultSpace, (_k, i) => ((mask >> i) & 1 ? 1 : 0));
      const r = def.params.safeParse(corner);
      expect(r.success, `${name} corner ${mask}: ${r.success ? '' : r.error.message}`).toBe(true);
    }
  });
});

describe('confidence default space', () => {
  it('includes the keys the seed projects tune', () => {
    const keys = Object.keys(getStrategy('confidence').defaultSpace);
    expect(keys).toEqual(expect.arrayContaining(['thresholds.entry_conf_overall', 'thresholds.regime_proba.trend', 'risk_map.1.1']));
  });
});
