/**
 * Small pieces of the HTTP transport (src/server/http.ts): a JSON-RPC error answer with an
 * HTTP status, and what a POST body asks for (its request ids, and the ids its
 * `notifications/cancelled` name), keyed per client for routing cancellations.
 */
import type { ServerResponse } from 'node:http';

export function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}, code = -32000): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

export type Id = string | number;
export const idKey = (clientId: string, id: Id): string => `${clientId}\n${typeof id}:${String(id)}`;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Request ids of the JSON-RPC requests in a POST body, and the ids its cancellations name. */
export function scanMessages(body: unknown): { requests: Id[]; cancels: Id[] } {
  const msgs = Array.isArray(body) ? body : [body];
  const requests: Id[] = [];
  const cancels: Id[] = [];
  for (const m of msgs) {
    if (!isObject(m) || typeof m.method !== 'string') continue;
    if ((typeof m.id === 'string' || typeof m.id === 'number') && !('result' in m) && !('error' in m)) requests.push(m.id);
    if (m.method === 'notifications/cancelled' && isObject(m.params)) {
      const r = m.params.requestId;
      if (typeof r === 'string' || typeof r === 'number') cancels.push(r);
    }
  }
  return { requests, cancels };
}
