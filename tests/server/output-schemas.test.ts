/**
 * Output schemas as registered and listed: every tool declares one, none says
 * additionalProperties: false anywhere (results grow), errors carry no structuredContent and
 * a validating client accepts them, and a result that does not fit its schema becomes an
 * isError result that still carries its text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callTool } from '../../src/server/register.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { defineTool, TIERS, type ToolDef } from '../../src/tools/types.js';
import { harness, textOf, type Harness } from '../helpers/mcp.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h.close());

/** A read-tier test tool whose handler answers `text` and `data`. */
function testTool(name: string, outputSchema: z.ZodObject<z.ZodRawShape, z.core.$loose>, text: string, data: Record<string, unknown>): ToolDef {
  return defineTool({ name, title: name, description: 'Test only.', tier: 'read', inputSchema: {}, outputSchema, handler: () => ({ text, data }) }) as unknown as ToolDef;
}

const call = (def: ToolDef) => callTool(def, {}, { app: h.app, jobs: h.jobs, tiers: new Set(TIERS), mode: 'in-process' }, { signal: new AbortController().signal, sendNotification: async () => {} });

/** Paths of every object schema in `s` that forbids additional properties. */
function closedObjects(s: unknown, path = '$'): string[] {
  if (Array.isArray(s)) return s.flatMap((x, i) => closedObjects(x, `${path}[${i}]`));
  if (s === null || typeof s !== 'object') return [];
  const o = s as Record<string, unknown>;
  const own = o.additionalProperties === false ? [path] : [];
  return [...own, ...Object.entries(o).flatMap(([k, v]) => closedObjects(v, `${path}.${k}`))];
}

describe('output schemas', () => {
  it('every tool declares one: a loose object, listed for every tool of every tier', async () => {
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS.map((d) => d.name).sort());
    for (const def of ALL_TOOLS) {
      expect(def.outputSchema, def.name).toBeDefined();
      const zodJson = z.toJSONSchema(def.outputSchema, { target: 'draft-7', io: 'output' });
      expect(closedObjects(zodJson), `${def.name} (zod)`).toEqual([]);
      const listed = tools.find((t) => t.name === def.name)!.outputSchema;
      expect(listed?.type, def.name).toBe('object');
      expect(closedObjects(listed), `${def.name} (listed)`).toEqual([]);
    }
    // inputs stay strict
    for (const t of tools) expect(t.inputSchema.additionalProperties, t.name).toBe(false);
  });

  it('errors are isError results without structuredContent, which a validating client accepts', async () => {
    await h.client.listTools(); // the client now validates every tool with an output schema
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['get_run', { run_id: 'bt_nope' }, /bt_nope/],
      ['backtest', { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h', execution: { comission: 0.001 } }, /did you mean "commission"/],
      ['analyze_results', {}, /nothing to analyse/],
      ['champion_rollback', { strategy: 'sma_cross', symbol: 'X', timeframe: '1h', to_version: 1, reason: 'none there' }, /no champion/],
    ];
    for (const [name, args, text] of cases) {
      const r = await h.call(name, args);
      expect(r.isError, name).toBe(true);
      expect(r.structuredContent, name).toBeUndefined();
      expect(textOf(r)).toMatch(text);
    }
    const ro = await harness({ tiers: ['read'] });
    try {
      await ro.client.listTools();
      const refused = await ro.call('backtest', { strategy: 'sma_cross' });
      expect(refused).toMatchObject({ isError: true });
      expect(refused.structuredContent).toBeUndefined();
    } finally {
      await ro.close();
    }
  });

  it('a result that does not fit its schema is an isError result that keeps its text', async () => {
    const schema = z.looseObject({ run_id: z.string(), count: z.number().int() });
    const r = await call(testTool('liar', schema, 'made 3 things, run r1', { run_id: 'r1', count: 'three' }));
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toBeUndefined();
    const text = textOf(r);
    expect(text).toMatch(/liar: internal error: the result does not match the tool's output schema \(count: .*\)/);
    expect(text).toContain('made 3 things, run r1');
    expect(text).toContain('JSON: {"run_id":"r1","count":"three"}');
    // the same tool with data that fits: structuredContent, text + JSON
    const ok = await call(testTool('honest', schema, 'made 3 things', { run_id: 'r1', count: 3, extra: [1.23456789] }));
    expect(ok.structuredContent).toEqual({ run_id: 'r1', count: 3, extra: [1.23456789] });
    expect(textOf(ok)).toBe('made 3 things\nJSON: {"run_id":"r1","count":3,"extra":[1.23457]}');
  });

  it('non-finite numbers are sent and checked as JSON sends them (null)', async () => {
    const r = await call(testTool('nan', z.looseObject({ x: z.number().nullable() }), 'x', { x: Number.NaN, y: Number.POSITIVE_INFINITY }));
    expect(r.structuredContent).toEqual({ x: null, y: null });
  });
});
