/** The compacted tools/list: smaller, and every listed schema accepts and refuses exactly what the SDK's own conversion does. */
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compactJsonSchema, compactOutputSchema, listedJsonSchema } from '../../src/server/tool-list.js';
import { checkToolArguments, strictInputObject } from '../../src/server/tool-input.js';
import { ALL_TOOLS } from '../../src/tools/index.js';

const ajv = new AjvJsonSchemaValidator();
const valid = (schema: unknown, v: unknown): boolean => ajv.getValidator(schema as never)(v).valid;

/** What the SDK lists for a zod schema (server/zod-json-schema-compat.js). */
const sdkJson = (s: z.ZodType, io: 'input' | 'output'): unknown => z.toJSONSchema(s, { target: 'draft-7', io });

/** Values around `v`: each key dropped, nulled, or given another type, at the top and one level down. */
function variants(v: Record<string, unknown>): unknown[] {
  const out: unknown[] = [v, {}, null, [], 'x'];
  for (const [k, x] of Object.entries(v)) {
    const { [k]: _drop, ...rest } = v;
    void _drop;
    out.push(rest, { ...v, [k]: null }, { ...v, [k]: 'x' }, { ...v, [k]: 1.5 }, { ...v, [k]: -1 }, { ...v, [k]: {} }, { ...v, [k]: [] }, { ...v, [k]: [null] }, { ...v, [k]: { x: null } });
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) for (const inner of variants(x as Record<string, unknown>).slice(5)) out.push({ ...v, [k]: inner });
  }
  return out;
}

describe('compactJsonSchema', () => {
  it('drops only what JSON Schema assumes, keeps strictness and property names', () => {
    const s = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        maximum: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
        $schema: { type: 'string' },
        m: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: ['number', 'null'] } },
        n: { anyOf: [{ type: 'object', properties: { a: { type: 'integer', minimum: 0 } }, required: ['a'] }, { type: 'null' }] },
        e: { anyOf: [{ type: 'string', enum: ['a'] }, { type: 'null' }] },
        r: { allOf: [{ $ref: '#/definitions/x' }] },
      },
      required: ['maximum'],
      additionalProperties: false,
      definitions: { x: { type: 'object', additionalProperties: {} } },
    };
    expect(compactJsonSchema(s)).toEqual({
      type: 'object',
      properties: {
        maximum: { type: 'integer' },
        $schema: { type: 'string' },
        m: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
        n: { type: ['object', 'null'], properties: { a: { type: 'integer', minimum: 0 } }, required: ['a'] },
        e: { anyOf: [{ type: 'string', enum: ['a'] }, { type: 'null' }] }, // an enum also constrains null: kept
        r: { $ref: '#/definitions/x' },
      },
      required: ['maximum'],
      additionalProperties: false,
      definitions: { x: { type: 'object' } },
    });
    expect(compactOutputSchema({ type: 'object', properties: { k: { type: 'string', enum: ['a', 'b'] }, c: { type: 'string', const: 'x' }, n: { type: 'number', enum: [1] } } })).toEqual({
      type: 'object',
      properties: { k: { enum: ['a', 'b'] }, c: { const: 'x' }, n: { type: 'number', enum: [1] } },
    });
  });

  it('every output schema accepts and refuses the same values as the SDK conversion', () => {
    const samples: Record<string, Record<string, unknown>> = {
      optimize: { run_id: 'opt_1', kind: 'optimize', status: 'succeeded', progress: null, best: { number: 1, state: 'COMPLETE', values: [1], params: {}, metrics: { sharpe: 1 }, run_id: 'bt_1' }, stopped: { reason: 'n_trials', detail: 'x' } },
      get_run: { run_id: 'r', kind: 'backtest', status: 'running', live: true, strategy: null, created_at: null, progress: { done: 1, total: null }, error: null, spec: {}, summary: null, trades: { items: [{}], total: 1, next_cursor: null, remaining: 0 } },
      analyze_results: { depth: 'deep', verdict: { verdict: 'caution', reasons: [{ code: 'dsr_missing', level: 'caution', message: 'm', value: null, threshold: null }] }, dsr: { dsr: 0.5, used: 'no_skill', evidence: 'backtest', n: 3, n_source: 's', v: 0.1, sr0: 0.2 } },
      champion_promote: { dry_run: true, key: { strategy: 's', symbol: 'x', timeframe: '1h' }, promotable: false, blocking: ['min_dsr'], gates: [{ gate: 'min_dsr', status: 'fail', value: 0.1, threshold: 0.95, data: { dsr: 0.1, n: 4 } }], thresholds: {}, candidate: { kind: 'backtest', run_id: 'r', trial: null, params: {}, metrics: {} }, evidence: null, incumbent: null, diff: {} },
    };
    let checked = 0;
    for (const def of ALL_TOOLS) {
      const full = sdkJson(def.outputSchema, 'output');
      const small = compactOutputSchema(full);
      expect(JSON.stringify(small).length).toBeLessThan(JSON.stringify(full).length);
      for (const v of variants(samples[def.name] ?? { run_id: 'r', total: 1, version: '1', dataset: { id: 1, symbol: 's', timeframe: '1h' } })) {
        expect(valid(small, v), `${def.name}: ${JSON.stringify(v)}`).toBe(valid(full, v));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('input schemas too (before the listed forms): the same arguments pass and fail', () => {
    const samples: Record<string, Record<string, unknown>> = {
      backtest: { strategy: 'sma_cross', symbol: 'S', timeframe: '1h', params: { fast: 5 }, execution: { cash: 100, stop_loss: null, max_hold_bars: 3 } },
      optimize: { strategy: 'sma_cross', space: { fast: { type: 'int', low: 1, high: 5 } }, objective: { metric: 'sharpe' }, sampler: { type: 'tpe' }, n_trials: 3, wait_seconds: 1 },
      get_run: { run_id: 'r', include: 'trades', limit: 3, cursor: '3' },
    };
    for (const def of ALL_TOOLS) {
      const full = sdkJson(strictInputObject(def), 'input');
      const small = compactJsonSchema(full);
      for (const v of variants(samples[def.name] ?? { run_id: 'r', strategy: 's' })) expect(valid(small, v), `${def.name}: ${JSON.stringify(v)}`).toBe(valid(full, v));
    }
  });

  it('listed input schemas are shorter and looser only: whatever the full schema accepts passes, the server refuses the rest', () => {
    const samples: Record<string, Record<string, unknown>> = {
      backtest: { strategy: 'sma_cross', symbol: 'S', timeframe: '1h', params: { fast: 5 }, execution: { cash: 100, stop_loss: null, max_hold_bars: 3 } },
      optimize: {
        strategy: 'sma_cross',
        study_name: 's.1',
        space: { fast: { type: 'int', low: 1, high: 5 } },
        objective: { metric: 'sharpe' },
        sampler: { type: 'tpe', n_startup_trials: 3 },
        pruner: 'median',
        execution: { commission: 0.001 },
        validate: { top_k: 2, holdout: { from: '2024-01-01' } },
        refine: { n_trials: 3, sampler: 'random' },
      },
      walk_forward: { strategy: 'sma_cross', is: '90d', oos: 300, sampler: { type: 'grid' }, execution: { cash: 5 }, params: { fast: 3 } },
      backtest_batch: { strategy: 'sma_cross', param_sets: [{ fast: 3 }, 'champion'], pairs: [{ symbol: 'A', timeframe: '1h' }], items: [{ strategy: 's', symbol: 'A', timeframe: '1d', execution: { cash: 5 } }], strategies: [{ strategy: 's' }], from: 5 },
      analyze_results: { run_id: 'r', inline: { time: [1, 2], equity: [1, 2], trades: [] }, depth: 'deep' },
      champion_promote: { candidate: { run_id: 'r', trial: 1 }, gate_overrides: { min_dsr: 0.5 }, override: [{ gate: 'min_dsr', reason: 'why not' }] },
      get_run: { run_id: 'r', include: 'trades', limit: 3, cursor: '3' },
    };
    let looser = 0;
    for (const def of ALL_TOOLS) {
      const raw = sdkJson(strictInputObject(def), 'input');
      const full = compactJsonSchema(raw);
      const listed = compactJsonSchema(listedJsonSchema(raw));
      expect(JSON.stringify(listed).length, def.name).toBeLessThanOrEqual(JSON.stringify(full).length);
      expect(JSON.stringify(listed)).not.toMatch(/x-listed|x-doc|minLength|maxLength/);
      expect((listed as { additionalProperties?: unknown }).additionalProperties, def.name).toBe(false);
      for (const v of variants(samples[def.name] ?? { run_id: 'r', strategy: 's' })) {
        const what = `${def.name}: ${JSON.stringify(v)}`;
        if (valid(full, v)) expect(valid(listed, v), what).toBe(true);
        else if (v !== null) {
          // (null arguments are absent arguments, {} for the server)
          if (valid(listed, v)) looser++;
          // what the full schema refuses, the server refuses before the tool runs, naming the field
          const r = checkToolArguments(def, v);
          expect(r.ok, what).toBe(false);
          if (!r.ok) expect(r.text, what).toMatch(new RegExp(`^${def.name}: `));
        }
      }
    }
    expect(looser).toBeGreaterThan(50);
  });
});

describe('listedJsonSchema', () => {
  it('replaces a listed node (keeping its description and default), drops docs-only keywords, string lengths, sanity caps and trivial floors', () => {
    const s = {
      type: 'object',
      properties: {
        execution: { description: 'Keys of backtest.execution.', default: {}, type: 'object', properties: { cash: { type: 'number' } }, additionalProperties: false, 'x-listed': { type: 'object' }, 'x-doc-ref': 'tradelab://docs/execution' },
        space: { description: 'Long.', type: 'object', 'x-listed': { type: 'object', description: 'As in optimize.' } },
        name: { type: 'string', minLength: 1, maxLength: 64, 'x-doc': 'More words.' },
        n: { type: 'integer', minimum: 1, maximum: 100_000 },
        k: { type: 'integer', minimum: 2, maximum: 99_999 },
        f: { type: 'number', minimum: 0, maximum: 1 },
        list: { type: 'array', minItems: 1, maxItems: 4, items: { type: 'string' } },
        x: { type: 'object', properties: { 'x-doc': { type: 'string' }, minLength: { type: 'integer', minimum: 0 } } },
      },
      additionalProperties: false,
    };
    expect(listedJsonSchema(s)).toEqual({
      type: 'object',
      properties: {
        execution: { default: {}, description: 'Keys of backtest.execution.', type: 'object' },
        space: { description: 'As in optimize.', type: 'object' },
        name: { type: 'string' },
        n: { type: 'integer' },
        k: { type: 'integer', minimum: 2, maximum: 99_999 },
        f: { type: 'number', minimum: 0, maximum: 1 },
        list: { type: 'array', maxItems: 4, items: { type: 'string' } },
        // property names are never dropped, only keywords
        x: { type: 'object', properties: { 'x-doc': { type: 'string' }, minLength: { type: 'integer' } } },
      },
      additionalProperties: false,
    });
  });

  it('compaction writes anyOf of bare types as a type list, beside a description', () => {
    expect(compactJsonSchema({ description: 'd', anyOf: [{ type: 'string' }, { type: 'number' }] })).toEqual({ description: 'd', type: ['string', 'number'] });
    expect(compactJsonSchema({ description: 'd', anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }] })).toEqual({ description: 'd', type: ['number', 'null'], minimum: 0 });
    // not when an alternative constrains more than its type
    expect(compactJsonSchema({ anyOf: [{ type: 'string', enum: ['a'] }, { type: 'object' }] })).toEqual({ anyOf: [{ type: 'string', enum: ['a'] }, { type: 'object' }] });
  });
});
