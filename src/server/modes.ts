/**
 * HTTP serving mode: which tiers are on, whether the server is *remote*, and whether it needs
 * a bearer token (DESIGN.md §6, MCP.md "Auth"). Everything is decided once, at start-up, from
 * the command-line flags; a combination that would expose compute or write tools to the
 * network without a token is refused before anything listens.
 *
 * Decisions:
 * - `--allow` takes read, compute, write (comma-separated). read is always on. Tiers are
 *   cumulative, so `write` without `compute` is rejected with a hint (`--allow compute,write`).
 * - Loopback Host names (localhost, 127.0.0.0/8, ::1) are always accepted; a DNS-rebinding
 *   attacker cannot make a browser send them. A specific (non-wildcard) bind address is
 *   accepted too. Anything else must be listed in `--allowed-hosts`.
 * - Remote = a non-loopback bind address, or any non-loopback name in `--allowed-hosts`.
 * - OAuth (`--auth oauth`, `--oauth-issuer`; src/server/auth/mode.ts) counts as auth: a remote
 *   server may then enable compute and write, each token limited by its scopes. Its
 *   `--public-url` host and origin are accepted like `--allowed-hosts`/`--allowed-origins`.
 */
import { isIP } from 'node:net';
import { UserError, didYouMean } from '../research/errors.js';
import { TIERS, type Tier } from '../tools/types.js';
import { resolveOAuthMode, type OAuthFlags, type OAuthMode } from './auth/mode.js';

export const DEFAULT_HTTP_HOST = '127.0.0.1';
export const DEFAULT_HTTP_PORT = 8787;
/** Environment variable read when `--token` is not given. */
export const TOKEN_ENV = 'TRADELAB_TOKEN';

export interface HostRule {
  /** Lower-case host name or IP literal, without brackets. */
  readonly hostname: string;
  /** Port the Host header must carry, or null for any port. */
  readonly port: number | null;
}

export interface HttpMode {
  readonly bindHost: string;
  /** Requested port (0 = any free port; the bound port is known after listen). */
  readonly port: number;
  readonly tiers: ReadonlySet<Tier>;
  readonly remote: boolean;
  /** The bearer token (with OAuth: the owner's secret), or null. */
  readonly token: string | null;
  /** OAuth 2.1 resource-server mode (src/server/auth/), or null. */
  readonly oauth: OAuthMode | null;
  readonly allowedHosts: readonly HostRule[];
  /** Normalised origins (`scheme://host[:port]`). */
  readonly allowedOrigins: readonly string[];
  /** Non-fatal notes for the start-up banner (e.g. a short token, an open read-only server). */
  readonly warnings: readonly string[];
}

export interface HttpModeInput extends OAuthFlags {
  readonly host?: string;
  readonly port?: string | number;
  readonly allow?: string;
  readonly token?: string;
  /** Value of $TRADELAB_TOKEN (used when `token` is absent). */
  readonly envToken?: string;
  readonly allowedHosts?: string;
  readonly allowedOrigins?: string;
}

/** Strips IPv6 brackets and lower-cases. */
export function bareHost(name: string): string {
  const h = name.trim().toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** localhost, 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopbackName(name: string): boolean {
  const h = bareHost(name);
  if (h === 'localhost' || h === 'localhost.') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || h.startsWith('::ffff:127.');
  return false;
}

export function isWildcardAddress(name: string): boolean {
  const h = bareHost(name);
  return h === '0.0.0.0' || h === '::' || h === '0:0:0:0:0:0:0:0';
}

/** `--allow` → the enabled tiers (read always included). */
export function parseAllow(value: string | undefined): Set<Tier> {
  const tiers = new Set<Tier>(['read']);
  if (value === undefined) return tiers;
  const items = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (items.length === 0) {
    throw new UserError('--allow needs at least one tier', { field: '--allow', value, expected: 'compute or compute,write' });
  }
  for (const item of items) {
    if (!(TIERS as readonly string[]).includes(item)) {
      const guess = didYouMean(item, TIERS);
      throw new UserError(`--allow: unknown tier ${JSON.stringify(item)}`, {
        field: '--allow',
        value,
        expected: `a comma-separated list of ${TIERS.join(', ')} (e.g. --allow compute or --allow compute,write)`,
        ...(guess ? { hint: `did you mean ${guess}?` } : {}),
      });
    }
    tiers.add(item as Tier);
  }
  if (tiers.has('write') && !tiers.has('compute')) {
    throw new UserError('--allow write needs the compute tier too (tiers are cumulative: read < compute < write)', {
      field: '--allow',
      value,
      hint: 'use --allow compute,write',
    });
  }
  return tiers;
}

export function parsePort(value: string | number | undefined): number {
  if (value === undefined) return DEFAULT_HTTP_PORT;
  const n = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'string' && value.trim() === '') throw new UserError('--port is empty', { field: '--port', expected: 'an integer 0–65535 (0 = any free port)' });
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new UserError(`--port must be an integer 0–65535`, { field: '--port', value, expected: 'e.g. 8787 (0 = any free port)' });
  }
  return n;
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$/;

/** One `--allowed-hosts` entry: `name`, `name:port`, `1.2.3.4[:port]`, `[::1][:port]`. */
export function parseHostRule(entry: string, field = '--allowed-hosts'): HostRule {
  const raw = entry.trim().toLowerCase();
  let host = raw;
  let port: number | null = null;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw);
  if (v6) {
    host = v6[1];
    port = v6[2] !== undefined ? Number(v6[2]) : null;
  } else if (isIP(raw) !== 6) {
    const m = /^([^:]+):(\d+)$/.exec(raw);
    if (m) {
      host = m[1];
      port = Number(m[2]);
    }
  }
  const ok = (isIP(host) !== 0 || HOSTNAME.test(host)) && (port === null || (port >= 1 && port <= 65_535));
  if (!ok) {
    throw new UserError(`${field}: invalid host ${JSON.stringify(entry)}`, {
      field,
      value: entry,
      expected: 'host names or IPs, optionally with :port, comma-separated (e.g. mcp.example.com,my-tunnel.example.org:443)',
    });
  }
  return { hostname: host, port };
}

/** One `--allowed-origins` entry → `scheme://host[:port]` as the browser sends it. */
export function parseOrigin(entry: string): string {
  let url: URL;
  try {
    url = new URL(entry.trim());
  } catch {
    throw new UserError(`--allowed-origins: invalid origin ${JSON.stringify(entry)}`, { field: '--allowed-origins', value: entry, expected: 'scheme://host[:port], e.g. https://app.example.com' });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new UserError(`--allowed-origins: ${JSON.stringify(entry)} is not an origin`, { field: '--allowed-origins', value: entry, expected: 'http(s)://host[:port] with no path, e.g. https://app.example.com' });
  }
  return url.origin;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Validates the flags and decides tiers, remoteness and auth. Throws UserError (exit 2). */
export function resolveHttpMode(input: HttpModeInput): HttpMode {
  const bindHost = bareHost(input.host ?? DEFAULT_HTTP_HOST);
  if (bindHost === '' || (isIP(bindHost) === 0 && !HOSTNAME.test(bindHost))) {
    throw new UserError(`--host: invalid address ${JSON.stringify(input.host)}`, { field: '--host', value: input.host, expected: 'an IP address or host name to bind, e.g. 127.0.0.1 (default) or 0.0.0.0' });
  }
  const port = parsePort(input.port);
  const tiers = parseAllow(input.allow);
  const allowedHosts = list(input.allowedHosts).map((h) => parseHostRule(h));
  const allowedOrigins = list(input.allowedOrigins).map(parseOrigin);
  const rawToken = input.token ?? (input.envToken !== undefined && input.envToken !== '' ? input.envToken : undefined);
  if (rawToken !== undefined && rawToken.trim() === '') {
    throw new UserError('--token is empty', { field: '--token', expected: 'a long random secret, e.g. from `openssl rand -hex 32`' });
  }
  const token = rawToken === undefined ? null : rawToken;
  const oauth = resolveOAuthMode(input, token);
  if (oauth?.publicUrl) {
    const u = new URL(oauth.publicUrl);
    if (!isLoopbackName(u.hostname) && !allowedHosts.some((h) => h.hostname === u.hostname && h.port === null)) allowedHosts.push({ hostname: u.hostname, port: null });
    if (!allowedOrigins.includes(u.origin)) allowedOrigins.push(u.origin);
  }
  const remote = !isLoopbackName(bindHost) || allowedHosts.some((h) => !isLoopbackName(h.hostname));
  const enabled = TIERS.filter((t) => tiers.has(t));
  if (oauth && remote && oauth.publicUrl === null) {
    throw new UserError('a remote OAuth server needs --public-url', {
      field: '--public-url',
      expected: 'the https origin clients reach (your tunnel or proxy), e.g. --public-url https://my-tunnel.example.com: tokens are bound to <public-url>/mcp',
    });
  }
  if (oauth?.kind === 'builtin' && oauth.publicUrl === null && bindHost !== '127.0.0.1' && bindHost !== 'localhost') {
    throw new UserError(`the built-in authorization server needs an http://127.0.0.1 or http://localhost address (or https), not ${bindHost}`, { field: '--host', value: input.host, expected: '--host 127.0.0.1 (default) or localhost, or --public-url https://…' });
  }
  if (remote && token === null && oauth === null && (tiers.has('compute') || tiers.has('write'))) {
    const why = !isLoopbackName(bindHost) ? `it binds the non-loopback address ${bindHost}` : `it accepts the non-loopback host name(s) ${allowedHosts.filter((h) => !isLoopbackName(h.hostname)).map((h) => h.hostname).join(', ')}`;
    throw new UserError(`refusing to start: this server is remote (${why}) and enables the ${enabled.filter((t) => t !== 'read').join(' and ')} tier(s) without a bearer token`, {
      field: '--token',
      expected: `a token via --token or $${TOKEN_ENV} (clients then send "Authorization: Bearer <token>"), or OAuth (--auth oauth)`,
      hint: 'set a token or use OAuth, drop --allow to serve read-only, or bind 127.0.0.1 without --allowed-hosts',
    });
  }
  const warnings: string[] = [];
  if (token !== null && token.length < 16) warnings.push(`the bearer token is only ${token.length} characters; use a long random one (e.g. \`openssl rand -hex 32\`)`);
  if (remote && token === null && oauth === null) warnings.push('remote and unauthenticated: anyone who can reach it can read the stored runs and datasets (read tier only)');
  if (oauth && !tiers.has('compute')) warnings.push('OAuth is on but only the read tier is allowed: clients granted tradelab:compute or tradelab:write can still only read until the server runs with --allow compute (or compute,write)');
  if (isWildcardAddress(bindHost) && allowedHosts.length === 0) warnings.push(`bound to ${bindHost} with no --allowed-hosts: only requests whose Host is a loopback name are accepted`);
  return { bindHost, port, tiers, remote, token, oauth, allowedHosts, allowedOrigins, warnings };
}
