/**
 * Streamable HTTP transport, stateless: every `POST /mcp` gets a fresh McpServer and a
 * `StreamableHTTPServerTransport({ sessionIdGenerator: undefined })` in the default SSE
 * response mode (so progress notifications reach the client), closed when the response
 * closes. Before the MCP layer sees a request it passes, in order: headers within
 * `limits.header_timeout_seconds` (408, by node:http), Host (403), Origin (403; not for the
 * public OAuth endpoints), path (the OAuth endpoints go to src/server/auth/; any other path
 * is the read-only dashboard, src/server/dashboard.ts, behind the same token), method (405),
 * authentication (401: the bearer token, or an OAuth access token, src/server/auth/guard.ts),
 * the body read within `limits.body_timeout_seconds` (408) and
 * within its size (413) and the server's body budget (503), JSON (400), OAuth scopes of the tools
 * called (403), batch size (413), and only then admission (429/503; each batch entry counts as one request). A client sending slowly
 * never holds an admission slot, so it cannot crowd out others behind the same address.
 *
 * Stateless servers share nothing per request, so `notifications/cancelled` (which arrives
 * in a POST of its own) is routed here to the request it names, by client id and request id.
 * A dropped connection is not a cancellation (MCP transports spec): the request's server is
 * kept until its handlers finish, so a job waiting in a tool keeps running.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { App } from '../research/app.js';
import type { JobRunner } from '../research/jobs.js';
import type { TransportInfo } from '../tools/types.js';
import { createServer, type ServerOptions } from './create-server.js';
import { serveDashboard } from './dashboard.js';
import { isLoopbackName, isWildcardAddress, type HttpMode } from './modes.js';
import { ByteBudget, readBody } from './request-body.js';
import { RequestGate } from './request-gate.js';
import { createHttpAuth, type HttpAuth } from './auth/http-auth.js';
import { idKey, reply, scanMessages, type Id } from './http-messages.js';
import { hostAllowed, originAllowed } from './security.js';
import type { Tier } from '../tools/types.js';

export const MCP_PATH = '/mcp';
/**
 * How long a request's server may outlive a dropped connection while its handlers finish:
 * beyond the longest wait a tool accepts (wait_seconds ≤ 600), then it is closed anyway.
 */
const LINGER_MS = 660_000;

export interface HttpServerOptions {
  readonly app: App;
  readonly jobs: JobRunner;
  readonly mode: HttpMode;
  /** The per-request MCP server factory (default: createServer); tests may add tools. */
  readonly makeServer?: (opts: ServerOptions) => McpServer;
  /** Log sink (default: stderr). */
  readonly log?: (line: string) => void;
}

export interface HttpHandle {
  readonly url: string;
  readonly port: number;
  readonly http: Server;
  readonly gate: RequestGate;
  /** Bytes of request bodies held now (being received, waiting or running). */
  readonly bodies: ByteBudget;
  readonly transport: TransportInfo;
  close(): Promise<void>;
}

const CORS_ALLOW_HEADERS = 'Authorization, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID';
const CORS_EXPOSE_HEADERS = 'Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate, Retry-After';

function urlHost(host: string): string {
  const h = isWildcardAddress(host) ? '127.0.0.1' : host;
  return h.includes(':') ? `[${h}]` : h;
}

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpHandle> {
  const { app, jobs, mode } = opts;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const makeServer = opts.makeServer ?? createServer;
  const limits = app.config.limits;
  const gate = new RequestGate({ maxActive: limits.max_concurrent_requests, maxQueued: limits.max_queued_requests, maxPerClient: limits.max_requests_per_client });
  const budget = new ByteBudget(Math.max(limits.max_buffered_body_bytes, limits.max_body_bytes));
  const headerMs = limits.header_timeout_seconds * 1000;
  const bodyMs = limits.body_timeout_seconds * 1000;
  /** Built once the port is known (OAuth's resource URL names it). */
  let auth: HttpAuth | null = null;
  /** In-flight requests by client and request id → cancel (closes that request's server). */
  const inflight = new Map<string, Set<() => void>>();
  /** Every open per-request server, for shutdown. */
  const open = new Set<() => void>();
  const lastLog = new Map<string, number>();
  let port = mode.port;
  let info: TransportInfo | null = null;

  const note = (key: string, line: string): void => {
    const t = Date.now();
    if ((lastLog.get(key) ?? 0) + 10_000 > t) return;
    if (lastLog.size >= 1_000) lastLog.clear(); // keys carry client-chosen text: keep the map bounded
    lastLog.set(key, t);
    log(`tradelab http: ${line}`);
  };

  function cancelRequest(clientId: string, id: Id): boolean {
    const set = inflight.get(idKey(clientId, id));
    // Several clients behind one address may reuse an id; cancel only when unambiguous.
    if (!set || set.size !== 1) return false;
    for (const cancel of set) cancel();
    return true;
  }

  async function serveMcp(req: IncomingMessage, res: ServerResponse, body: unknown, clientId: string, tiers: ReadonlySet<Tier>): Promise<void> {
    const { requests, cancels } = scanMessages(body);
    for (const id of cancels) cancelRequest(clientId, id);
    const server = makeServer({ app, jobs, tiers, mode: 'http', clientId, transport: info ?? undefined });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    const pending = new Set<Id>(requests);
    let responseClosed = false;
    let closed = false;
    let linger: NodeJS.Timeout | undefined;
    const keys = requests.map((id) => idKey(clientId, id));
    const closeAll = (): void => {
      if (closed) return;
      closed = true;
      if (linger) clearTimeout(linger);
      open.delete(closeAll);
      for (const k of keys) {
        const set = inflight.get(k);
        set?.delete(closeAll);
        if (set && set.size === 0) inflight.delete(k);
      }
      transport.close().catch(() => undefined);
      server.close().catch(() => undefined);
    };
    open.add(closeAll);
    for (const k of keys) {
      const set = inflight.get(k);
      if (set) set.add(closeAll);
      else inflight.set(k, new Set([closeAll]));
    }
    // Track answered requests so a dropped connection does not abort handlers still running.
    const send = transport.send.bind(transport);
    transport.send = async (msg: JSONRPCMessage, o?: Parameters<typeof send>[1]) => {
      const m = msg as { id?: Id; result?: unknown; error?: unknown };
      const isResponse = m.id !== undefined && ('result' in m || 'error' in m);
      try {
        await send(msg, o);
      } finally {
        if (isResponse) {
          pending.delete(m.id as Id);
          if (responseClosed && pending.size === 0) closeAll();
        }
      }
    };
    transport.onerror = (e) => note(`transport:${e.message}`, `transport error: ${e.message}`);
    res.on('close', () => {
      responseClosed = true;
      // answered, or refused by the transport (400/406/415: no handler runs) → close now
      if (pending.size === 0 || res.statusCode !== 200) closeAll();
      else linger = setTimeout(closeAll, LINGER_MS).unref();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!auth) return reply(res, 503, 'Service unavailable: starting', { 'Retry-After': '1' });
    const host = req.headers.host;
    if (!hostAllowed(host, { bindHost: mode.bindHost, allowedHosts: mode.allowedHosts })) {
      note(`host:${host}`, `403 for Host ${JSON.stringify(host ?? null)}`);
      return reply(res, 403, `Forbidden: Host ${JSON.stringify(host ?? null)} is not allowed (DNS-rebinding protection); the server operator can add it with --allowed-hosts`);
    }
    const origin = req.headers.origin;
    const path = (req.url ?? '/').split('?')[0];
    if (!auth.originExempt(path) && !originAllowed(origin, { port, allowedOrigins: mode.allowedOrigins, loopbackBound: isLoopbackName(mode.bindHost) })) {
      note(`origin:${origin}`, `403 for Origin ${JSON.stringify(origin)}`);
      return reply(res, 403, `Forbidden: Origin ${JSON.stringify(origin)} is not allowed; the server operator can add it with --allowed-origins`);
    }
    if (auth.ownsPath(path)) return auth.serveEndpoint(req, res);
    if (path !== MCP_PATH) {
      if (mode.oauth !== null && mode.token === null) return reply(res, 403, 'Forbidden: the dashboard needs the owner token; start the server with $TRADELAB_TOKEN to open it');
      return serveDashboard(opts.app, mode.token, req, res);
    }
    if (origin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { Allow: 'POST', 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS, 'Access-Control-Max-Age': '600' });
      res.end();
      return;
    }
    if (req.method !== 'POST') {
      return reply(res, 405, `Method not allowed: ${req.method} ${MCP_PATH}. This server is stateless Streamable HTTP: send JSON-RPC with POST (no SSE stream on GET, no sessions to DELETE)`, { Allow: 'POST' });
    }
    const who = await auth.admit(req);
    if (!who.ok) {
      note(`auth:${req.socket.remoteAddress}`, `${who.status} from ${req.socket.remoteAddress}: ${who.message}`);
      return reply(res, who.status, who.message, who.headers);
    }
    const max = limits.max_body_bytes;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      req.resume(); // discard the body so the client reads the answer instead of a reset
      return reply(res, 413, `Payload too large: ${declared} bytes, above the limit of ${max} (config limits.max_body_bytes)`);
    }
    const clientId = who.clientId;
    // The whole body first: a request takes an admission slot only once it is complete.
    const read = await readBody(req, { maxBytes: max, deadlineMs: bodyMs, budget });
    if (!read.ok) {
      if (read.reason === 'closed') return; // the client went away
      if (read.reason === 'too-large') return reply(res, 413, `Payload too large: the body exceeds the limit of ${max} bytes (config limits.max_body_bytes)`);
      if (read.reason === 'timeout') {
        note(`timeout:${clientId}`, `408 for ${clientId}: body incomplete after ${limits.body_timeout_seconds} s (${read.bytes} bytes)`);
        return reply(res, 408, `Request timeout: the body was not complete ${limits.body_timeout_seconds} s after the headers (${read.bytes} bytes arrived; config limits.body_timeout_seconds); the connection is closed`, { Connection: 'close' });
      }
      note(`budget:${clientId}`, `503 for ${clientId}: request bodies held reached ${budget.max} bytes`);
      return reply(res, 503, `Service unavailable: the server holds as many request-body bytes as it may (${budget.max}, config limits.max_buffered_body_bytes); retry shortly`, { 'Retry-After': '1' });
    }
    res.once('close', () => budget.give(read.charged));
    let body: unknown;
    try {
      body = JSON.parse(read.body.toString('utf8'));
    } catch {
      return reply(res, 400, 'Parse error: the body is not valid JSON', {}, -32700);
    }
    const refused = auth.refuseScope(body, who.tiers);
    if (refused) {
      note(`scope:${clientId}`, `${refused.status} for ${clientId}: ${refused.message}`);
      return reply(res, refused.status, refused.message, refused.headers);
    }
    const weight = Array.isArray(body) ? Math.max(1, body.length) : 1;
    if (weight > gate.maxWeight()) {
      return reply(res, 413, `Batch too large: ${weight} messages in one request; each batch entry counts as one request, and one request may carry at most ${gate.maxWeight()} (config limits.max_requests_per_client and limits.max_concurrent_requests). Send fewer per batch`, {}, -32600);
    }
    const admission = gate.admit(clientId, weight);
    if (!admission.ok) {
      note(`gate:${admission.status}:${clientId}`, `${admission.status} for ${clientId}: ${admission.message}`);
      return reply(res, admission.status, `${admission.status === 429 ? 'Too many requests' : 'Service unavailable'}: ${admission.message}`, { 'Retry-After': '1' });
    }
    // The request stream has ended, so a client going away shows on the response.
    const onEarlyClose = (): void => admission.abandon?.();
    res.once('close', onEarlyClose);
    const release = await admission.ticket;
    res.off('close', onEarlyClose);
    if (res.destroyed || res.writableEnded || req.socket.destroyed) return release();
    res.once('close', release);
    await serveMcp(req, res, body, clientId, who.tiers);
  }

  // node:http answers 408 and closes a connection whose headers are late (slowloris) and,
  // as a backstop to the body deadline above, one whose whole request is late; both are
  // checked every connectionsCheckingInterval. A complete request is no longer timed.
  const serverOptions = { headersTimeout: headerMs, requestTimeout: headerMs + bodyMs + 1_000, connectionsCheckingInterval: Math.min(1_000, Math.max(100, headerMs / 4)) };
  const http = createHttpServer(serverOptions, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`tradelab http: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      reply(res, 500, 'Internal error: the request failed; nothing stored was changed', {}, -32603);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(mode.port, mode.bindHost, () => {
      http.off('error', reject);
      resolve();
    });
  });
  port = (http.address() as AddressInfo).port;
  const url = `http://${urlHost(mode.bindHost)}:${port}${MCP_PATH}`;
  auth = createHttpAuth(mode, app, new URL(url).origin, MCP_PATH);
  info = {
    url,
    remote: mode.remote,
    auth: auth.kind,
    ...(auth.oauth ? { oauth: auth.oauth } : {}),
    allowed_hosts: mode.allowedHosts.map((h) => (h.port === null ? h.hostname : `${h.hostname}:${h.port}`)),
    allowed_origins: [...mode.allowedOrigins],
  };
  const transportInfo = info;

  return {
    url,
    port,
    http,
    gate,
    bodies: budget,
    transport: transportInfo,
    close: async () => {
      const closing = new Promise<void>((resolve) => http.close(() => resolve()));
      for (const c of [...open]) c();
      http.closeAllConnections();
      await closing;
    },
  };
}
