/**
 * Registering one tool on an McpServer: honest annotations from its tier, the request's
 * signal and progress token passed into a ToolContext, typed errors mapped to `isError`
 * results, and the result-size limit.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { DataError } from '../engine/data/errors.js';
import { UserError } from '../research/errors.js';
import { redactPaths } from '../research/public-paths.js';
import { annotationsFor, type ToolContext, type ToolDef } from '../tools/types.js';
import type { ServerOptions } from './create-server.js';
import { checkToolArguments, strictInputObject } from './tool-input.js';

interface Extra {
  readonly signal: AbortSignal;
  readonly _meta?: { progressToken?: string | number };
  readonly sendNotification: (n: { method: 'notifications/progress'; params: { progressToken: string | number; progress: number; total?: number; message?: string } }) => Promise<void>;
  readonly sessionId?: string;
}

export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

export function toErrorText(tool: string, e: unknown): string {
  if (e instanceof UserError) return `${tool}: ${e.describe()}`;
  // Engine input checks name their parameter; they are the caller's to fix, not bugs.
  if (e instanceof DataError) return `${tool}: ${e.message} (field ${e.field})`;
  if (e instanceof RangeError) return `${tool}: ${e.message}`;
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`tradelab: internal error in ${tool}: ${e instanceof Error && e.stack ? e.stack : msg}\n`);
  return `${tool}: internal error: ${msg}. The request was not applied; nothing stored was changed.`;
}

export async function callTool(def: ToolDef, args: unknown, opts: ServerOptions, extra: Extra): Promise<CallToolResult> {
  if (!opts.tiers.has(def.tier)) return errorResult(tierRefusal(def));
  const token = extra._meta?.progressToken;
  const ctx: ToolContext = {
    app: opts.app,
    jobs: opts.jobs,
    signal: extra.signal,
    clientId: opts.clientId ?? extra.sessionId ?? 'local',
    tiers: opts.tiers,
    mode: opts.mode,
    transport: opts.transport,
    progress: async (p) => {
      if (token === undefined) return;
      try {
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, ...p } });
      } catch {
        // a client that went away must not fail the job
      }
    },
  };
  try {
    const out = await def.handler(args as never, ctx);
    const bytes = Buffer.byteLength(JSON.stringify(out.data));
    const max = opts.app.config.limits.max_result_bytes;
    if (bytes > max) {
      return errorResult(`${def.name}: the result would be ${bytes} bytes, above the limit of ${max}; ask for less (a smaller limit or page, fewer run ids)`);
    }
    return { content: [{ type: 'text', text: out.text }], structuredContent: out.data, ...(out.isError ? { isError: true } : {}) };
  } catch (e) {
    // an error's message may name a file (an internal error's errno text): no machine paths
    return errorResult(redactPaths(opts.app, toErrorText(def.name, e)));
  }
}

export function registerTool(server: McpServer, def: ToolDef, opts: ServerOptions): void {
  server.registerTool(
    def.name,
    { title: def.title, description: def.description, inputSchema: strictInputObject(def), annotations: annotationsFor(def) },
    (args: unknown, extra: unknown) => callTool(def, args, opts, extra as Extra),
  );
}

export function tierRefusal(def: ToolDef): string {
  const flag = def.tier === 'write' ? '--allow compute,write' : '--allow compute';
  return `${def.name} is a ${def.tier}-tier tool and the ${def.tier} tier is disabled on this server (read-only safe mode). Restart the server with ${flag} to enable it.`;
}

type Handler = (req: { params: { name: string; arguments?: unknown } }, extra: unknown) => Promise<unknown>;

/**
 * Wraps the SDK's tools/call handler. Tools of disabled tiers are not registered (so not
 * listed); a call to one anyway gets a clear refusal instead of "tool not found". Arguments
 * of the others are checked strictly first (src/server/tool-input.ts): the SDK would answer
 * a schema failure with its own generic text, and records would drop reserved keys silently.
 */
export function guardToolCalls(server: McpServer, defs: readonly ToolDef[], opts: ServerOptions): void {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const handlers = (server.server as unknown as { _requestHandlers: Map<string, Handler> })._requestHandlers;
  const original = handlers.get('tools/call');
  if (!original) return;
  handlers.set('tools/call', async (req, extra) => {
    const def = typeof req?.params?.name === 'string' ? byName.get(req.params.name) : undefined;
    if (!def) return original(req, extra);
    if (!opts.tiers.has(def.tier)) return errorResult(tierRefusal(def));
    const checked = checkToolArguments(def, req.params.arguments);
    if (!checked.ok) return errorResult(checked.text);
    return original({ ...req, params: { ...req.params, arguments: checked.args } }, extra);
  });
}
