/**
 * Streamable HTTP transport, stateless: every `POST /mcp` gets a fresh McpServer
 * (src/server/http-mcp.ts: per-request servers, cancellation routing, dropped connections).
 * Before the MCP layer sees a request it passes, in order: headers within
 * `limits.header_timeout_seconds` (408, by node:http), Host (403), Origin (403; not for the
 * public OAuth endpoints), path (the OAuth endpoints go to src/server/auth/; any other path
 * is the read-only dashboard, src/server/dashboard.ts, behind the same token), method (405),
 * authentication (401: the bearer token, or an OAuth access token, src/server/auth/guard.ts),
 * the body read within `limits.body_timeout_seconds` (408) and
 * within its size (413) and the server's body budget (503), JSON (400), OAuth scopes of the tools
 * called (403), batch size (413), and only then admission (429/503; each batch entry counts as one request). A client sending slowly
 * never holds an admission slot, so it cannot crowd out others behind the same address.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { App } from '../research/app.js';
import type { JobRunner } from '../research/jobs.js';
import type { TransportInfo } from '../tools/types.js';
import { createServer, type ServerOptions } from './create-server.js';
import { serveDashboard } from './dashboard.js';
import { isLoopbackName, isWildcardAddress, type HttpMode } from './modes.js';
import { ByteBudget, readBody } from './request-body.js';
import { RequestGate } from './request-gate.js';
import { createHttpAuth, type HttpAuth } from './auth/http-auth.js';
import { reply } from './http-messages.js';
import { McpRequests } from './http-mcp.js';
import { hostAllowed, originAllowed } from './security.js';

export const MCP_PATH = '/mcp';

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


/** What every step of a request needs: the server's options, limits, gate, body budget and log. */
interface Ctx {
  readonly opts: HttpServerOptions;
  readonly limits: App['config']['limits'];
  readonly gate: RequestGate;
  readonly budget: ByteBudget;
  readonly requests: McpRequests;
  /** Logs `line`, at most once per 10 s per `key`. */
  readonly note: (key: string, line: string) => void;
  /** Set once the server listens (the OAuth resource URL and server_info name the port). */
  listening: { readonly port: number; readonly auth: HttpAuth; readonly info: TransportInfo } | null;
}

type Admitted = Extract<Awaited<ReturnType<HttpAuth['admit']>>, { ok: true }>;

/** The request pipeline, step by step; each step answers the refusals it finds. */
async function handle(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const up = ctx.listening;
  if (!up) return reply(res, 503, 'Service unavailable: starting', { 'Retry-After': '1' });
  const path = checkHostAndOrigin(ctx, up.port, up.auth, req, res);
  if (path === null) return;
  if (up.auth.ownsPath(path)) return up.auth.serveEndpoint(req, res);
  if (path !== MCP_PATH) return openDashboard(ctx, req, res);
  if (!acceptMethod(req, res)) return;
  const who = await up.auth.admit(req);
  if (!who.ok) {
    ctx.note(`auth:${req.socket.remoteAddress}`, `${who.status} from ${req.socket.remoteAddress}: ${who.message}`);
    return reply(res, who.status, who.message, who.headers);
  }
  const body = await readJson(ctx, req, res, who.clientId);
  if (body === NO_BODY) return;
  const release = await admit(ctx, up.auth, req, res, body, who);
  if (!release) return;
  res.once('close', release);
  const serverOptions: ServerOptions = { app: ctx.opts.app, jobs: ctx.opts.jobs, tiers: who.tiers, mode: 'http', clientId: who.clientId, transport: up.info };
  await ctx.requests.serve(req, res, body, who.clientId, () => (ctx.opts.makeServer ?? createServer)(serverOptions));
}

/** Host, then Origin (DNS rebinding, cross-site calls): the request's path, or null when refused. */
function checkHostAndOrigin(ctx: Ctx, port: number, auth: HttpAuth, req: IncomingMessage, res: ServerResponse): string | null {
  const { mode } = ctx.opts;
  const host = req.headers.host;
  if (!hostAllowed(host, { bindHost: mode.bindHost, allowedHosts: mode.allowedHosts })) {
    ctx.note(`host:${host}`, `403 for Host ${JSON.stringify(host ?? null)}`);
    reply(res, 403, `Forbidden: Host ${JSON.stringify(host ?? null)} is not allowed (DNS-rebinding protection); the server operator can add it with --allowed-hosts`);
    return null;
  }
  const origin = req.headers.origin;
  const path = (req.url ?? '/').split('?')[0];
  if (!auth.originExempt(path) && !originAllowed(origin, { port, allowedOrigins: mode.allowedOrigins, loopbackBound: isLoopbackName(mode.bindHost) })) {
    ctx.note(`origin:${origin}`, `403 for Origin ${JSON.stringify(origin)}`);
    reply(res, 403, `Forbidden: Origin ${JSON.stringify(origin)} is not allowed; the server operator can add it with --allowed-origins`);
    return null;
  }
  return path;
}

/** Any path but /mcp and the OAuth endpoints: the read-only dashboard, behind the owner token. */
function openDashboard(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<void> | void {
  const { mode } = ctx.opts;
  if (mode.oauth !== null && mode.token === null) return reply(res, 403, 'Forbidden: the dashboard needs the owner token; start the server with $TRADELAB_TOKEN to open it');
  return serveDashboard(ctx.opts.app, mode.token, req, res);
}

/** CORS headers for a browser origin; answers a preflight (OPTIONS) and refuses any method but POST. True for a POST. */
function acceptMethod(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { Allow: 'POST', 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS, 'Access-Control-Max-Age': '600' });
    res.end();
    return false;
  }
  if (req.method !== 'POST') {
    reply(res, 405, `Method not allowed: ${req.method} ${MCP_PATH}. This server is stateless Streamable HTTP: send JSON-RPC with POST (no SSE stream on GET, no sessions to DELETE)`, { Allow: 'POST' });
    return false;
  }
  return true;
}

/** Marks a request already answered (refused) while reading its body. */
const NO_BODY = Symbol('no body');

/**
 * The whole body first, parsed as JSON: a request takes an admission slot only once it is
 * complete. Its bytes count in the body budget until the response closes.
 */
async function readJson(ctx: Ctx, req: IncomingMessage, res: ServerResponse, clientId: string): Promise<unknown> {
  const { limits, budget } = ctx;
  const max = limits.max_body_bytes;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume(); // discard the body so the client reads the answer instead of a reset
    reply(res, 413, `Payload too large: ${declared} bytes, above the limit of ${max} (config limits.max_body_bytes)`);
    return NO_BODY;
  }
  const read = await readBody(req, { maxBytes: max, deadlineMs: limits.body_timeout_seconds * 1000, budget });
  if (!read.ok) {
    if (read.reason === 'closed') return NO_BODY; // the client went away
    if (read.reason === 'too-large') reply(res, 413, `Payload too large: the body exceeds the limit of ${max} bytes (config limits.max_body_bytes)`);
    else if (read.reason === 'timeout') {
      ctx.note(`timeout:${clientId}`, `408 for ${clientId}: body incomplete after ${limits.body_timeout_seconds} s (${read.bytes} bytes)`);
      reply(res, 408, `Request timeout: the body was not complete ${limits.body_timeout_seconds} s after the headers (${read.bytes} bytes arrived; config limits.body_timeout_seconds); the connection is closed`, { Connection: 'close' });
    } else {
      ctx.note(`budget:${clientId}`, `503 for ${clientId}: request bodies held reached ${budget.max} bytes`);
      reply(res, 503, `Service unavailable: the server holds as many request-body bytes as it may (${budget.max}, config limits.max_buffered_body_bytes); retry shortly`, { 'Retry-After': '1' });
    }
    return NO_BODY;
  }
  res.once('close', () => budget.give(read.charged));
  try {
    return JSON.parse(read.body.toString('utf8'));
  } catch {
    reply(res, 400, 'Parse error: the body is not valid JSON', {}, -32700);
    return NO_BODY;
  }
}

/**
 * OAuth scopes of the tools called, batch size, then admission (each batch entry counts as
 * one request): the slot's release once admitted and the client still there, else null.
 */
async function admit(ctx: Ctx, auth: HttpAuth, req: IncomingMessage, res: ServerResponse, body: unknown, who: Admitted): Promise<(() => void) | null> {
  const { gate } = ctx;
  const clientId = who.clientId;
  const refused = auth.refuseScope(body, who.tiers);
  if (refused) {
    ctx.note(`scope:${clientId}`, `${refused.status} for ${clientId}: ${refused.message}`);
    reply(res, refused.status, refused.message, refused.headers);
    return null;
  }
  const weight = Array.isArray(body) ? Math.max(1, body.length) : 1;
  if (weight > gate.maxWeight()) {
    reply(res, 413, `Batch too large: ${weight} messages in one request; each batch entry counts as one request, and one request may carry at most ${gate.maxWeight()} (config limits.max_requests_per_client and limits.max_concurrent_requests). Send fewer per batch`, {}, -32600);
    return null;
  }
  const admission = gate.admit(clientId, weight);
  if (!admission.ok) {
    ctx.note(`gate:${admission.status}:${clientId}`, `${admission.status} for ${clientId}: ${admission.message}`);
    reply(res, admission.status, `${admission.status === 429 ? 'Too many requests' : 'Service unavailable'}: ${admission.message}`, { 'Retry-After': '1' });
    return null;
  }
  // The request stream has ended, so a client going away shows on the response.
  const onEarlyClose = (): void => admission.abandon?.();
  res.once('close', onEarlyClose);
  const release = await admission.ticket;
  res.off('close', onEarlyClose);
  if (res.destroyed || res.writableEnded || req.socket.destroyed) {
    release();
    return null;
  }
  return release;
}

/** Logs a line at most once per 10 s per key (keys carry client-chosen text: the map stays bounded). */
function rateLimitedLog(log: (line: string) => void): (key: string, line: string) => void {
  const lastLog = new Map<string, number>();
  return (key, line) => {
    const t = Date.now();
    if ((lastLog.get(key) ?? 0) + 10_000 > t) return;
    if (lastLog.size >= 1_000) lastLog.clear();
    lastLog.set(key, t);
    log(`tradelab http: ${line}`);
  };
}

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpHandle> {
  const { app, mode } = opts;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const limits = app.config.limits;
  const note = rateLimitedLog(log);
  const ctx: Ctx = {
    opts,
    limits,
    gate: new RequestGate({ maxActive: limits.max_concurrent_requests, maxQueued: limits.max_queued_requests, maxPerClient: limits.max_requests_per_client }),
    budget: new ByteBudget(Math.max(limits.max_buffered_body_bytes, limits.max_body_bytes)),
    requests: new McpRequests(note),
    note,
    listening: null,
  };
  const http = createHttpServer(nodeServerOptions(limits), (req, res) => {
    handle(ctx, req, res).catch((e: unknown) => {
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
  const port = (http.address() as AddressInfo).port;
  const url = `http://${urlHost(mode.bindHost)}:${port}${MCP_PATH}`;
  const auth = createHttpAuth(mode, app, new URL(url).origin, MCP_PATH);
  const info: TransportInfo = {
    url,
    remote: mode.remote,
    auth: auth.kind,
    ...(auth.oauth ? { oauth: auth.oauth } : {}),
    allowed_hosts: mode.allowedHosts.map((h) => (h.port === null ? h.hostname : `${h.hostname}:${h.port}`)),
    allowed_origins: [...mode.allowedOrigins],
  };
  ctx.listening = { port, auth, info };
  return {
    url,
    port,
    http,
    gate: ctx.gate,
    bodies: ctx.budget,
    transport: info,
    close: async () => {
      const closing = new Promise<void>((resolve) => http.close(() => resolve()));
      ctx.requests.closeAll();
      http.closeAllConnections();
      await closing;
    },
  };
}

/**
 * node:http answers 408 and closes a connection whose headers are late (slowloris) and, as a
 * backstop to the body deadline (readJson), one whose whole request is late; both are checked
 * every connectionsCheckingInterval. A complete request is no longer timed.
 */
function nodeServerOptions(limits: Ctx['limits']): { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number } {
  const headerMs = limits.header_timeout_seconds * 1000;
  const bodyMs = limits.body_timeout_seconds * 1000;
  return { headersTimeout: headerMs, requestTimeout: headerMs + bodyMs + 1_000, connectionsCheckingInterval: Math.min(1_000, Math.max(100, headerMs / 4)) };
}
