import { describe, expect, it } from 'vitest';
import { ARRAY_ITEMS, compactJson, resultText, TEXT_JSON_MAX } from '../../src/tools/result-text.js';

const big = (n: number): Record<string, unknown> => ({
  run_id: 'opt_1',
  status: 'succeeded',
  sharpe: 1.23456789012,
  verdict: { verdict: 'caution', reasons: [{ code: 'dsr_caution', message: 'DSR 0.6' }] },
  trades: Array.from({ length: n }, (_, i) => ({ i, pnl: i * 1.000001, note: 'x'.repeat(300) })),
  nested: { a: { b: { c: { d: 'deep' } } } },
});

describe('the JSON line of a result text', () => {
  it('is the whole result, numbers rounded to 6 significant digits, integers exact', () => {
    expect(resultText('2 runs.', { total: 1234567890123, x: 0.123456789, y: [1, 2.5] })).toBe('2 runs.\nJSON: {"total":1234567890123,"x":0.123457,"y":[1,2.5]}');
  });

  it('is abridged when longer than the budget: valid JSON within it, top-level figures first', () => {
    const { json, abridged } = compactJson(big(200));
    expect(abridged).toBe(true);
    expect(json.length).toBeLessThanOrEqual(TEXT_JSON_MAX);
    const v = JSON.parse(json) as Record<string, unknown>;
    expect(v).toMatchObject({ run_id: 'opt_1', status: 'succeeded', sharpe: 1.23457 });
    // the small verdict is shown in full before the long list is
    expect(v.verdict).toEqual({ verdict: 'caution', reasons: [{ code: 'dsr_caution', message: 'DSR 0.6' }] });
    const trades = v.trades as unknown[];
    expect(trades).toHaveLength(ARRAY_ITEMS + 1);
    expect(trades[ARRAY_ITEMS]).toBe(`…${200 - ARRAY_ITEMS} more`);
    // long strings are cut
    expect(JSON.stringify(v)).not.toContain('x'.repeat(200));
    expect(resultText('t', big(200))).toMatch(/^t\nJSON \(abridged; full result in structuredContent\): \{/);
  });

  it('shows what does not fit as placeholders, and keeps going with smaller siblings', () => {
    const { json } = compactJson({ a: 1, huge: { list: Array.from({ length: 50 }, () => 'y'.repeat(150)) }, small: { k: 1 } }, 300);
    const v = JSON.parse(json) as Record<string, unknown>;
    expect(v.a).toBe(1);
    expect(v.small).toEqual({ k: 1 });
    expect(v.huge).toEqual({ list: '[…50 items]' });
    expect(json.length).toBeLessThanOrEqual(300);
  });

  it('a top level too long for the budget keeps the keys that fit and says how many are left', () => {
    const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`key_${i}`, i]));
    const { json, abridged } = compactJson(wide, 200);
    const v = JSON.parse(json) as Record<string, unknown>;
    expect(abridged).toBe(true);
    expect(json.length).toBeLessThanOrEqual(200);
    expect(v.key_0).toBe(0);
    expect(v['…']).toMatch(/^\d+ more$/);
  });
});
