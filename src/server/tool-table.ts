/**
 * The tools of one McpServer, answered by our own tools/list and tools/call handlers. They
 * are set with the SDK's public low-level API: `McpServer.server` is the underlying Server,
 * which the SDK offers for custom request handlers, and `Server.setRequestHandler` installs
 * one. McpServer's own registerTool is not used for tools: its tools/list converts the
 * schemas itself (twice as long as ours, src/server/tool-list.ts) and its tools/call parses
 * the arguments with the SDK's generic error text before a tool's callback could give ours
 * (src/server/tool-input.ts). With nothing registered through it, McpServer never installs
 * tool handlers of its own, so nothing here replaces or wraps a library's handler.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ListToolsRequestSchema, type CallToolResult, type ServerNotification, type ServerRequest, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ToolEntry {
  /** What tools/list shows of the tool, or null for a tool that is not offered (only refused). */
  listing(): Tool | null;
  /** Answers a call with the arguments as the client sent them. */
  call(args: unknown, extra: ToolExtra): Promise<CallToolResult>;
}

/**
 * tools/call with the arguments exactly as the client sent them. The SDK's
 * CallToolRequestSchema parses `arguments` as a record, which drops a top-level `__proto__`
 * key silently; the strict check refuses it by name (src/server/tool-input.ts). The Server
 * still validates every tools/call request and result against the SDK's schemas.
 */
const CallToolAsSent = z.object({
  method: z.literal('tools/call'),
  params: z.looseObject({ name: z.string(), arguments: z.unknown().optional() }),
});

const tables = new WeakMap<McpServer, Map<string, ToolEntry>>();

/** Adds (or replaces) the tool `name`; the first tool of a server installs the two handlers. */
export function addTool(server: McpServer, name: string, entry: ToolEntry): void {
  let table = tables.get(server);
  if (!table) {
    table = new Map();
    tables.set(server, table);
    installHandlers(server, table);
  }
  table.set(name, entry);
}

function installHandlers(server: McpServer, table: ReadonlyMap<string, ToolEntry>): void {
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [...table.values()].map((e) => e.listing()).filter((t): t is Tool => t !== null),
  }));
  server.server.setRequestHandler(CallToolAsSent, async (req, extra) => {
    const entry = table.get(req.params.name);
    // as McpServer answered: an isError result, so a model can read it and correct the name
    if (!entry) return { content: [{ type: 'text', text: `Tool ${req.params.name} not found` }], isError: true };
    return entry.call(req.params.arguments, extra);
  });
}
