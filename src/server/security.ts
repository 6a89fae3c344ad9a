/**
 * Per-request checks of the HTTP transport: Host (DNS rebinding), Origin (browsers), the
 * bearer token (constant-time), and the client identity used for per-client limits.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { bareHost, isLoopbackName, isWildcardAddress, type HostRule } from './modes.js';

export interface HostPolicy {
  readonly bindHost: string;
  readonly allowedHosts: readonly HostRule[];
}

/** Splits a Host header into name and port; null when malformed. */
export function parseHostHeader(value: string): { hostname: string; port: number | null } | null {
  const v = value.trim().toLowerCase();
  if (v === '' || /[\s/\\@?#]/.test(v)) return null;
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(v);
  if (v6) return isIP(v6[1]) === 6 ? { hostname: v6[1], port: v6[2] !== undefined ? Number(v6[2]) : null } : null;
  const m = /^([^:[\]]+)(?::(\d{1,5}))?$/.exec(v);
  if (!m) return null;
  return { hostname: m[1], port: m[2] !== undefined ? Number(m[2]) : null };
}

/** Loopback names always pass; then a specific bind address; then the allow-list. */
export function hostAllowed(header: string | undefined, policy: HostPolicy): boolean {
  if (header === undefined) return false;
  const h = parseHostHeader(header);
  if (!h) return false;
  if (isLoopbackName(h.hostname)) return true;
  const bind = bareHost(policy.bindHost);
  if (!isWildcardAddress(bind) && h.hostname === bind) return true;
  return policy.allowedHosts.some((r) => r.hostname === h.hostname && (r.port === null || r.port === h.port));
}

export interface OriginPolicy {
  /** The port the server is bound to (loopback origins on this port are allowed). */
  readonly port: number;
  readonly allowedOrigins: readonly string[];
  /**
   * The server listens on loopback only: then any loopback origin passes (a local tool such as
   * the MCP Inspector's browser UI at http://localhost:6274). A remote server stays strict.
   */
  readonly loopbackBound?: boolean;
}

/**
 * No Origin (non-browser clients) passes; otherwise a listed origin, a loopback origin of our
 * port, or — on a loopback-bound server — any loopback origin. A web page from elsewhere never
 * has a loopback origin, and the Host check still stops DNS rebinding.
 */
export function originAllowed(origin: string | undefined, policy: OriginPolicy): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null"
  }
  if (policy.allowedOrigins.includes(url.origin)) return true;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackName(url.hostname) && (port === policy.port || policy.loopbackBound === true);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export type BearerCheck = 'ok' | 'missing' | 'invalid';

/** A token checker comparing sha256 digests with crypto.timingSafeEqual (equal lengths always). */
export function bearerChecker(token: string): (authorization: string | undefined) => BearerCheck {
  const expected = digest(token);
  return (authorization) => {
    if (authorization === undefined) return 'missing';
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!m) return 'invalid';
    return timingSafeEqual(digest(m[1]), expected) ? 'ok' : 'invalid';
  };
}

/** A short, non-reversible label for a token (never the token itself). */
export function tokenIdentity(token: string): string {
  return `token:${digest(token).toString('hex').slice(0, 12)}`;
}

/** The remote address, with IPv4-mapped IPv6 unwrapped. */
export function remoteAddress(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? 'unknown';
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

/**
 * The client id for per-client limits: the bearer token's identity when auth is on (every
 * holder of the one static token is one client), else the remote address.
 */
export function clientIdOf(req: IncomingMessage, tokenId: string | null): string {
  return tokenId ?? `addr:${remoteAddress(req)}`;
}
