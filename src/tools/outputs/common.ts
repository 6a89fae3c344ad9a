/**
 * Building blocks of the tools' output schemas (`outputSchema`, typing `structuredContent`).
 *
 * Outputs grow over time, so every object is loose (`z.looseObject`: JSON Schema
 * `additionalProperties: {}`): a field added later never breaks a client that validates
 * against an older schema. A plain `z.object` would emit `additionalProperties: false` for
 * output and make clients (the SDK's `Client.callTool` validates with Ajv) reject any new
 * field, so it must not be used here; tests/tools/outputs check every schema for it.
 *
 * The whole tools/list must stay well under ChatGPT's 16k-token budget (at most 32 KB with
 * the output schemas, tests/server/tools.test.ts), so these schemas type each result's
 * top-level fields and, below them, only the headline figures (ids, statuses, verdicts,
 * paging); nested detail is a free-form object (`anyObject`: `{"type": "object"}`). A
 * sub-schema used several times in one tool carries a `meta({ id })`: tools/list holds it once
 * under `definitions` and refers to it with `$ref` (src/server/tool-list.ts also drops what
 * JSON Schema assumes anyway).
 * Numbers are finite or null: results are sent as JSON, where NaN and ±Infinity become null.
 */
import { z } from 'zod';
import { RUN_KINDS, RUN_STATUSES } from '../../research/runs.js';
import { TIERS } from '../types.js';

/** An integer: counts, ids, versions, trial numbers, bar indexes. */
export const count = z.number().int();
/** A number, or null where it is undefined. */
export const num = z.number().nullable();
/** An ISO-8601 time, or null. */
export const time = z.string().nullable();
/** Metric name → value (finite or null). */
export const metrics = z.record(z.string(), z.number().nullable());
/** Free-form object: strategy params, specs, stored summaries, evolving detail. */
export const anyObject = z.record(z.string(), z.unknown());
export const strings = z.array(z.string());

export const runKind = z.enum(RUN_KINDS);
export const runStatus = z.enum(RUN_STATUSES);
export const tier = z.enum(TIERS);

export const progress = z.looseObject({ done: count, total: count.nullable() });

/** Paging fields of a list result. */
export const paging = {
  total: count,
  next_cursor: z.string().nullable(),
  remaining: count,
};

/** One page of a section (get_run `include`): items plus the paging fields. */
export const page = z.looseObject({ items: z.array(anyObject), ...paging }).meta({ id: 'page' });

/** A dataset as results name it. */
export const datasetRef = z.looseObject({ id: count, symbol: z.string(), timeframe: z.string() });

/** Where a champion file was exported ({file}), or why it could not be ({error}). */
export const exportResult = anyObject.nullable();
