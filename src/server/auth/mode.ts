/**
 * The OAuth flags of `serve --http`, validated before anything listens:
 * - `--auth oauth`: the built-in authorization server (src/server/auth/provider.ts). Needs the
 *   owner's secret (`--token` / $TRADELAB_TOKEN): it guards the consent page.
 * - `--oauth-issuer URL`: an external authorization server; JWT access tokens are checked
 *   against its JWKS (src/server/auth/jwt.ts). `--auth oauth` may accompany it.
 * - `--public-url https://host`: the origin clients reach (a tunnel or proxy); the protected
 *   resource, and the audience of every token, is `<public-url>/mcp`. Required when remote.
 * - `--access-token-ttl`, `--refresh-token-ttl`: lifetimes of the built-in server's tokens.
 */
import { UserError } from '../../research/errors.js';

export const DEFAULT_ACCESS_TTL_SECONDS = 3_600;
export const DEFAULT_REFRESH_TTL_SECONDS = 30 * 86_400;

export interface OAuthMode {
  readonly kind: 'builtin' | 'external';
  /** External only: the issuer exactly as given; a token's `iss` must equal it. */
  readonly issuer: string | null;
  /** The origin clients use (`https://host[:port]`), or null: the bound loopback address. */
  readonly publicUrl: string | null;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
}

export interface OAuthFlags {
  readonly auth?: string;
  readonly oauthIssuer?: string;
  readonly publicUrl?: string;
  readonly accessTokenTtl?: string;
  readonly refreshTokenTtl?: string;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** `3600`, `90s`, `15m`, `1h`, `30d` → seconds, within bounds. */
export function parseDuration(value: string, field: string, min: number, max: number): number {
  const m = /^\s*(\d{1,9})\s*([smhd]?)\s*$/i.exec(value);
  const seconds = m ? Number(m[1]) * UNITS[(m[2] || 's').toLowerCase()] : NaN;
  if (!(seconds >= min && seconds <= max)) {
    throw new UserError(`${field}: ${JSON.stringify(value)} is not a lifetime between ${min} s and ${max} s`, { field, value, expected: `seconds, or a number with s, m, h or d, from ${min} s to ${max / 86_400} d (e.g. 1h, 30d)` });
  }
  return seconds;
}

/** An http(s) URL with no query or fragment; http only for loopback names (as RFC 8414 and the SDK require). */
function parseServerUrl(value: string, field: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new UserError(`${field}: ${JSON.stringify(value)} is not a URL`, { field, value, expected: what });
  }
  const httpOk = url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
  if ((url.protocol !== 'https:' && !httpOk) || url.search || url.hash || url.username || url.password) {
    throw new UserError(`${field}: ${JSON.stringify(value)} must be an https URL (http only for localhost or 127.0.0.1) with no query, fragment or credentials`, { field, value, expected: what });
  }
  return url;
}

export function parsePublicUrl(value: string): string {
  const what = 'the https origin clients reach, e.g. https://my-tunnel.example.com (the resource is then https://my-tunnel.example.com/mcp)';
  const url = parseServerUrl(value, '--public-url', what);
  if (url.pathname !== '/' && url.pathname !== '/mcp') {
    throw new UserError(`--public-url: ${JSON.stringify(value)} has a path; tradelab serves /mcp at the root of its origin`, { field: '--public-url', value, expected: what });
  }
  return url.origin;
}

export function parseIssuer(value: string): string {
  parseServerUrl(value, '--oauth-issuer', "the authorization server's issuer identifier, e.g. https://auth.example.com or https://tenant.example.com/realms/x");
  return value.trim();
}

/** Validates the OAuth flags; null when OAuth is off. `token` is the owner's secret (or null). */
export function resolveOAuthMode(f: OAuthFlags, token: string | null): OAuthMode | null {
  const auth = f.auth?.trim().toLowerCase();
  if (auth !== undefined && auth !== 'oauth' && auth !== 'bearer') {
    throw new UserError(`--auth: unknown mode ${JSON.stringify(f.auth)}`, { field: '--auth', value: f.auth, expected: 'oauth (OAuth 2.1, built-in authorization server) or bearer (the static --token)' });
  }
  const oauthOnly = (['publicUrl', 'accessTokenTtl', 'refreshTokenTtl'] as const).filter((k) => f[k] !== undefined);
  const flag = (k: string): string => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  if (auth === 'bearer' && f.oauthIssuer !== undefined) {
    throw new UserError('--auth bearer and --oauth-issuer exclude each other', { field: '--oauth-issuer', hint: 'drop --auth bearer to accept the issuer\'s tokens (the --token keeps working beside them)' });
  }
  if (auth === 'bearer' && token === null) {
    throw new UserError('--auth bearer needs a token', { field: '--token', expected: 'a long random secret via $TRADELAB_TOKEN or --token' });
  }
  if (auth !== 'oauth' && f.oauthIssuer === undefined) {
    if (oauthOnly.length) throw new UserError(`${flag(oauthOnly[0])} only applies with OAuth`, { field: flag(oauthOnly[0]), hint: 'add --auth oauth (built-in authorization server) or --oauth-issuer URL (an external one)' });
    return null;
  }
  if (f.oauthIssuer !== undefined) {
    const ttl = oauthOnly.filter((k) => k !== 'publicUrl');
    if (ttl.length) throw new UserError(`${flag(ttl[0])} only applies to the built-in authorization server`, { field: flag(ttl[0]), hint: 'the external issuer (--oauth-issuer) decides its tokens\' lifetimes' });
  } else if (token === null) {
    throw new UserError('--auth oauth needs the owner\'s token', {
      field: '--token',
      expected: 'a long random secret via $TRADELAB_TOKEN (or --token): you enter it once per browser to approve clients on the consent page; it also opens the dashboard and works as a static bearer token',
    });
  }
  const publicUrl = f.publicUrl === undefined ? null : parsePublicUrl(f.publicUrl);
  const accessTtlSeconds = f.accessTokenTtl === undefined ? DEFAULT_ACCESS_TTL_SECONDS : parseDuration(f.accessTokenTtl, '--access-token-ttl', 60, 86_400);
  const refreshTtlSeconds = f.refreshTokenTtl === undefined ? DEFAULT_REFRESH_TTL_SECONDS : parseDuration(f.refreshTokenTtl, '--refresh-token-ttl', 3_600, 365 * 86_400);
  if (refreshTtlSeconds < accessTtlSeconds) {
    throw new UserError('--refresh-token-ttl is shorter than the access-token lifetime', { field: '--refresh-token-ttl', value: f.refreshTokenTtl, expected: `at least ${accessTtlSeconds} s (--access-token-ttl)` });
  }
  return { kind: f.oauthIssuer !== undefined ? 'external' : 'builtin', issuer: f.oauthIssuer === undefined ? null : parseIssuer(f.oauthIssuer), publicUrl, accessTtlSeconds, refreshTtlSeconds };
}
