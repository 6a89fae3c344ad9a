/**
 * The long form of the tools' documentation, as markdown MCP resources: what tools/list
 * leaves out to stay small (docs/MCP.md: well under ChatGPT's 16k-token budget).
 *
 * - `tradelab://docs/tools/{name}`: one tool: its description, its long notes (`doc`) and
 *   every argument from the full input schema — types, bounds, string lengths, defaults,
 *   descriptions and the longer explanations (`documented`), nested objects key by key
 *   (sampler and pruner options, `validate`, `refine`, batch items, …).
 * - `tradelab://docs/execution`: the execution keys shared by backtest, optimize,
 *   walk_forward and backtest_batch (and its items), with their meaning and defaults.
 *
 * Both are generated from the schemas that validate the arguments, so they cannot drift from
 * what the server accepts.
 */
import { z } from 'zod';
import { DEFAULT_EXECUTION } from '../engine/backtest/types.js';
import { EXECUTION_NOTES, executionInputSchema } from '../research/execution.js';
import { DOC, DOC_REF, toolDocsUri } from '../research/listing.js';
import type { ToolDef } from '../tools/types.js';
import { compactJsonSchema } from './tool-list.js';
import { strictInputObject } from './tool-input.js';

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A bound as people write it: 1e15 rather than 1000000000000000. */
function num(v: unknown): string {
  if (typeof v !== 'number') return String(v);
  const exp = Math.log10(Math.abs(v));
  return Math.abs(v) >= 1e6 && Number.isInteger(exp) ? `${v < 0 ? '-' : ''}1e${exp}` : String(v);
}

function bounds(n: Node, unit = ''): string[] {
  const out: string[] = [];
  if (n.exclusiveMinimum !== undefined) out.push(`> ${num(n.exclusiveMinimum)}`);
  if (n.minimum !== undefined) out.push(`≥ ${num(n.minimum)}`);
  if (n.exclusiveMaximum !== undefined) out.push(`< ${num(n.exclusiveMaximum)}`);
  if (n.maximum !== undefined) out.push(`≤ ${num(n.maximum)}`);
  if (n.minLength !== undefined || n.maxLength !== undefined) out.push(`${num(n.minLength ?? 0)}–${num(n.maxLength ?? '∞')} characters`);
  if (n.minItems !== undefined || n.maxItems !== undefined) out.push(`${num(n.minItems ?? 0)}–${num(n.maxItems ?? '∞')} ${unit || 'items'}`);
  if (typeof n.pattern === 'string') out.push(`matching ${n.pattern}`);
  return out;
}

/** The type of a node in words: `integer (≥ 1, ≤ 64)`, `"tpe" | "random" | "grid" or object`, `list of string (1–20 items)`. */
export function typeText(n: Node): string {
  if (Array.isArray(n.enum)) return n.enum.map((v) => JSON.stringify(v)).join(' | ');
  if ('const' in n) return JSON.stringify(n.const);
  if (Array.isArray(n.anyOf)) return n.anyOf.filter(isNode).map(typeText).join(' or ');
  const types = Array.isArray(n.type) ? (n.type as string[]) : typeof n.type === 'string' ? [n.type] : [];
  if (types.length === 0) return 'any value';
  const words = types.map((t) => {
    if (t === 'array') return `list of ${isNode(n.items) ? typeText(n.items) : 'any value'}`;
    if (t === 'object' && isNode(n.additionalProperties)) return `map of name → ${typeText(n.additionalProperties)}`;
    return t;
  });
  const b = bounds(n);
  return `${words.join(' or ')}${b.length ? ` (${b.join(', ')})` : ''}`;
}

/** The objects below a node whose keys are documented one level down. */
function childObjects(n: Node): Node[] {
  if (isNode(n.properties)) return [n];
  const out: Node[] = [];
  if (Array.isArray(n.anyOf)) for (const a of n.anyOf) if (isNode(a)) out.push(...childObjects(a));
  if (isNode(n.items)) out.push(...childObjects(n.items));
  if (isNode(n.additionalProperties)) out.push(...childObjects(n.additionalProperties));
  return out;
}

function sentence(s: string): string {
  const t = s.trim();
  return t === '' || /[.!?:)]$/.test(t) ? t : `${t}.`;
}

/** One markdown bullet per key of an object schema, nested objects indented below their key. */
export function argumentLines(schema: Node, depth = 0): string[] {
  const props = isNode(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const pad = '  '.repeat(depth);
  const lines: string[] = [];
  for (const [key, raw] of Object.entries(props)) {
    if (!isNode(raw)) continue;
    const facts = [typeText(raw), ...(required.has(key) ? ['required'] : []), ...('default' in raw ? [`default ${JSON.stringify(raw.default)}`] : [])];
    const ref = typeof raw[DOC_REF] === 'string' ? (raw[DOC_REF] as string) : null;
    // the key's own texts, then those of its list items, map values and alternatives
    const inner = [raw.items, raw.additionalProperties, ...(Array.isArray(raw.anyOf) ? raw.anyOf : [])].filter(isNode);
    const said = [raw, ...inner].flatMap((n) => [n.description, n[DOC]]).filter((x): x is string => typeof x === 'string');
    const text = [...new Set(said)].map(sentence);
    if (ref) text.push(`Its keys: ${ref}.`);
    lines.push(`${pad}- \`${key}\` (${facts.join('; ')})${text.length ? `: ${text.join(' ')}` : ''}`);
    // an object given alone or in a list (champion_promote's override) is documented once
    const children = [...new Map(childObjects(raw).map((c) => [JSON.stringify(c), c])).values()];
    if (!ref) for (const child of children) lines.push(...argumentLines(child, depth + 1));
  }
  return lines;
}

/** The full input schema of a tool as JSON Schema (what tools/list shortens). */
export function fullInputSchema(def: ToolDef): Node {
  return compactJsonSchema(z.toJSONSchema(strictInputObject(def), { target: 'draft-7', io: 'input' })) as Node;
}

export function toolDocument(def: ToolDef, enabled: boolean): string {
  const args = argumentLines(fullInputSchema(def));
  const tier = enabled ? def.tier : `${def.tier} (disabled on this server: start it with --allow ${def.tier === 'write' ? 'compute,write' : 'compute'})`;
  return [
    `# ${def.name}: ${def.title}`,
    '',
    `Tier: ${tier}.`,
    '',
    def.description,
    ...(def.doc ? ['', def.doc] : []),
    '',
    '## Arguments',
    '',
    'Every object is strict: an unknown key is refused, naming its path, with a "did you mean" and the accepted keys.',
    '',
    ...(args.length ? args : ['(none)']),
    '',
  ].join('\n');
}

const EXECUTION_INTRO = [
  '# Execution keys',
  '',
  'The `execution` object of `backtest`, `optimize`, `walk_forward`, `backtest_batch` (batch-wide, and per item, merged over the batch\'s), job files and scenario files: costs, sizing, stops and the simulation profile. ' +
    'Every key is optional; an unknown key or a value out of bounds is refused before anything runs, naming the field (`execution.comission: unknown key; did you mean "commission"?`).',
  '',
  'How orders fill: a market order decided at the close of bar t fills at the open of bar t+1 (± slippage); exits are checked inside each bar, the entry bar included — a stop (fixed or trailing, whichever is tighter) before a take-profit, gaps filling at the open. ' +
    'Equity at or below 0 closes everything (`liquidation`). A strategy parameter `direction` (or a declared `max_hold_bars`) overrides the key of the same name here.',
  '',
  '## Keys',
  '',
];

export function executionDocument(): string {
  const schema = compactJsonSchema(z.toJSONSchema(executionInputSchema, { target: 'draft-7', io: 'input' })) as Node;
  const props = (schema.properties ?? {}) as Record<string, Node>;
  const lines = Object.entries(EXECUTION_NOTES).map(([key, note]) => {
    const n = props[key] ?? {};
    return `- \`${key}\` (${typeText(n)}; default ${JSON.stringify(DEFAULT_EXECUTION[key as keyof typeof DEFAULT_EXECUTION])}): ${note}`;
  });
  return [...EXECUTION_INTRO, ...lines, '', `The tools' own docs: ${toolDocsUri('{name}')}.`, ''].join('\n');
}
