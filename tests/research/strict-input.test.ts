import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UserError } from '../../src/research/errors.js';
import { checkInput, findReservedKey, formatPath, parseStrict, problemsText, suggestKey } from '../../src/research/strict-input.js';

const schema = z.strictObject({
  strategy: z.string(),
  from: z.string().optional(),
  n_trials: z.number().optional(),
  execution: z.strictObject({ cash: z.number().optional(), commission: z.number().optional() }).optional(),
  validate: z.strictObject({ top_k: z.number(), holdout: z.strictObject({ from: z.string() }) }).optional(),
  items: z.array(z.strictObject({ label: z.string().optional() })).optional(),
  space: z.record(z.string(), z.strictObject({ type: z.string(), low: z.number().optional() })).optional(),
  override: z.union([z.strictObject({ gate: z.string(), reason: z.string() }), z.array(z.strictObject({ gate: z.string(), reason: z.string() }))]).optional(),
  params: z.union([z.record(z.string(), z.unknown()), z.literal('champion')]).optional(),
});

function problems(input: unknown): string {
  const r = checkInput(schema, input);
  if (r.ok) return 'ok';
  return problemsText(r.problems);
}

describe('strict input', () => {
  it('accepts a valid input unchanged', () => {
    const r = checkInput(schema, { strategy: 's', execution: { cash: 1 }, params: 'champion' });
    expect(r.ok).toBe(true);
  });

  it('names an unknown key by its path, suggests the closest accepted key and lists the accepted keys of that level', () => {
    expect(problems({ strategy: 's', execution: { comission: 0.1 } })).toBe(
      'execution.comission: unknown key; did you mean "commission"? Accepted keys in execution: cash, commission',
    );
    expect(problems({ strategy: 's', items: [{}, { lable: 'x' }] })).toBe('items[1].lable: unknown key; did you mean "label"? Accepted keys in items[1]: label');
    expect(problems({ strategy: 's', space: { fast: { type: 'int', lo: 5 } } })).toMatch(/^space\.fast\.lo: unknown key; did you mean "low"\? Accepted keys in space\.fast: type, low$/);
    expect(problems({ strategy: 's', validate: { top_k: 1, holdout: { from: 'a', ot: 'b' } } })).toMatch(/^validate\.holdout\.ot: unknown key\. Accepted keys in validate\.holdout: from$/);
  });

  it('suggests a synonym, or the same key one level down', () => {
    expect(problems({ strategy: 's', start_date: '2024-01-01' })).toMatch(/^start_date: unknown key; did you mean "from"\?/);
    expect(problems({ strategy: 's', trials: 7 })).toMatch(/^trials: unknown key; did you mean "n_trials"\?/);
    expect(problems({ strategy: 's', commission: 0.01 })).toMatch(/^commission: unknown key; did you mean "execution\.commission"\?/);
    expect(problems({ strategy: 's', top_k: 3 })).toMatch(/did you mean "validate\.top_k"\?/);
    expect(suggestKey('zzzzzz', ['strategy', 'from'])).toBeUndefined();
    // a synonym is only offered where its target is accepted
    expect(suggestKey('start_date', ['strategy'])).toBeUndefined();
  });

  it('a misspelt required key is one problem (the unknown key), not also "missing"', () => {
    const r = checkInput(schema, { strategy: 's', validate: { topk: 3, holdout: { from: 'a' } } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.field)).toEqual(['validate.topk']);
  });

  it('says the accepted keys once per object when several keys there are unknown', () => {
    const text = problems({ strategy: 's', start_date: 'a', end_date: 'b' });
    expect(text).toMatch(/^2 problems:/);
    expect(text.match(/Accepted keys at the top level/g)).toHaveLength(1);
    expect(text).toMatch(/end_date: unknown key\.$/m);
  });

  it('reports the branch of a union the value was meant for', () => {
    expect(problems({ strategy: 's', override: { gate: 'g', reason: 'r', resaon: 'x' } })).toMatch(/^override\.resaon: unknown key; did you mean "reason"\?/);
    expect(problems({ strategy: 's', override: [{ gate: 'g', reason: 'r', gat: 1 }] })).toMatch(/^override\[0\]\.gat: unknown key; did you mean "gate"\?/);
    expect(problems({ strategy: 's', params: 'fast' })).toMatch(/^params: invalid value "fast"; expected record .*\| expected "champion"/);
  });

  it('refuses reserved keys anywhere, records included (zod would drop them silently)', () => {
    const proto = JSON.parse('{"strategy": "s", "space": {"__proto__": {"type": "int"}}}') as unknown;
    expect(findReservedKey(proto)).toEqual(['space', '__proto__']);
    expect(problems(proto)).toMatch(/^space\.__proto__: the key "__proto__" is not allowed/);
    expect(problems({ strategy: 's', params: { constructor: 1 } })).toMatch(/^params\.constructor: the key "constructor" is not allowed/);
    expect(problems({ strategy: 's', items: [{ prototype: 1 }] })).toMatch(/^items\[0\]\.prototype: the key "prototype" is not allowed/);
    expect(findReservedKey({ a: ['__proto__', { b: 'constructor' }] })).toBeUndefined();
    let deep: unknown = { x: 1 };
    for (let i = 0; i < 150; i++) deep = { a: deep };
    expect(problems({ strategy: 's', params: deep })).toMatch(/^params(\.a){100}: nested more than 100 levels deep$/);
  });

  it('parseStrict throws a UserError naming the source and the field', () => {
    let e: unknown;
    try {
      parseStrict(schema, { strategy: 's', execution: { comission: 1 } }, { source: 'job.yaml' });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toMatch(/^job\.yaml: execution\.comission: unknown key; did you mean "commission"\?/);
    expect((e as UserError).detail.field).toBe('execution.comission');
    expect(() => parseStrict(schema.shape.execution, { fee: 1 }, { prefix: 'execution' })).toThrow(/execution\.fee: unknown key; did you mean "commission"\? Accepted keys in execution/);
  });

  it('formats paths with dots and [index]', () => {
    expect(formatPath(['items', 2, 'execution', 'cash'])).toBe('items[2].execution.cash');
    expect(formatPath(['a'], 'execution')).toBe('execution.a');
    expect(formatPath([0], 'x')).toBe('x[0]');
  });
});
