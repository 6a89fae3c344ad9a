/**
 * The resource-server check of every `POST /mcp` under OAuth (MCP authorization spec,
 * RFC 6750, RFC 9728): the bearer token must verify, be unexpired and bound to this server's
 * resource, else 401 with `WWW-Authenticate: Bearer resource_metadata="…"` (so clients find
 * the authorization server). The request may then use the server's `--allow` tiers ∩ the
 * tiers its scopes grant; a `tools/call` of a tool beyond them is refused before dispatch
 * with 403 `error="insufficient_scope"` naming the scope needed. The owner's static token
 * (`--token`) is accepted too, with every allowed tier.
 */
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { ALL_TOOLS } from '../../tools/index.js';
import { TIERS, type Tier } from '../../tools/types.js';
import { bearerChecker, tokenIdentity } from '../security.js';
import { effectiveTiers, scopeOf } from './scopes.js';
import { sameResource } from './secrets.js';

export interface AccessTokenVerifier {
  verifyAccessToken(token: string): Promise<AuthInfo>;
}

export type Refusal = { readonly ok: false; readonly status: number; readonly message: string; readonly headers: Record<string, string> };
export type Admission = { readonly ok: true; readonly clientId: string; readonly tiers: ReadonlySet<Tier> } | Refusal;

export interface GuardOptions {
  readonly verifier: AccessTokenVerifier;
  /** This server's resource identifier (`<public url>/mcp`). */
  readonly resource: string;
  /** Its Protected Resource Metadata URL. */
  readonly metadataUrl: string;
  readonly allow: ReadonlySet<Tier>;
  readonly ownerToken: string | null;
  readonly now: () => number;
}

const TOOL_TIERS = new Map(ALL_TOOLS.map((t) => [t.name, t.tier]));

/** A quoted-string parameter value without the characters that would end or escape it. */
const quoted = (v: string): string => `"${v.replace(/["\\\r\n]/g, '')}"`;

export class ResourceGuard {
  private readonly isOwnerToken: ((authorization: string | undefined) => string) | null;
  private readonly ownerId: string | null;

  constructor(private readonly o: GuardOptions) {
    this.isOwnerToken = o.ownerToken === null ? null : bearerChecker(o.ownerToken);
    this.ownerId = o.ownerToken === null ? null : tokenIdentity(o.ownerToken);
  }

  /** `WWW-Authenticate` for a refusal: where the metadata is, then the scope and error, if any. */
  challenge(params: Record<string, string>): string {
    const all = { resource_metadata: this.o.metadataUrl, ...params };
    return `Bearer ${Object.entries(all)
      .map(([k, v]) => `${k}=${quoted(v)}`)
      .join(', ')}`;
  }

  private refuse(status: number, message: string, params: Record<string, string>): Refusal {
    return { ok: false, status, message, headers: { 'WWW-Authenticate': this.challenge(params) } };
  }

  /** The scopes worth asking for here: those of the allowed tiers. */
  private wanted(): string {
    return TIERS.filter((t) => this.o.allow.has(t))
      .map(scopeOf)
      .join(' ');
  }

  async admit(authorization: string | undefined): Promise<Admission> {
    if (authorization === undefined) return this.refuse(401, 'Unauthorized: this server needs an OAuth access token ("Authorization: Bearer <token>"); its protected resource metadata names the authorization server', { scope: this.wanted() });
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!m) return this.refuse(401, 'Unauthorized: the Authorization header must be "Bearer <access token>"', { error: 'invalid_request', error_description: 'expected Bearer <access token>' });
    if (this.isOwnerToken?.(authorization) === 'ok') return { ok: true, clientId: this.ownerId as string, tiers: this.o.allow };
    let info: AuthInfo;
    try {
      info = await this.o.verifier.verifyAccessToken(m[1]);
    } catch (e) {
      if (e instanceof InvalidTokenError) return this.invalid(e.message);
      return { ok: false, status: 503, message: `Service unavailable: ${(e as Error).message}; retry shortly`, headers: { 'Retry-After': '5' } };
    }
    if (typeof info.expiresAt !== 'number' || info.expiresAt * 1000 <= this.o.now()) return this.invalid('the access token expired');
    if (!info.resource || !sameResource(info.resource.href, this.o.resource)) {
      return this.invalid(`the access token was issued for ${info.resource?.href ?? 'no resource'}, not this server (${this.o.resource})`);
    }
    const tiers = effectiveTiers(this.o.allow, info.scopes);
    if (!tiers.has('read')) {
      return this.refuse(403, `Forbidden: the access token grants none of this server's scopes (it has: ${info.scopes.join(' ') || 'none'}); authorize again with ${this.wanted()}`, {
        error: 'insufficient_scope',
        scope: this.wanted(),
        error_description: 'the token grants no tradelab scope',
      });
    }
    return { ok: true, clientId: `oauth:${info.clientId}`, tiers };
  }

  private invalid(reason: string): Refusal {
    return this.refuse(401, `Unauthorized: ${reason}; get a new access token (refresh or authorize again)`, { error: 'invalid_token', error_description: reason });
  }

  /** 403 for a tools/call (anywhere in a batch) of a tool the server allows but the token's scopes do not. */
  refuseScope(body: unknown, tiers: ReadonlySet<Tier>): Refusal | null {
    for (const msg of Array.isArray(body) ? body : [body]) {
      const m = msg as { method?: unknown; params?: { name?: unknown } } | null;
      if (m === null || typeof m !== 'object' || m.method !== 'tools/call' || typeof m.params?.name !== 'string') continue;
      const name = m.params.name;
      const tier = TOOL_TIERS.get(name);
      if (tier === undefined || !this.o.allow.has(tier) || tiers.has(tier)) continue;
      const scope = scopeOf(tier);
      return this.refuse(403, `Forbidden: ${name} is a ${tier}-tier tool and this access token lacks the ${scope} scope; authorize the client again and grant ${scope}`, {
        error: 'insufficient_scope',
        scope,
        error_description: `${name} needs ${scope}`,
      });
    }
    return null;
  }
}
