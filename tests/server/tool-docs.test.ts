/**
 * The docs resources (src/server/tool-docs.ts): listed and readable over MCP, and carrying
 * what tools/list leaves out — every description and longer explanation of every argument,
 * bounds and defaults, the execution keys with their meaning and defaults, the sampler and
 * pruner options.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_EXECUTION } from '../../src/engine/backtest/types.js';
import { SAMPLER_FIELDS } from '../../src/engine/optimizer/samplers/index.js';
import { PRUNER_FIELDS } from '../../src/engine/optimizer/pruners/index.js';
import { EXECUTION_NOTES } from '../../src/research/execution.js';
import { DOC, DOC_REF, LISTED } from '../../src/research/listing.js';
import { RESOURCE_NOT_FOUND } from '../../src/server/resources.js';
import { strictInputObject } from '../../src/server/tool-input.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { harness, type Harness } from '../helpers/mcp.js';

let h: Harness;
beforeAll(async () => {
  h = await harness({ tiers: ['read', 'compute'] });
});
afterAll(async () => h.close());

async function read(uri: string): Promise<string> {
  const r = await h.client.readResource({ uri });
  expect(r.contents).toHaveLength(1);
  const c = r.contents[0] as { text?: string; mimeType?: string };
  expect(c.mimeType).toBe('text/markdown');
  return c.text ?? '';
}

/**
 * Every description and longer explanation in a schema, with the path of its key; an object
 * documented elsewhere (execution: tradelab://docs/execution) gives its own texts and that link.
 */
function texts(s: unknown, path = ''): [string, string][] {
  if (Array.isArray(s)) return s.flatMap((x) => texts(x, path));
  if (s === null || typeof s !== 'object') return [];
  const o = s as Record<string, unknown>;
  if (typeof o[DOC_REF] === 'string') return [...(typeof o.description === 'string' ? [[path, o.description] as [string, string]] : []), [path, `Its keys: ${o[DOC_REF] as string}`]];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k === LISTED) continue; // the listed form: what tools/list shows instead
    if ((k === 'description' || k === DOC) && typeof v === 'string') out.push([path, v]);
    else if (k === 'properties' && v && typeof v === 'object') for (const [p, x] of Object.entries(v)) out.push(...texts(x, path ? `${path}.${p}` : p));
    else out.push(...texts(v, path));
  }
  return out;
}

describe('docs resources', () => {
  it('are listed: the execution keys, and a template with one resource per offered tool', async () => {
    const { resourceTemplates } = await h.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('tradelab://docs/tools/{name}');
    const { resources } = await h.client.listResources();
    const docs = resources.filter((r) => r.uri.startsWith('tradelab://docs/'));
    const offered = ALL_TOOLS.filter((d) => d.tier !== 'write').map((d) => `tradelab://docs/tools/${d.name}`);
    expect(docs.map((r) => r.uri).sort()).toEqual(['tradelab://docs/execution', ...offered].sort());
    for (const r of docs) expect(r.mimeType).toBe('text/markdown');
    // tool names complete
    const c = await h.client.complete({ ref: { type: 'ref/resource', uri: 'tradelab://docs/tools/{name}' }, argument: { name: 'name', value: 'champion_p' } });
    expect(c.completion.values).toEqual(['champion_promote']);
  });

  it('tradelab://docs/execution gives every execution key with its bounds, default and meaning', async () => {
    const text = await read('tradelab://docs/execution');
    for (const [key, note] of Object.entries(EXECUTION_NOTES)) {
      const line = text.split('\n').find((l) => l.startsWith(`- \`${key}\` (`));
      expect(line, key).toBeDefined();
      expect(line).toContain(`default ${JSON.stringify(DEFAULT_EXECUTION[key as keyof typeof DEFAULT_EXECUTION])}`);
      expect(line).toContain(note);
    }
    expect(text).toContain('- `commission` (number (≥ 0, ≤ 0.1); default 0): Fee per side (entry and exit) as a fraction of the traded notional');
    expect(text).toContain('- `cash` (number (> 0, ≤ 1e15); default 10000)');
    expect(text).toMatch(/fills at the open of bar t\+1/);
  });

  it('every tool doc holds every description and longer explanation of its arguments, with bounds and defaults', async () => {
    for (const def of ALL_TOOLS) {
      const text = await read(`tradelab://docs/tools/${def.name}`);
      expect(text).toContain(`# ${def.name}: ${def.title}`);
      expect(text).toContain(def.description);
      if (def.doc) expect(text).toContain(def.doc);
      const full = z.toJSONSchema(strictInputObject(def), { target: 'draft-7', io: 'input' });
      for (const [path, t] of texts(full)) expect(text, `${def.name} ${path}`).toContain(t.trim().replace(/\.$/, ''));
      for (const key of Object.keys(def.inputSchema)) expect(text, `${def.name}.${key}`).toContain(`- \`${key}\` (`);
    }
    const opt = await read('tradelab://docs/tools/optimize');
    // what tools/list shortens: sampler and pruner options by type, validate and refine key by key, defaults
    for (const keys of [...Object.values(SAMPLER_FIELDS), ...Object.values(PRUNER_FIELDS)]) for (const k of keys) expect(opt).toContain(`\`${k}\``);
    expect(opt).toContain('  - `top_k` (integer (≥ 1, ≤ 50); required): Distinct top configurations to re-run.');
    expect(opt).toContain('  - `factor` (number (> 0, ≤ 1); default 0.3)');
    expect(opt).toContain('- `study_name` (string (1–120 characters, matching ^[A-Za-z0-9._:\\-]+$))');
    expect(opt).toContain('- `execution` (object): Keys of backtest.execution. Its keys: tradelab://docs/execution.');
    // walk_forward lists "as in optimize"; its doc has the full form
    const wf = await read('tradelab://docs/tools/walk_forward');
    expect(wf).toContain('  - `type` ("float" | "int" | "categorical"; required)');
    expect(wf).toMatch(/`is` \(integer \(≥ 1, ≤ 1e8\) or string \(2–12 characters\); required\): In-sample: bars or duration/);
    const batch = await read('tradelab://docs/tools/backtest_batch');
    expect(batch).toContain('  - `symbol` (string (1–64 characters); required)');
    expect(batch).toMatch(/`pairs` \(list of object \(1–4000 items\)\): \[\{symbol, timeframe\}\]: instead of symbols × timeframes\. The datasets of the product as a list/);
    expect(batch).toContain('`metrics` (list of string (1–40 characters) (1–16 items)): Matrix columns. Metric keys shown in the comparison matrix (default return_pct, sharpe,');
  });

  it('every argument is explained: by its description (listed), its longer doc, or the tool\'s description', () => {
    for (const def of ALL_TOOLS) {
      const full = z.toJSONSchema(strictInputObject(def), { target: 'draft-7', io: 'input' }) as { properties: Record<string, Record<string, unknown>> };
      for (const [key, node] of Object.entries(full.properties)) {
        const explained = typeof node.description === 'string' || typeof node[DOC] === 'string' || def.description.includes(`${key} `) || def.description.includes(`${key}:`);
        expect(explained, `${def.name}.${key}`).toBe(true);
      }
    }
  });

  it('a write tool of a disabled tier is documented as disabled; an unknown tool is not found', async () => {
    expect(await read('tradelab://docs/tools/champion_promote')).toContain('Tier: write (disabled on this server: start it with --allow compute,write).');
    await expect(h.client.readResource({ uri: 'tradelab://docs/tools/no_such_tool' })).rejects.toMatchObject({ code: RESOURCE_NOT_FOUND, message: expect.stringMatching(/no tool "no_such_tool"; tools: server_info, /) });
  });
});
