/**
 * Registering one tool on an McpServer (src/server/tool-table.ts answers tools/list and
 * tools/call): its listing (src/server/tool-list.ts), and a call that passes, in order, the
 * tier check (a tool of a disabled tier is not listed, and a call to it anyway gets a clear
 * refusal instead of "not found"), the strict argument check (src/server/tool-input.ts), the
 * request's signal and progress token passed into a ToolContext, thrown errors mapped to
 * `isError` results (src/server/tool-errors.ts; they carry no structuredContent, and with an
 * output schema declared the SDK's Client skips validating those), the result-size limit,
 * the output-schema check, and the text block (the tool's lines + compact JSON,
 * src/tools/result-text.ts). Every compute and write call is recorded in the audit log with
 * the caller's client id (src/storage/audit.ts).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { resultText } from '../tools/result-text.js';
import { recordAudit } from '../storage/audit.js';
import type { ToolContext, ToolDef } from '../tools/types.js';
import type { ServerOptions } from './create-server.js';
import { errorResult, toolErrorResult } from './tool-errors.js';
import { checkToolArguments } from './tool-input.js';
import { listedTool } from './tool-list.js';
import { addTool } from './tool-table.js';

interface Extra {
  readonly signal: AbortSignal;
  readonly _meta?: { progressToken?: string | number };
  readonly sendNotification: (n: { method: 'notifications/progress'; params: { progressToken: string | number; progress: number; total?: number; message?: string } }) => Promise<void>;
  readonly sessionId?: string;
}

/** A call with the arguments as the client sent them. */
export async function callTool(def: ToolDef, args: unknown, opts: ServerOptions, extra: Extra): Promise<CallToolResult> {
  if (!opts.tiers.has(def.tier)) return errorResult(tierRefusal(def));
  const checked = checkToolArguments(def, args);
  if (!checked.ok) return errorResult(checked.text);
  const clientId = opts.clientId ?? extra.sessionId ?? 'local';
  const result = await runTool(def, checked.args, opts, extra, clientId);
  if (def.tier !== 'read') auditCall(opts, def, clientId, result);
  return result;
}

/** The audit log's row for a compute or write call; a failure to write it never fails the call. */
function auditCall(opts: ServerOptions, def: ToolDef, clientId: string, result: CallToolResult): void {
  const runId = (result.structuredContent as { run_id?: unknown } | undefined)?.run_id;
  try {
    recordAudit(opts.app.db, { at: opts.app.now(), client_id: clientId, tool: def.name, tier: def.tier as 'compute' | 'write', run_id: typeof runId === 'string' ? runId : null, ok: result.isError ? 0 : 1 });
  } catch (e) {
    process.stderr.write(`tradelab: could not write the audit log entry for ${def.name}: ${(e as Error).message}\n`);
  }
}

async function runTool(def: ToolDef, args: unknown, opts: ServerOptions, extra: Extra, clientId: string): Promise<CallToolResult> {
  const token = extra._meta?.progressToken;
  const ctx: ToolContext = {
    app: opts.app,
    jobs: opts.jobs,
    signal: extra.signal,
    clientId,
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
    const json = JSON.stringify(out.data);
    const bytes = Buffer.byteLength(json);
    const max = opts.app.config.limits.max_result_bytes;
    if (bytes > max) {
      return errorResult(`${def.name}: the result would be ${bytes} bytes, above the limit of ${max}; ask for less (a smaller limit or page, fewer run ids)`);
    }
    // exactly what a client receives over the wire (NaN and ±Infinity become null, undefined keys vanish)
    const data = JSON.parse(json) as Record<string, unknown>;
    const text = resultText(out.text, data);
    // a failed job is an isError result that keeps its run id and summary (clients do not validate those)
    if (out.isError) return { content: [{ type: 'text', text }], structuredContent: data, isError: true };
    const mismatch = outputMismatch(def, data);
    if (mismatch !== null) {
      process.stderr.write(`tradelab: ${def.name} result does not match its output schema: ${mismatch}\n`);
      return errorResult(`${def.name}: internal error: the result does not match the tool's output schema (${mismatch}), so it is sent as text only. The work itself was done:\n${text}`);
    }
    const images = (out.images ?? []).map((im) => ({ type: 'image' as const, data: im.data, mimeType: im.mimeType }));
    return { content: [{ type: 'text', text }, ...images], structuredContent: data };
  } catch (e) {
    return toolErrorResult(opts.app, def.name, e);
  }
}

/**
 * Why `data` does not fit the tool's output schema, or null. Checked before sending: a
 * client that validates (the SDK's Client.callTool does) would throw a non-conforming
 * result away.
 */
export function outputMismatch(def: ToolDef, data: unknown): string | null {
  const r = def.outputSchema.safeParse(data);
  if (r.success) return null;
  return r.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(top level)'}: ${i.message}`)
    .join('; ');
}

/**
 * Adds `def` to the server's tools: listed when its tier is enabled, refused with
 * tierRefusal otherwise.
 */
export function registerTool(server: McpServer, def: ToolDef, opts: ServerOptions): void {
  const offered = opts.tiers.has(def.tier);
  addTool(server, def.name, {
    listing: () => (offered ? listedTool(def) : null),
    call: (args, extra) => callTool(def, args, opts, extra),
  });
}

export function tierRefusal(def: ToolDef): string {
  const flag = def.tier === 'write' ? '--allow compute,write' : '--allow compute';
  return `${def.name} is a ${def.tier}-tier tool and the ${def.tier} tier is disabled on this server (read-only safe mode). Restart the server with ${flag} to enable it.`;
}
