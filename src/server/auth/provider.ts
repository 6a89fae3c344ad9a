/**
 * The built-in authorization server's provider for the SDK's `mcpAuthRouter`, backed by our
 * store (src/storage/oauth-*.ts). The router does the protocol (metadata, dynamic registration,
 * PKCE S256 verification, request validation, error responses); this class decides:
 * - `authorize` parks the request and sends the browser to the owner's consent page;
 * - the consent page calls `issueCode` with the scopes the owner granted;
 * - codes are single use and expire after 5 minutes; tokens are bound to this server's
 *   resource (RFC 8707) and carry the granted scopes; refresh tokens rotate, and a replayed
 *   code or refresh token revokes its grant;
 * - everything secret is stored as a sha256 digest.
 */
import type { Response } from 'express';
import { InvalidGrantError, InvalidScopeError, InvalidTargetError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthClientInformationFull, OAuthTokenRevocationRequest, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Db } from '../../storage/db.js';
import { deleteGrant, getCode, getToken, insertCode, purgeExpired, redeemCode, revokeToken, rotateRefreshToken, type CodeRow, type NewToken } from '../../storage/oauth-tokens.js';
import { StoredClients } from './clients-store.js';
import type { PendingAuthorization, PendingAuthorizations } from './pending.js';
import { closeScopes } from './scopes.js';
import { newId, newSecret, sameResource, secretHash } from './secrets.js';

export const CODE_TTL_MS = 5 * 60_000;
export const CONSENT_PATH = '/oauth/consent';

export interface ProviderOptions {
  readonly db: Db;
  readonly now: () => number;
  /** This server's resource identifier, `<public url>/mcp`. */
  readonly resource: string;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
  readonly pending: PendingAuthorizations;
}

export class TradelabOAuthProvider implements OAuthServerProvider {
  readonly clientsStore: StoredClients;

  constructor(private readonly o: ProviderOptions) {
    this.clientsStore = new StoredClients(o.db, o.now);
  }

  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: Response): Promise<void> {
    this.checkResource(params.resource);
    const id = this.o.pending.create({
      clientId: client.client_id,
      clientName: client.client_name ?? null,
      redirectUri: params.redirectUri,
      scopes: params.scopes ?? [],
      state: params.state,
      codeChallenge: params.codeChallenge,
      resource: this.o.resource,
    });
    res.redirect(302, `${CONSENT_PATH}?request=${encodeURIComponent(id)}`);
  }

  /** The owner approved `p` with `scopes` (known scopes, closed downwards): a code for the client's redirect. */
  issueCode(p: PendingAuthorization, scopes: readonly string[]): string {
    const now = this.o.now();
    purgeExpired(this.o.db, now);
    const code = newSecret('tlc_');
    insertCode(this.o.db, {
      code_hash: secretHash(code),
      client_id: p.clientId,
      redirect_uri: p.redirectUri,
      code_challenge: p.codeChallenge,
      scopes: closeScopes(scopes).join(' '),
      resource: p.resource,
      created_at: now,
      expires_at: now + CODE_TTL_MS,
      grant_id: newId(),
    });
    return code;
  }

  async challengeForAuthorizationCode(client: OAuthClientInformationFull, code: string): Promise<string> {
    return this.liveCode(client, code).code_challenge;
  }

  async exchangeAuthorizationCode(client: OAuthClientInformationFull, code: string, _verifier?: string, redirectUri?: string, resource?: URL): Promise<OAuthTokens> {
    const row = this.liveCode(client, code);
    if (redirectUri !== undefined && redirectUri !== row.redirect_uri) throw new InvalidGrantError('redirect_uri differs from the one of the authorization request');
    this.checkResource(resource);
    const scopes = row.scopes.split(' ');
    const { rows, tokens } = this.mint(client.client_id, row.grant_id, scopes, scopes);
    if (redeemCode(this.o.db, row.code_hash, this.o.now(), rows) === 'reused') throw new InvalidGrantError('the authorization code was already used; the tokens issued for it are revoked');
    return tokens;
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string, scopes?: string[], resource?: URL): Promise<OAuthTokens> {
    const row = getToken(this.o.db, secretHash(refreshToken), 'refresh');
    if (!row || row.client_id !== client.client_id || row.client_revoked_at !== null) throw new InvalidGrantError('unknown refresh token');
    if (row.expires_at <= this.o.now()) throw new InvalidGrantError('the refresh token expired; authorize again');
    this.checkResource(resource);
    const granted = row.scopes.split(' ');
    const extra = (scopes ?? []).filter((s) => !granted.includes(s));
    if (extra.length) throw new InvalidScopeError(`scope ${extra.join(' ')} was not granted to this refresh token (granted: ${row.scopes}); authorize again to ask for more`);
    const access = scopes?.length ? closeScopes(scopes) : granted;
    const { rows, tokens } = this.mint(client.client_id, row.grant_id, access, granted);
    if (rotateRefreshToken(this.o.db, row.token_hash, this.o.now(), rows) === 'reused') {
      throw new InvalidGrantError('the refresh token was already used, so every token of its grant is revoked; authorize again');
    }
    return tokens;
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const row = getToken(this.o.db, secretHash(token), 'access');
    if (!row || row.client_revoked_at !== null) throw new InvalidTokenError('unknown or revoked access token');
    return { token, clientId: row.client_id, scopes: row.scopes.split(' '), expiresAt: Math.floor(row.expires_at / 1000), resource: new URL(row.resource) };
  }

  async revokeToken(client: OAuthClientInformationFull, request: OAuthTokenRevocationRequest): Promise<void> {
    revokeToken(this.o.db, secretHash(request.token), client.client_id);
  }

  private checkResource(resource: URL | undefined): void {
    if (resource && !sameResource(resource.href, this.o.resource)) {
      throw new InvalidTargetError(`this authorization server issues tokens for ${this.o.resource} only, not ${resource.href}`);
    }
  }

  /** An unexpired, unused code of this client; a used one is a replay and revokes its grant. */
  private liveCode(client: OAuthClientInformationFull, code: string): CodeRow {
    const row = getCode(this.o.db, secretHash(code));
    if (!row || row.client_id !== client.client_id) throw new InvalidGrantError('unknown authorization code');
    if (row.used_at !== null) {
      deleteGrant(this.o.db, row.grant_id);
      throw new InvalidGrantError('the authorization code was already used; the tokens issued for it are revoked');
    }
    if (row.expires_at <= this.o.now()) throw new InvalidGrantError('the authorization code expired; authorize again');
    return row;
  }

  private mint(clientId: string, grantId: string, accessScopes: readonly string[], refreshScopes: readonly string[]): { rows: NewToken[]; tokens: OAuthTokens } {
    const now = this.o.now();
    const access = newSecret('tla_');
    const refresh = newSecret('tlr_');
    const base = { client_id: clientId, grant_id: grantId, resource: this.o.resource, created_at: now };
    const rows: NewToken[] = [
      { ...base, token_hash: secretHash(access), kind: 'access', scopes: accessScopes.join(' '), expires_at: now + this.o.accessTtlSeconds * 1000 },
      { ...base, token_hash: secretHash(refresh), kind: 'refresh', scopes: refreshScopes.join(' '), expires_at: now + this.o.refreshTtlSeconds * 1000 },
    ];
    return { rows, tokens: { access_token: access, token_type: 'Bearer', expires_in: this.o.accessTtlSeconds, refresh_token: refresh, scope: accessScopes.join(' ') } };
  }
}
