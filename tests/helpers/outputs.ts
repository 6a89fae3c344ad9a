/**
 * Checking a tool result against its declared output schema, three ways: the SDK Client
 * itself (it validates structuredContent once tools/list told it the schema, and throws on a
 * mismatch), Ajv on the schema exactly as tools/list listed it (what any client sees), and
 * the tool's own zod schema. Also reads the compact JSON at the end of the text block.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { expect } from 'vitest';
import { roundForText } from '../../src/tools/result-text.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import type { ToolDef } from '../../src/tools/types.js';
import { textOf, type Harness } from './mcp.js';

const ajv = new AjvJsonSchemaValidator();

export interface Checked<T = Record<string, unknown>> {
  readonly data: T;
  /** The text block without its JSON line. */
  readonly lines: string;
  /** The compact JSON at the end of the text, parsed. */
  readonly json: unknown;
  readonly abridged: boolean;
}

const listed = new WeakMap<Harness, Map<string, Tool>>();

/** tools/list through the client (which then validates every call) and the listed schemas by name. */
export async function listedTools(h: Harness): Promise<Map<string, Tool>> {
  let m = listed.get(h);
  if (!m) {
    m = new Map((await h.client.listTools()).tools.map((t) => [t.name, t]));
    listed.set(h, m);
  }
  return m;
}

export function toolDef(name: string): ToolDef {
  const def = ALL_TOOLS.find((d) => d.name === name);
  if (!def) throw new Error(`no tool ${name}`);
  return def;
}

/** Numbers rounded as the text's JSON rounds them. */
export function roundedDeep(v: unknown): unknown {
  if (typeof v === 'number') return roundForText(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(roundedDeep);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundedDeep(x)]));
}

/** The text block split into the tool's lines and its final JSON line. */
export function splitText(text: string): { lines: string; json: unknown; abridged: boolean } {
  const m = /\n(JSON|JSON \(abridged; full result in structuredContent\)): (.*)$/.exec(text);
  expect(m, `the text ends with a JSON line: ${text.slice(-300)}`).not.toBeNull();
  return { lines: text.slice(0, m!.index), json: JSON.parse(m![2]) as unknown, abridged: m![1] !== 'JSON' };
}

/** Asserts a successful result fits its tool's output schema (client, Ajv on the listed schema, zod) and returns its parts. */
export async function checkResult<T = Record<string, unknown>>(h: Harness, name: string, r: CallToolResult): Promise<Checked<T>> {
  expect(r.isError, `${name} failed: ${textOf(r)}`).toBeFalsy();
  const tool = (await listedTools(h)).get(name);
  expect(tool?.outputSchema, `${name} lists an outputSchema`).toBeDefined();
  // the client validated this result (it holds a validator for the tool and callTool did not throw)
  const validator = (h.client as unknown as { getToolOutputValidator(n: string): unknown }).getToolOutputValidator(name);
  expect(validator, `the client validates ${name}`).toBeDefined();
  const data = r.structuredContent as Record<string, unknown>;
  expect(data).toBeDefined();
  const v = ajv.getValidator(tool!.outputSchema as never)(data);
  expect(v.valid, `${name}: listed schema: ${v.errorMessage ?? ''}`).toBe(true);
  const z = toolDef(name).outputSchema.safeParse(data);
  expect(z.success, `${name}: zod: ${z.success ? '' : z.error.message}`).toBe(true);
  // a required field gone: both must say no, so the checks above can fail
  const required = ((tool!.outputSchema as { required?: string[] }).required ?? [])[0];
  if (required !== undefined) {
    const { [required]: _gone, ...broken } = data;
    void _gone;
    expect(ajv.getValidator(tool!.outputSchema as never)(broken).valid, `${name} without ${required}`).toBe(false);
    expect(toolDef(name).outputSchema.safeParse(broken).success, `${name} without ${required} (zod)`).toBe(false);
  }
  const parts = splitText(textOf(r));
  if (!parts.abridged) expect(parts.json).toEqual(roundedDeep(data));
  return { data: data as T, ...parts };
}

/** Calls a tool through the in-process client and checks the result (see checkResult). */
export async function checkedCall<T = Record<string, unknown>>(h: Harness, name: string, args: Record<string, unknown> = {}): Promise<Checked<T>> {
  await listedTools(h);
  return checkResult<T>(h, name, await h.call(name, args));
}
