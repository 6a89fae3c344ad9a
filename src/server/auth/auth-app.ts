/**
 * The OAuth endpoints as a small express app, used as a request listener by our node:http
 * handler (src/server/http.ts) for the paths `ownsAuthPath` names:
 * - both modes: Protected Resource Metadata (RFC 9728) at `/.well-known/oauth-protected-resource`
 *   and its path-suffixed form `/.well-known/oauth-protected-resource/mcp`;
 * - built-in authorization server: the SDK's `mcpAuthRouter` (RFC 8414 metadata, `/authorize`,
 *   `/token`, `/register` (RFC 7591), `/revoke` (RFC 7009)) over our provider, and the consent page.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { metadataHandler } from '@modelcontextprotocol/sdk/server/auth/handlers/metadata.js';
import { mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Tier } from '../../tools/types.js';
import { consentRouter } from './consent.js';
import type { PendingAuthorizations } from './pending.js';
import { CONSENT_PATH, type TradelabOAuthProvider } from './provider.js';
import { SCOPES } from './scopes.js';
import { secretHash } from './secrets.js';

export const PRM_PATH = '/.well-known/oauth-protected-resource';
const AS_PATHS = ['/authorize', '/token', '/register', '/revoke', CONSENT_PATH];
/** Endpoints meant for any origin (the SDK answers them with CORS `*`): no cookies, nothing ambient. */
const PUBLIC_PATHS = ['/token', '/register', '/revoke'];

/** The paths the auth app answers (anything under /.well-known/ too, so clients probing get JSON, not the dashboard). */
export function ownsAuthPath(path: string, builtin: boolean): boolean {
  return path.startsWith('/.well-known/') || (builtin && AS_PATHS.includes(path));
}

/** Paths exempt from the Origin check: metadata and the token/registration/revocation endpoints. */
export function originExempt(path: string): boolean {
  return path.startsWith('/.well-known/') || PUBLIC_PATHS.includes(path);
}

export function protectedResourceMetadata(resource: URL, issuer: string): OAuthProtectedResourceMetadata {
  return { resource: resource.href, authorization_servers: [issuer], scopes_supported: [...SCOPES], resource_name: 'tradelab' };
}

/**
 * The SDK compares a confidential client's secret with what the store returns, and we store
 * only its digest: hash the presented secret first. A client using HTTP Basic
 * (client_secret_basic) gets its credentials moved into the body, where the SDK reads them.
 */
function hashPresentedSecret(req: Request, _res: Response, next: NextFunction): void {
  const body = req.body as Record<string, unknown> | undefined;
  const basic = /^Basic[ \t]+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic && body && body.client_id === undefined) {
    const [id, ...secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    try {
      body.client_id = decodeURIComponent(id);
      body.client_secret = decodeURIComponent(secret.join(':'));
    } catch {
      // malformed: the SDK answers invalid_client
    }
  }
  if (body && typeof body.client_secret === 'string') body.client_secret = secretHash(body.client_secret);
  next();
}

function baseApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  // a tunnel (cloudflared, ngrok) runs on this machine: rate limits key on the client it names
  app.set('trust proxy', 'loopback');
  return app;
}

function finish(app: Express): Express {
  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: 'not_found', error_description: `no OAuth endpoint ${req.method} ${req.path} on this server` });
  });
  app.use((err: { status?: number; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    res.status(status).json({ error: status === 500 ? 'server_error' : 'invalid_request', error_description: status === 500 ? 'internal error' : String(err.message ?? 'bad request') });
  });
  return app;
}

export interface BuiltinAuthAppOptions {
  readonly provider: TradelabOAuthProvider;
  readonly pending: PendingAuthorizations;
  readonly ownerToken: string;
  readonly allow: ReadonlySet<Tier>;
  /** The authorization server's issuer: this server's public origin. */
  readonly issuer: URL;
  readonly resource: URL;
}

export function builtinAuthApp(o: BuiltinAuthAppOptions): Express {
  const app = baseApp();
  app.use(['/token', '/revoke'], express.urlencoded({ extended: false, limit: '16kb' }), hashPresentedSecret);
  app.use(mcpAuthRouter({ provider: o.provider, issuerUrl: o.issuer, resourceServerUrl: o.resource, scopesSupported: [...SCOPES], resourceName: 'tradelab' }));
  app.use(PRM_PATH, metadataHandler(protectedResourceMetadata(o.resource, o.issuer.href)));
  app.use(consentRouter({ provider: o.provider, pending: o.pending, ownerToken: o.ownerToken, allow: o.allow }));
  return finish(app);
}

/** Resource-server metadata only: the external issuer does everything else. */
export function externalAuthApp(resource: URL, issuer: string): Express {
  const app = baseApp();
  const handler = metadataHandler(protectedResourceMetadata(resource, issuer));
  app.use(`${PRM_PATH}${resource.pathname}`, handler);
  app.use(PRM_PATH, handler);
  return finish(app);
}
