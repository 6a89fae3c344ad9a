/**
 * The tools/list answer (served by src/server/tool-table.ts), made smaller without changing
 * what it means. zod converts each tool's schemas to JSON Schema (as the SDK's McpServer
 * would list them) with its defaults, which spell out what JSON Schema
 * already assumes; with an output schema per tool that doubles the list, and the whole list
 * must stay well under ChatGPT's 16k-token budget (docs/MCP.md). Removed, wherever they
 * occur in an input or output schema:
 *
 * - `"$schema"` (the draft is the MCP default, draft-07 here);
 * - `"additionalProperties": {}` (any additional property is allowed anyway; input objects
 *   keep their `"additionalProperties": false`);
 * - `"propertyNames": {"type": "string"}` (JSON keys are strings);
 * - `minimum`/`maximum` of ±(2^53 − 1), which zod adds to every integer;
 * - an `allOf` around a single `$ref` with nothing beside it;
 * - `anyOf: [{type: T, …}, {type: "null"}]` is written `{type: [T, "null"], …}` when the
 *   other keywords constrain only values of type T (bounds, lengths, properties, items), so
 *   null passes either way (a description beside the anyOf stays beside the type);
 * - `anyOf` of bare types (`[{type: A}, {type: B}]`) is written `{type: [A, B]}`.
 *
 * Clients validate against what is listed (the SDK's Client.callTool compiles the listed
 * output schema with Ajv); the same values pass and fail as before.
 *
 * Input schemas are also shown as listed (src/research/listing.ts): a field marked with
 * `listedAs` is listed in its shorter, looser form, and string lengths (`minLength`,
 * `maxLength`), sanity caps (a `maximum` of 100,000 or more), the floors 0 and 1 of
 * integers (counts, ids) and `minItems: 1` are left out; every value the full schema accepts still passes. The tool docs
 * (`tradelab://docs/tools/{name}`) carry the full form, and the arguments are checked against
 * the full strict schema before a tool runs, with an error naming the field.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { DOC, DOC_REF, LISTED } from '../research/listing.js';
import { annotationsFor, type ToolDef } from '../tools/types.js';
import { REPORT_APP_META } from './report-app.js';
import { strictInputObject } from './tool-input.js';

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keywords that constrain only values of their own type. */
const MERGEABLE = new Set([
  'type',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'items',
  'minItems',
  'maxItems',
]);
const NAMED = new Set(['properties', 'definitions', '$defs', 'patternProperties']);
/** Keywords that only annotate (never change what validates). */
const ANNOTATIONS = new Set(['description', 'title']);

export function compactJsonSchema(s: Json): Json {
  if (Array.isArray(s)) return s.map(compactJsonSchema);
  if (!isObject(s)) return s;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$schema') continue;
    if (k === 'additionalProperties' && isObject(v) && Object.keys(v).length === 0) continue;
    if (k === 'propertyNames' && isObject(v) && Object.keys(v).length === 1 && v.type === 'string') continue;
    if (k === 'maximum' && v === Number.MAX_SAFE_INTEGER) continue;
    if (k === 'minimum' && v === Number.MIN_SAFE_INTEGER) continue;
    // these map names to schemas: compact each schema, never drop an entry by its name
    out[k] = NAMED.has(k) && isObject(v) ? Object.fromEntries(Object.entries(v).map(([p, x]) => [p, compactJsonSchema(x)])) : compactJsonSchema(v);
  }
  const all = out.allOf;
  if (Array.isArray(all) && all.length === 1 && Object.keys(out).length === 1 && isObject(all[0]) && typeof all[0].$ref === 'string') return all[0];
  const alternatives = out.anyOf;
  if (Array.isArray(alternatives) && alternatives.length > 1 && Object.keys(out).every((k) => k === 'anyOf' || ANNOTATIONS.has(k))) {
    // alternatives that are bare types: one type list
    if (alternatives.every((a) => isObject(a) && Object.keys(a).length === 1 && typeof a.type === 'string')) {
      const { anyOf: _bare, ...notes } = out;
      void _bare;
      return { ...notes, type: alternatives.map((a) => (a as { type: string }).type) };
    }
  }
  if (Array.isArray(alternatives) && alternatives.length === 2 && Object.keys(out).every((k) => k === 'anyOf' || ANNOTATIONS.has(k))) {
    const [a, b] = alternatives;
    if (isObject(a) && isObject(b) && Object.keys(b).length === 1 && b.type === 'null' && typeof a.type === 'string' && Object.keys(a).every((k) => MERGEABLE.has(k))) {
      const { anyOf: _any, ...notes } = out;
      void _any;
      return { ...notes, ...a, type: [a.type, 'null'] };
    }
  }
  return out;
}

/** Keywords tools/list leaves out of input schemas (the server checks them; the tool docs show them). */
const UNLISTED = new Set([DOC, DOC_REF, 'minLength', 'maxLength']);
/** Upper bounds from here up are sanity caps (the server's limits bind first): not listed. */
const SANITY_CAP = 100_000;

/** A bound the listing leaves out: a sanity cap, the floor 0 or 1 of a count or an id, or "not empty". */
function unlistedBound(node: Record<string, Json>, k: string, v: Json): boolean {
  if (typeof v !== 'number') return false;
  if (k === 'maximum') return v >= SANITY_CAP;
  if (k === 'minItems') return v === 1;
  return k === 'minimum' && (v === 0 || v === 1) && (node.type === 'integer' || (Array.isArray(node.type) && node.type[0] === 'integer'));
}

/**
 * An input JSON Schema as tools/list shows it: each node marked `x-listed` replaced by its
 * listed form (with the node's description and default unless the listed form has its own);
 * string lengths, sanity caps, integer floors of 0 and 1, `minItems: 1` and the docs-only
 * keywords (`x-doc`, `x-doc-ref`) removed.
 */
export function listedJsonSchema(s: Json): Json {
  if (Array.isArray(s)) return s.map(listedJsonSchema);
  if (!isObject(s)) return s;
  const listed = s[LISTED];
  if (isObject(listed)) return { ...('default' in s ? { default: s.default } : {}), ...(typeof s.description === 'string' ? { description: s.description } : {}), ...listed };
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(s)) {
    if (UNLISTED.has(k) || unlistedBound(s, k, v)) continue;
    out[k] = NAMED.has(k) && isObject(v) ? Object.fromEntries(Object.entries(v).map(([p, x]) => [p, listedJsonSchema(x)])) : listedJsonSchema(v);
  }
  return out;
}

/**
 * An output schema also drops `"type": "string"` beside an `enum` or `const` of strings (the
 * values say it). Input schemas keep it: some clients convert input schemas into formats
 * that want a type on every property.
 */
export function compactOutputSchema(s: Json): Json {
  const c = compactJsonSchema(s);
  const strip = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(strip);
    if (!isObject(v)) return v;
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) out[k] = NAMED.has(k) && isObject(x) ? Object.fromEntries(Object.entries(x).map(([p, y]) => [p, strip(y)])) : strip(x);
    const values = Array.isArray(out.enum) ? out.enum : 'const' in out ? [out.const] : null;
    if (out.type === 'string' && values !== null && values.every((x) => typeof x === 'string')) delete out.type;
    return out;
  };
  return strip(c);
}

const listings = new WeakMap<ToolDef, Tool>();

/**
 * The tool as tools/list shows it, built once per tool (stateless HTTP builds a server per
 * request): zod's JSON Schema (draft-07, as the SDK would convert it) of the strict input,
 * shown in its listed form and compacted, and of the output, compacted. No `execution`: its
 * default, `{taskSupport: "forbidden"}`, holds for every tool here.
 */
export function listedTool(def: ToolDef): Tool {
  let t = listings.get(def);
  if (!t) {
    t = {
      name: def.name,
      title: def.title,
      description: def.description,
      inputSchema: compactJsonSchema(listedJsonSchema(z.toJSONSchema(strictInputObject(def), { target: 'draft-7', io: 'input' }))) as Tool['inputSchema'],
      annotations: annotationsFor(def),
      ...(def.app ? { _meta: REPORT_APP_META } : {}),
      outputSchema: compactOutputSchema(z.toJSONSchema(def.outputSchema, { target: 'draft-7', io: 'output' })) as Tool['outputSchema'],
    };
    listings.set(def, t);
  }
  return t;
}
