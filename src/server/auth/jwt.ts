/**
 * Access tokens of an external authorization server (`--oauth-issuer`): JWTs checked with the
 * issuer's published keys (jose). The JWKS address is discovered from the issuer's RFC 8414
 * metadata (`/.well-known/oauth-authorization-server`, path-inserted) or its OpenID
 * configuration, once, on first use; a failed discovery is retried on the next request.
 * Checks: signature (asymmetric algorithms only), `iss` = the issuer exactly as configured,
 * `aud` contains this server's resource, `exp` (required). Scopes come from `scope` (space
 * separated) or `scp` (array or string); the client from `client_id`, `azp` or `sub`.
 */
import { InvalidTokenError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { splitScopes } from './scopes.js';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const FETCH_TIMEOUT_MS = 5_000;

/** Where the issuer's metadata may be, in the order tried (RFC 8414 §3.1, OpenID Connect Discovery §4). */
export function discoveryUrls(issuer: string): string[] {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/$/, '');
  const origin = u.origin;
  const urls = [`${origin}/.well-known/oauth-authorization-server${path}`, `${origin}${path}/.well-known/openid-configuration`];
  if (path) urls.push(`${origin}/.well-known/openid-configuration${path}`);
  return urls;
}

async function discoverJwksUri(issuer: string): Promise<URL> {
  const problems: string[] = [];
  for (const url of discoveryUrls(issuer)) {
    let meta: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!res.ok) {
        problems.push(`${url}: HTTP ${res.status}`);
        continue;
      }
      meta = (await res.json()) as typeof meta;
    } catch (e) {
      problems.push(`${url}: ${(e as Error).message}`);
      continue;
    }
    if (meta.issuer !== issuer) throw new Error(`${url} names the issuer ${JSON.stringify(meta.issuer)}, not ${JSON.stringify(issuer)} (--oauth-issuer must be exactly the issuer identifier)`);
    if (typeof meta.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
    return new URL(meta.jwks_uri);
  }
  throw new Error(`no authorization server metadata for ${issuer}: ${problems.join('; ')}`);
}

function why(e: unknown, audience: string): string | null {
  if (e instanceof errors.JWTExpired) return 'the access token expired';
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'aud') return `the access token is not for this server (its audience must include ${audience})`;
    if (e.claim === 'iss') return 'the access token was issued by another authorization server';
    return `the access token's ${e.claim} claim is not acceptable (${e.reason})`;
  }
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'the access token signature does not verify';
  if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) return 'the access token is signed with a key the issuer does not publish';
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid || e instanceof errors.JOSEAlgNotAllowed || e instanceof errors.JOSENotSupported) return 'the access token is not a JWT signed with an accepted algorithm';
  return null;
}

export class JwtAccessTokenVerifier {
  private keys: Promise<JWTVerifyGetKey> | null = null;

  constructor(
    private readonly issuer: string,
    /** This server's resource identifier (`<public url>/mcp`). */
    private readonly audience: string,
    private readonly now: () => number,
  ) {}

  private getKeys(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      const p = discoverJwksUri(this.issuer).then((uri) => createRemoteJWKSet(uri, { timeoutDuration: FETCH_TIMEOUT_MS }));
      p.catch(() => {
        if (this.keys === p) this.keys = null;
      });
      this.keys = p;
    }
    return this.keys;
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    let keys: JWTVerifyGetKey;
    try {
      keys = await this.getKeys();
    } catch (e) {
      throw new ServerError(`cannot load the authorization server's keys: ${(e as Error).message}`);
    }
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: this.issuer, audience: this.audience, currentDate: new Date(this.now()), requiredClaims: ['exp'], algorithms: ALGORITHMS });
      const client = payload.client_id ?? payload.azp ?? payload.sub;
      return { token, clientId: typeof client === 'string' ? client : 'unknown', scopes: splitScopes(payload.scope ?? payload.scp), expiresAt: payload.exp, resource: new URL(this.audience) };
    } catch (e) {
      const reason = why(e, this.audience);
      if (reason !== null) throw new InvalidTokenError(reason);
      throw new ServerError(`cannot verify the access token: ${(e as Error).message}`);
    }
  }
}
