/**
 * `tradelab serve`: MCP over stdio (default; all tiers, a local trusted process) or over
 * stateless Streamable HTTP (`--http`; read-only unless `--allow compute[,write]`).
 */
import { openApp, storeLocation, type App } from '../research/app.js';
import { closeShared } from '../research/remote/shared.js';
import { ensureDemoData } from '../research/datasets.js';
import { UserError } from '../research/errors.js';
import { JobRunner } from '../research/jobs.js';
import { startHttpServer } from '../server/http.js';
import { DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT, TOKEN_ENV, resolveHttpMode, type HttpMode } from '../server/modes.js';
import { serveStdio } from '../server/stdio.js';
import { countDatasets } from '../storage/datasets.js';
import { err, out, parse } from './args.js';
import { httpBanner } from './serve-banner.js';

export const SERVE_HELP = `tradelab serve [--stdio]
  Serves MCP over stdio (all tiers: a local, trusted process).

tradelab serve --http [--host ${DEFAULT_HTTP_HOST}] [--port ${DEFAULT_HTTP_PORT}] [--allow compute[,write]] [--token T]
                      [--allowed-hosts h1,h2] [--allowed-origins o1,o2]
                      [--auth oauth | --oauth-issuer URL] [--public-url https://host]
                      [--access-token-ttl 1h] [--refresh-token-ttl 30d]
  Serves stateless Streamable HTTP at POST /mcp.
  --allow           tiers beyond read: compute (backtest, optimize, ...) or compute,write (imports,
                    champion promotion, deletes). Default: read only (safe mode).
  --token           bearer token every request must send ("Authorization: Bearer <token>");
                    default $${TOKEN_ENV} (prefer it: a flag shows in the process list). Required
                    when the server is remote and compute/write is on.
  --host            address to bind (default ${DEFAULT_HTTP_HOST}). A non-loopback address makes the server remote.
  --port            port (default ${DEFAULT_HTTP_PORT}; 0 = any free port).
  --allowed-hosts   extra Host header names to accept (e.g. a tunnel or reverse-proxy name); any
                    non-loopback name makes the server remote. Loopback names are always accepted.
  --allowed-origins browser origins to accept (loopback origins on the same port are accepted).
  --auth oauth      OAuth 2.1 with the built-in authorization server (dynamic client registration,
                    PKCE, consent page for the owner, refresh-token rotation): what ChatGPT and
                    claude.ai connectors need. Needs $${TOKEN_ENV} (the owner's secret: approves
                    clients on the consent page, opens the dashboard, and still works as a bearer).
                    Scopes tradelab:read, tradelab:compute, tradelab:write; a request may use the
                    --allow tiers its token's scopes grant. Manage clients: tradelab clients.
  --oauth-issuer    accept JWT access tokens of an external authorization server (issuer URL;
                    keys from its metadata's jwks_uri), audience = <public url>/mcp.
  --public-url      with OAuth: the https origin clients reach (tunnel or proxy); tokens are bound
                    to <public-url>/mcp. Required when remote; its host is allowed like --allowed-hosts.
  --access-token-ttl, --refresh-token-ttl
                    lifetimes of the built-in server's tokens (default 1h and 30d; s, m, h, d).

Store: $TRADELAB_HOME (default ./.tradelab).`;

const HTTP_ONLY = ['host', 'port', 'allow', 'token', 'allowed-hosts', 'allowed-origins', 'auth', 'oauth-issuer', 'public-url', 'access-token-ttl', 'refresh-token-ttl'] as const;

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function openStore(): App {
  const app = openApp();
  const demo = ensureDemoData(app);
  if (demo) err(`tradelab: seeded demo dataset #${demo.id} ${demo.symbol} ${demo.timeframe} (${demo.rows} bars of SYNTHETIC data) into the empty store`);
  return app;
}

export async function serveCommand(argv: string[]): Promise<number> {
  const { values: v } = parse(
    argv,
    {
      stdio: { type: 'boolean' },
      http: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      allow: { type: 'string' },
      token: { type: 'string' },
      'allowed-hosts': { type: 'string' },
      'allowed-origins': { type: 'string' },
      auth: { type: 'string' },
      'oauth-issuer': { type: 'string' },
      'public-url': { type: 'string' },
      'access-token-ttl': { type: 'string' },
      'refresh-token-ttl': { type: 'string' },
    },
    'serve',
  );
  if (v.help) return (out(SERVE_HELP), 0);
  if (v.stdio && v.http) throw new UserError('choose one transport: --stdio or --http', { hint: 'run `tradelab serve --help`' });
  if (!v.http) {
    const stray = HTTP_ONLY.filter((k) => v[k] !== undefined);
    if (stray.length) throw new UserError(`--${stray[0]} only applies to the HTTP transport`, { field: `--${stray[0]}`, hint: 'add --http (stdio always serves all tiers to the local process)' });
    return serveStdioCommand();
  }
  // Validate everything before touching the store, so a refused start changes nothing.
  const mode = resolveHttpMode({
    host: str(v.host),
    port: str(v.port),
    allow: str(v.allow),
    token: str(v.token),
    envToken: process.env[TOKEN_ENV],
    allowedHosts: str(v['allowed-hosts']),
    allowedOrigins: str(v['allowed-origins']),
    auth: str(v.auth),
    oauthIssuer: str(v['oauth-issuer']),
    publicUrl: str(v['public-url']),
    accessTokenTtl: str(v['access-token-ttl']),
    refreshTokenTtl: str(v['refresh-token-ttl']),
  });
  return serveHttpCommand(mode);
}

async function serveStdioCommand(): Promise<number> {
  const app = openStore();
  const jobs = new JobRunner(app);
  err(`tradelab: serving MCP over stdio; all tiers (read, compute, write)`);
  err(`tradelab: store ${storeLocation(app)} (${countDatasets(app.db)} datasets)`);
  err('tradelab: connect a client with {"command": "npx", "args": ["tradelab", "serve"]} (see README: Claude Desktop, Claude Code, Cursor, Inspector)');
  await serveStdio(app, jobs);
  await closeShared(app); // the studies' pool of a PostgreSQL store, when one was opened
  app.db.close();
  return 0;
}

async function serveHttpCommand(mode: HttpMode): Promise<number> {
  const app = openStore();
  const jobs = new JobRunner(app);
  let handle;
  try {
    handle = await startHttpServer({ app, jobs, mode });
  } catch (e) {
    app.db.close();
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new UserError(`cannot listen on ${mode.bindHost}:${mode.port} (${code})`, { field: code === 'EADDRNOTAVAIL' ? '--host' : '--port', hint: code === 'EADDRINUSE' ? 'another process uses that port: pick another with --port (0 = any free port)' : 'pick another address or port' });
    }
    throw e;
  }
  for (const line of httpBanner(mode, handle, storeLocation(app), countDatasets(app.db))) err(line);
  err('tradelab: Ctrl-C stops the server.');

  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      err(`tradelab: ${signal}: shutting down`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve();
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  await handle.close();
  await jobs.close();
  await closeShared(app);
  app.db.close();
  return 0;
}
