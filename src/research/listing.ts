/**
 * How an input schema is shown to clients, as zod metadata: JSON Schema keywords of our own
 * that tools/list removes (src/server/tool-list.ts) and the tool docs read
 * (src/server/tool-docs.ts, `tradelab://docs/tools/{name}`).
 *
 * - `listedAs(schema, json)`: in tools/list the field is this shorter JSON Schema (e.g. an
 *   object described as "keys of backtest.execution"), looser than the schema itself. The
 *   arguments are still checked against the full strict schema before anything runs
 *   (src/server/tool-input.ts), so an unknown key or a bad value anywhere below gets the same
 *   error naming its path, with a "did you mean" and the accepted keys. The tool docs show
 *   the full schema.
 * - `documented(schema, text)`: a longer explanation than the listed description, shown in
 *   the tool docs only.
 * - `documentedAt(schema, uri)`: the docs resource that documents this object's keys; the tool
 *   docs name it instead of repeating the keys.
 *
 * Job files, scenario files and batch specs parse with the same schemas; the metadata does
 * not change what they accept.
 */
import type { z } from 'zod';

export const LISTED = 'x-listed';
export const DOC = 'x-doc';
export const DOC_REF = 'x-doc-ref';

/** The docs resource of the execution keys shared by backtest, optimize, walk_forward and backtest_batch. */
export const EXECUTION_DOCS_URI = 'tradelab://docs/execution';
/** The long-form docs of one tool's arguments. */
export const toolDocsUri = (name: string): string => `tradelab://docs/tools/${name}`;

export type JsonObject = Record<string, unknown>;

export function listedAs<T extends z.ZodType>(schema: T, json: JsonObject): T {
  return schema.meta({ [LISTED]: json }) as T;
}

/**
 * A fixed default, in one place: the parser fills it in (zod's `.default`), so the code that
 * reads the field gets it, and JSON Schema's `default` shows it in tools/list and the tool
 * docs. Only for defaults that depend on nothing else (not on the server's configuration,
 * not on another field); those say theirs with `defaultIsResolved`.
 */
export function defaultsTo<T extends z.ZodType>(schema: T, value: NoUndefined<z.output<T>>): z.ZodDefault<T> {
  return schema.default(value);
}

type NoUndefined<T> = T extends undefined ? never : T;

/**
 * A default that is resolved later, said as JSON Schema's `default` annotation only (the
 * parser leaves the field absent): e.g. the execution fields, whose defaults the `profile`
 * changes (resolveExecution fills them in).
 */
export function defaultIsResolved<T extends z.ZodType>(schema: T, value: unknown): T {
  return schema.meta({ default: value }) as T;
}

/** The `wait_seconds` of the long-running tools. */
export const WAIT_DOC = "Seconds to wait for the result before answering with a run handle (status, progress; get_run reports later). Default: the server's wait_seconds (server_info).";

export function documented<T extends z.ZodType>(schema: T, text: string): T {
  return schema.meta({ [DOC]: text }) as T;
}

export function documentedAt<T extends z.ZodType>(schema: T, uri: string): T {
  return schema.meta({ [DOC_REF]: uri }) as T;
}
