/**
 * How `serve --http` authenticates a request, one object per mode: none, the static bearer
 * token, or OAuth (built-in authorization server or an external issuer). src/server/http.ts
 * asks it to admit each `POST /mcp` (who is calling, with which tiers), to refuse tool calls
 * beyond the token's scopes, and routes the OAuth endpoints' paths to it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../../research/app.js';
import type { Tier, TransportInfo } from '../../tools/types.js';
import type { HttpMode } from '../modes.js';
import { bearerChecker, clientIdOf, tokenIdentity } from '../security.js';
import { builtinAuthApp, externalAuthApp, originExempt, ownsAuthPath, PRM_PATH } from './auth-app.js';
import { ResourceGuard, type Admission, type Refusal } from './guard.js';
import { JwtAccessTokenVerifier } from './jwt.js';
import { PendingAuthorizations } from './pending.js';
import { TradelabOAuthProvider } from './provider.js';
import { SCOPES } from './scopes.js';

export interface HttpAuth {
  readonly kind: TransportInfo['auth'];
  /** OAuth: resource, authorization server and scopes (server_info, the banner). */
  readonly oauth?: TransportInfo['oauth'];
  /** The path is an OAuth endpoint (answered by `serveEndpoint`). */
  ownsPath(path: string): boolean;
  /** The path is an OAuth endpoint meant for any origin (exempt from the Origin check). */
  originExempt(path: string): boolean;
  serveEndpoint(req: IncomingMessage, res: ServerResponse): void;
  admit(req: IncomingMessage): Promise<Admission>;
  refuseScope(body: unknown, tiers: ReadonlySet<Tier>): Refusal | null;
}

function staticAuth(mode: HttpMode): HttpAuth {
  const check = mode.token !== null ? bearerChecker(mode.token) : null;
  const tokenId = mode.token !== null ? tokenIdentity(mode.token) : null;
  return {
    kind: check ? 'bearer' : 'none',
    ownsPath: () => false,
    originExempt: () => false,
    serveEndpoint: () => undefined,
    refuseScope: () => null,
    async admit(req) {
      const r = check ? check(req.headers.authorization) : 'ok';
      if (r === 'ok') return { ok: true, clientId: clientIdOf(req, tokenId), tiers: mode.tiers };
      const challenge = r === 'missing' ? 'Bearer realm="tradelab"' : 'Bearer realm="tradelab", error="invalid_token"';
      const message = `Unauthorized: ${r === 'missing' ? 'this server needs' : 'wrong'} "Authorization: Bearer <token>" (the token the server was started with, --token or $TRADELAB_TOKEN)`;
      return { ok: false, status: 401, message, headers: { 'WWW-Authenticate': challenge } };
    },
  };
}

/**
 * The auth of an HTTP server bound at `boundOrigin` (e.g. http://127.0.0.1:8787): with OAuth,
 * the public origin is `--public-url` or that, the resource `<origin>/mcp`.
 */
export function createHttpAuth(mode: HttpMode, app: App, boundOrigin: string, mcpPath: string): HttpAuth {
  const oauth = mode.oauth;
  if (oauth === null) return staticAuth(mode);
  const origin = new URL(oauth.publicUrl ?? boundOrigin);
  const resource = new URL(mcpPath, origin);
  const metadataUrl = new URL(`${PRM_PATH}${resource.pathname}`, origin).href;
  let endpoints: (req: IncomingMessage, res: ServerResponse) => void;
  let verifier: ConstructorParameters<typeof ResourceGuard>[0]['verifier'];
  let issuer: string;
  if (oauth.kind === 'external') {
    issuer = oauth.issuer as string;
    verifier = new JwtAccessTokenVerifier(issuer, resource.href, app.now);
    endpoints = externalAuthApp(resource, issuer);
  } else {
    issuer = origin.href;
    const pending = new PendingAuthorizations(app.now);
    const provider = new TradelabOAuthProvider({ db: app.db, now: app.now, resource: resource.href, accessTtlSeconds: oauth.accessTtlSeconds, refreshTtlSeconds: oauth.refreshTtlSeconds, pending });
    verifier = provider;
    endpoints = builtinAuthApp({ provider, pending, ownerToken: mode.token as string, allow: mode.tiers, issuer: origin, resource });
  }
  const guard = new ResourceGuard({ verifier, resource: resource.href, metadataUrl, allow: mode.tiers, ownerToken: mode.token, now: app.now });
  const builtin = oauth.kind === 'builtin';
  return {
    kind: 'oauth',
    oauth: { resource: resource.href, resource_metadata: metadataUrl, authorization_server: issuer, built_in: builtin, scopes_supported: [...SCOPES] },
    ownsPath: (path) => ownsAuthPath(path, builtin),
    originExempt,
    serveEndpoint: (req, res) => endpoints(req, res),
    admit: (req) => guard.admit(req.headers.authorization),
    refuseScope: (body, tiers) => guard.refuseScope(body, tiers),
  };
}
