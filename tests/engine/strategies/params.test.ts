import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { STRATEGIES, getStrategy } from '../../../src/engine/strategies/registry.js';

function issuesOf(name: string, params: unknown): { path: string; message: string }[] {
  const r = getStrategy(name).params.safeParse(params);
  expect(r.success).toBe(false);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Walks a zod object schema and returns the dotted paths of fields without a description. */
function undescribed(schema: unknown, prefix = ''): string[] {
  const out: string[] = [];
  if (!(schema instanceof z.ZodObject)) return out;
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!field.description) out.push(path);
    let inner: unknown = field;
    while (inner instanceof z.ZodDefault || inner instanceof z.ZodNullable) inner = inner.unwrap();
    out.push(...undescribed(inner, path));
  }
  return out;
}

describe('strategy params schemas', () => {
  it.each(Object.keys(STRATEGIES))('%s: every field has a default and a description, unknown keys are rejected', (name) => {
    const def = getStrategy(name);
    const defaults = def.params.parse({});
    expect(undescribed(def.params)).toEqual([]);
    // every top-level field has a default: parse({}) yields all shape keys
    const shape = (def.params as unknown as z.ZodObject).shape as Record<string, unknown>;
    expect(Object.keys(defaults).sort()).toEqual(Object.keys(shape).sort());
    const bad = issuesOf(name, { ...defaults, not_a_param: 1 });
    expect(bad[0].message).toContain('not_a_param');
    // list_strategies publishes the schema as JSON Schema
    expect(() => z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' })).not.toThrow();
  });

  it('sma_cross defaults and the EXECUTION.md §6 names', () => {
    expect(getStrategy('sma_cross').params.parse({})).toEqual({ fast: 10, slow: 30, direction: 'long_only' });
    expect(getStrategy('sma_cross').params.parse({ fast: 10, slow: 30, direction: 'long_short' })).toEqual({
      fast: 10,
      slow: 30,
      direction: 'long_short',
    });
    expect(getStrategy('rsi_reversion').params.parse({})).toEqual({ period: 14, lower: 30, upper: 70, direction: 'long_only' });
  });

  it('rejects out-of-range, non-integer and wrongly typed values with messages naming the field', () => {
    expect(issuesOf('sma_cross', { fast: 0 })[0]).toEqual({ path: 'fast', message: 'fast must be >= 1, got 0' });
    expect(issuesOf('sma_cross', { slow: 2.5 })[0]).toEqual({ path: 'slow', message: 'slow must be an integer, got 2.5' });
    expect(issuesOf('sma_cross', { fast: '10' })[0].message).toMatch(/^fast must be an integer in \[1, 9999\], got "10"/);
    expect(issuesOf('rsi_reversion', { upper: 101 })[0]).toEqual({ path: 'upper', message: 'upper must be <= 100, got 101' });
    expect(issuesOf('rsi_reversion', { direction: 'both' })[0].message).toBe(
      'direction must be one of long_only, short_only, long_short, got "both"',
    );
    expect(issuesOf('bollinger_reversion', { k: Number.NaN })[0].path).toBe('k');
    expect(issuesOf('donchian_breakout', { entry_period: -3 })[0].message).toContain('entry_period');
  });

  it('suggests the closest key for an unknown one', () => {
    expect(issuesOf('sma_cross', { fsat: 5 })[0].message).toBe(
      'unknown sma_cross params key "fsat" (did you mean "fast"?); known keys: fast, slow, direction',
    );
  });

  it('cross-field checks name both fields', () => {
    expect(issuesOf('sma_cross', { fast: 30, slow: 30 })).toEqual([{ path: 'fast', message: 'fast (30) must be < slow (30)' }]);
    expect(issuesOf('ema_cross', { fast: 50, slow: 20 })[0].message).toBe('fast (50) must be < slow (20)');
    expect(issuesOf('macd_trend', { fast: 26, slow: 12 })[0].message).toBe('fast (26) must be < slow (12)');
    expect(issuesOf('rsi_reversion', { lower: 70, upper: 30 })[0]).toEqual({ path: 'lower', message: 'lower (70) must be < upper (30)' });
  });
});

describe('confidence params', () => {
  const schema = getStrategy('confidence').params;

  it('has the shape of the seed projects', () => {
    const d = schema.parse({});
    expect(d).toMatchObject({
      thresholds: { entry_conf_overall: 0.6, regime_proba: { trend: 0.4, range: 0.4, balanced: 0.4 } },
      exit_conf_threshold: 0.45,
      max_hold_bars: 48,
      risk_map: [
        [0.6, 0.5],
        [0.7, 0.75],
        [0.8, 1],
      ],
      direction: 'long_only',
    });
  });

  it('fills nested defaults in a partial object and returns fresh default objects', () => {
    const a = schema.parse({ thresholds: { regime_proba: { trend: 0.6 } } });
    expect(a.thresholds).toEqual({ entry_conf_overall: 0.6, regime_proba: { trend: 0.6, range: 0.4, balanced: 0.4 } });
    const b = schema.parse({});
    const c = schema.parse({});
    expect(b.risk_map).not.toBe(c.risk_map);
    expect(b.thresholds).not.toBe(c.thresholds);
  });

  it('accepts max_hold_bars null (no limit) and rejects 0', () => {
    expect(schema.parse({ max_hold_bars: null }).max_hold_bars).toBeNull();
    expect(issuesOf('confidence', { max_hold_bars: 0 })[0]).toEqual({ path: 'max_hold_bars', message: 'max_hold_bars must be >= 1, got 0' });
  });

  it('rejects bad nested values with the full dotted field name', () => {
    expect(issuesOf('confidence', { thresholds: { entry_conf_overall: 1.5 } })[0]).toEqual({
      path: 'thresholds.entry_conf_overall',
      message: 'thresholds.entry_conf_overall must be <= 1, got 1.5',
    });
    expect(issuesOf('confidence', { thresholds: { regime_proba: { trend: -0.1 } } })[0].message).toBe(
      'thresholds.regime_proba.trend must be >= 0, got -0.1',
    );
    expect(issuesOf('confidence', { thresholds: { regime_proba: { trnd: 0.5 } } })[0].message).toContain('did you mean "trend"');
  });

  it('requires exit_conf_threshold < thresholds.entry_conf_overall', () => {
    expect(issuesOf('confidence', { exit_conf_threshold: 0.7 })).toEqual([
      { path: 'exit_conf_threshold', message: 'exit_conf_threshold (0.7) must be < thresholds.entry_conf_overall (0.6)' },
    ]);
  });

  it('requires risk_map pairs in [0, 1], sorted by confidence', () => {
    expect(issuesOf('confidence', { risk_map: [[0.7, 0.5], [0.6, 1]] })).toEqual([
      { path: 'risk_map.1.0', message: 'risk_map.1.0 (0.6) must be > risk_map.0.0 (0.7): pairs must be sorted by confidence, strictly ascending' },
    ]);
    expect(issuesOf('confidence', { risk_map: [[0.6, 1.5]] })[0]).toEqual({ path: 'risk_map.0.1', message: 'risk_map position_fraction must be <= 1, got 1.5' });
    expect(issuesOf('confidence', { risk_map: [[0.6]] })[0].path).toMatch(/^risk_map\.0/);
    expect(issuesOf('confidence', { risk_map: [] })[0].message).toContain('at least one');
  });
});
