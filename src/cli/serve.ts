/**
 * `tradelab serve`: MCP over stdio (default; all tiers, a local trusted process) or over
 * stateless Streamable HTTP (`--http`; read-only unless `--allow compute[,write]`).
 */
import { join } from 'node:path';
import { openApp, type App } from '../research/app.js';
import { ensureDemoData } from '../research/datasets.js';
import { UserError } from '../research/errors.js';
import { JobRunner } from '../research/jobs.js';
import { startHttpServer } from '../server/http.js';
import { DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT, TOKEN_ENV, resolveHttpMode, type HttpMode } from '../server/modes.js';
import { serveStdio } from '../server/stdio.js';
import { countDatasets } from '../storage/datasets.js';
import { TIERS } from '../tools/types.js';
import { err, out, parse } from './args.js';

export const SERVE_HELP = `tradelab serve [--stdio]
  Serves MCP over stdio (all tiers: a local, trusted process).

tradelab serve --http [--host ${DEFAULT_HTTP_HOST}] [--port ${DEFAULT_HTTP_PORT}] [--allow compute[,write]] [--token T]
                      [--allowed-hosts h1,h2] [--allowed-origins o1,o2]
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

Store: $TRADELAB_HOME (default ./.tradelab).`;

const HTTP_ONLY = ['host', 'port', 'allow', 'token', 'allowed-hosts', 'allowed-origins'] as const;

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
  });
  return serveHttpCommand(mode);
}

async function serveStdioCommand(): Promise<number> {
  const app = openStore();
  const jobs = new JobRunner(app);
  err(`tradelab: serving MCP over stdio; all tiers (read, compute, write)`);
  err(`tradelab: store ${join(app.home, 'tradelab.db')} (${countDatasets(app.db)} datasets)`);
  err('tradelab: connect a client with {"command": "npx", "args": ["tradelab", "serve"]} (see README: Claude Desktop, Claude Code, Cursor, Inspector)');
  await serveStdio(app, jobs);
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
  const on = TIERS.filter((t) => mode.tiers.has(t));
  const off = TIERS.filter((t) => !mode.tiers.has(t));
  err(`tradelab: serving MCP (stateless Streamable HTTP) at ${handle.url}`);
  err(`  Dashboard:    ${handle.url.replace(/\/mcp$/, '/')}${mode.token !== null ? '?token=$TRADELAB_TOKEN (once; then a cookie)' : ''} (read-only: runs, studies, champions, datasets, reports)`);
  err(`tradelab: ${mode.remote ? 'REMOTE' : 'local'} server, ${mode.token !== null ? 'bearer-token auth ON' : 'no auth'}; tiers: ${on.join(', ')}${off.length ? ` (off: ${off.join(', ')}; enable with --allow ${mode.tiers.has('compute') ? 'compute,write' : 'compute'})` : ''}`);
  if (mode.allowedHosts.length) err(`tradelab: extra allowed Host names: ${handle.transport.allowed_hosts.join(', ')}`);
  if (mode.allowedOrigins.length) err(`tradelab: allowed browser origins: ${mode.allowedOrigins.join(', ')}`);
  err(`tradelab: store ${join(app.home, 'tradelab.db')} (${countDatasets(app.db)} datasets)`);
  for (const w of mode.warnings) err(`tradelab: warning: ${w}`);
  const auth = mode.token !== null ? ' --header "Authorization: Bearer $TRADELAB_TOKEN"' : '';
  err('tradelab: connect:');
  err(`  Claude Code:  claude mcp add --transport http tradelab ${handle.url}${auth}`);
  err(`  Inspector:    npx -y -p node@22 -p @modelcontextprotocol/inspector@2.12.0 -- mcp-inspector --cli ${handle.url} --method tools/list${mode.token !== null ? ' --header "Authorization: Bearer $TRADELAB_TOKEN"' : ''}`);
  err(`  .mcp.json:    {"mcpServers": {"tradelab": {"type": "http", "url": "${handle.url}"${mode.token !== null ? ', "headers": {"Authorization": "Bearer ${TRADELAB_TOKEN}"}' : ''}}}}`);
  err('  ChatGPT / claude.ai connectors need a public HTTPS URL: put a tunnel or reverse proxy in front and pass its name with --allowed-hosts (README).');
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
  app.db.close();
  return 0;
}
