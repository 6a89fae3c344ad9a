/**
 * The one mapping of a thrown error to a tool's `isError` result. An InputError
 * (src/engine/errors.ts: the engine's checks, DataError, SpaceError, the research layer's
 * UserError) is the caller's to fix: its text names the field, the value and what was
 * expected. Anything else is a bug, a RangeError or TypeError included: still shown with its
 * message, but marked internal, with the stack on stderr.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { InputError } from '../engine/errors.js';
import type { App } from '../research/app.js';
import { redactPaths } from '../research/public-paths.js';

export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** `<tool>: <what is wrong>` for an input error; `<tool>: internal error: …` (and the stack logged) otherwise. */
export function toolErrorText(tool: string, e: unknown): string {
  if (e instanceof InputError) return `${tool}: ${e.describe()}`;
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`tradelab: internal error in ${tool}: ${e instanceof Error && e.stack ? e.stack : msg}\n`);
  return `${tool}: internal error: ${msg}. The request was not applied; nothing stored was changed.`;
}

/** The `isError` result for `e` thrown by `tool`; an error's message may name a file (errno text): no machine paths. */
export function toolErrorResult(app: App, tool: string, e: unknown): CallToolResult {
  return errorResult(redactPaths(app, toolErrorText(tool, e)));
}
