/**
 * The MCP side of `POST /mcp` (src/server/http.ts): each request gets a fresh McpServer and a
 * stateless `StreamableHTTPServerTransport` in the default SSE response mode (so progress
 * notifications reach the client), closed when the response closes.
 *
 * Stateless servers share nothing per request, so `notifications/cancelled` (which arrives
 * in a POST of its own) is routed here to the request it names, by client id and request id.
 * A dropped connection is not a cancellation (MCP transports spec): the request's server is
 * kept until its handlers have answered (src/server/answer-watch.ts), so a job waiting in a
 * tool keeps running; after LINGER_MS it is closed anyway.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { AnswerWatch } from './answer-watch.js';
import { idKey, scanMessages, type Id } from './http-messages.js';

/**
 * How long a request's server may outlive a dropped connection while its handlers finish:
 * beyond the longest wait a tool accepts (wait_seconds ≤ 600), then it is closed anyway.
 */
const LINGER_MS = 660_000;

export class McpRequests {
  /** In-flight requests by client and request id → cancel (closes that request's server). */
  private readonly inflight = new Map<string, Set<() => void>>();
  /** Every open per-request server, for shutdown. */
  private readonly open = new Set<() => void>();

  constructor(private readonly note: (key: string, line: string) => void) {}

  /** Cancels the request `id` of `clientId`, when exactly one such request is in flight. */
  cancel(clientId: string, id: Id): boolean {
    const set = this.inflight.get(idKey(clientId, id));
    // Several clients behind one address may reuse an id; cancel only when unambiguous.
    if (!set || set.size !== 1) return false;
    for (const cancel of set) cancel();
    return true;
  }

  /** Closes every open request's server (shutdown). */
  closeAll(): void {
    for (const close of [...this.open]) close();
  }

  /** Serves one admitted POST body with the server `makeServer` builds. */
  async serve(req: IncomingMessage, res: ServerResponse, body: unknown, clientId: string, makeServer: () => McpServer): Promise<void> {
    const { requests, cancels } = scanMessages(body);
    for (const id of cancels) this.cancel(clientId, id);
    const server = makeServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    const tracked = this.track(
      requests.map((id) => idKey(clientId, id)),
      () => {
        transport.close().catch(() => undefined);
        server.close().catch(() => undefined);
      },
    );
    let responseClosed = false;
    const watch = new AnswerWatch(transport, requests, () => {
      if (responseClosed) tracked.close();
    });
    transport.onerror = (e) => this.note(`transport:${e.message}`, `transport error: ${e.message}`);
    res.on('close', () => {
      responseClosed = true;
      // answered, or refused by the transport (400/406/415: no handler runs) → close now
      if (watch.settled || res.statusCode !== 200) tracked.close();
      else tracked.linger(LINGER_MS);
    });
    await server.connect(watch);
    await transport.handleRequest(req, res, body);
  }

  /**
   * Registers a request's server under its request keys (for cancellation) and as open (for
   * shutdown). `close` (idempotent) unregisters it and runs `shut`; `linger` closes it after
   * `ms` unless closed before.
   */
  private track(keys: readonly string[], shut: () => void): { close(): void; linger(ms: number): void } {
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const close = (): void => {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      this.open.delete(close);
      for (const k of keys) {
        const set = this.inflight.get(k);
        set?.delete(close);
        if (set && set.size === 0) this.inflight.delete(k);
      }
      shut();
    };
    this.open.add(close);
    for (const k of keys) {
      const set = this.inflight.get(k);
      if (set) set.add(close);
      else this.inflight.set(k, new Set([close]));
    }
    return { close, linger: (ms) => void (timer = setTimeout(close, ms).unref()) };
  }
}
