/**
 * The one place that reaches into the SDK's request-handler table: McpServer installs its own
 * tools/call and tools/list handlers and the SDK has no public way to wrap them, so the
 * guards (src/server/register.ts) and the compact listing (src/server/tool-list.ts) replace
 * each with a wrapper around the original. (Issue 14 asks for public APIs instead; when the
 * SDK offers one, only this file changes.)
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export type RequestHandler<Req = unknown> = (req: Req, extra: unknown) => Promise<unknown>;

/** Replaces `method`'s handler by `wrap(original)`; no-op when the server has none. */
export function wrapRequestHandler<Req>(server: McpServer, method: string, wrap: (original: RequestHandler<Req>) => RequestHandler<Req>): void {
  const handlers = (server.server as unknown as { _requestHandlers: Map<string, RequestHandler<Req>> })._requestHandlers;
  const original = handlers.get(method);
  if (original) handlers.set(method, wrap(original));
}
