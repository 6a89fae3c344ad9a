/**
 * Authorization codes and access/refresh tokens of the built-in OAuth authorization server,
 * stored as sha256 digests (the caller hashes; nothing here sees a secret). Codes are single
 * use and refresh tokens rotate: redeeming either a second time revokes the whole grant
 * (OAuth 2.1 §4.1.3 and §4.3.1, replay of a stolen code or refresh token).
 */
import { statement, writeTransaction, type Db } from './db.js';

export interface CodeRow {
  readonly code_hash: string;
  readonly client_id: string;
  readonly redirect_uri: string;
  readonly code_challenge: string;
  /** Space-separated granted scopes. */
  readonly scopes: string;
  /** The RFC 8707 resource the tokens will be bound to. */
  readonly resource: string;
  readonly created_at: number;
  readonly expires_at: number;
  readonly used_at: number | null;
  readonly grant_id: string;
}

export type TokenKind = 'access' | 'refresh';

export interface TokenRow {
  readonly token_hash: string;
  readonly kind: TokenKind;
  readonly client_id: string;
  readonly grant_id: string;
  readonly scopes: string;
  readonly resource: string;
  readonly created_at: number;
  readonly expires_at: number;
  readonly rotated_at: number | null;
}

export type NewToken = Omit<TokenRow, 'rotated_at'>;

/** A token with its client's revocation time (null while the client is active). */
export interface TokenWithClient extends TokenRow {
  readonly client_revoked_at: number | null;
}

export function insertCode(db: Db, c: Omit<CodeRow, 'used_at'>): void {
  statement(db, 'INSERT INTO oauth_codes (code_hash, client_id, redirect_uri, code_challenge, scopes, resource, created_at, expires_at, grant_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    c.code_hash,
    c.client_id,
    c.redirect_uri,
    c.code_challenge,
    c.scopes,
    c.resource,
    c.created_at,
    c.expires_at,
    c.grant_id,
  );
}

export function getCode(db: Db, codeHash: string): CodeRow | undefined {
  return statement(db, 'SELECT * FROM oauth_codes WHERE code_hash = ?').get(codeHash) as CodeRow | undefined;
}

function insertTokens(db: Db, tokens: readonly NewToken[]): void {
  const ins = statement(db, 'INSERT INTO oauth_tokens (token_hash, kind, client_id, grant_id, scopes, resource, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const t of tokens) ins.run(t.token_hash, t.kind, t.client_id, t.grant_id, t.scopes, t.resource, t.created_at, t.expires_at);
}

/** Issues tokens outside any code or refresh exchange (tests, tooling); one transaction. */
export function storeTokens(db: Db, tokens: readonly NewToken[]): void {
  writeTransaction(db, () => insertTokens(db, tokens));
}

export function deleteGrant(db: Db, grantId: string): number {
  return statement(db, 'DELETE FROM oauth_tokens WHERE grant_id = ?').run(grantId).changes;
}

/**
 * Marks the code used and stores the tokens issued for it, atomically. A code already used
 * is a replay: the grant it started is revoked and nothing is issued.
 */
export function redeemCode(db: Db, codeHash: string, now: number, tokens: readonly NewToken[]): 'ok' | 'reused' {
  return writeTransaction(db, () => {
    const marked = statement(db, 'UPDATE oauth_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL').run(now, codeHash).changes;
    if (marked === 0) {
      const code = getCode(db, codeHash);
      if (code) deleteGrant(db, code.grant_id);
      return 'reused';
    }
    insertTokens(db, tokens);
    return 'ok';
  });
}

/**
 * Rotates a refresh token: marks it used and stores its successors, atomically. A token
 * already rotated is a replay: its whole grant is revoked and nothing is issued.
 */
export function rotateRefreshToken(db: Db, tokenHash: string, now: number, tokens: readonly NewToken[]): 'ok' | 'reused' {
  return writeTransaction(db, () => {
    const marked = statement(db, "UPDATE oauth_tokens SET rotated_at = ? WHERE token_hash = ? AND kind = 'refresh' AND rotated_at IS NULL").run(now, tokenHash).changes;
    if (marked === 0) {
      const old = statement(db, 'SELECT grant_id FROM oauth_tokens WHERE token_hash = ?').get(tokenHash) as { grant_id: string } | undefined;
      if (old) deleteGrant(db, old.grant_id);
      return 'reused';
    }
    insertTokens(db, tokens);
    return 'ok';
  });
}

export function getToken(db: Db, tokenHash: string, kind: TokenKind): TokenWithClient | undefined {
  return statement(db, 'SELECT t.*, c.revoked_at AS client_revoked_at FROM oauth_tokens t JOIN oauth_clients c ON c.client_id = t.client_id WHERE t.token_hash = ? AND t.kind = ?')
    .get(tokenHash, kind) as TokenWithClient | undefined;
}

/**
 * RFC 7009 revocation by the client that holds the token: an access token alone, a refresh
 * token with its whole grant. Returns how many tokens were deleted (0 for unknown tokens).
 */
export function revokeToken(db: Db, tokenHash: string, clientId: string): number {
  return writeTransaction(db, () => {
    const t = statement(db, 'SELECT kind, grant_id FROM oauth_tokens WHERE token_hash = ? AND client_id = ?').get(tokenHash, clientId) as { kind: TokenKind; grant_id: string } | undefined;
    if (!t) return 0;
    if (t.kind === 'refresh') return deleteGrant(db, t.grant_id);
    return statement(db, 'DELETE FROM oauth_tokens WHERE token_hash = ?').run(tokenHash).changes;
  });
}

/** Drops expired codes and tokens (rotated refresh tokens stay until they expire, to catch replays). */
export function purgeExpired(db: Db, now: number): void {
  writeTransaction(db, () => {
    statement(db, 'DELETE FROM oauth_codes WHERE expires_at < ?').run(now);
    statement(db, 'DELETE FROM oauth_tokens WHERE expires_at < ?').run(now);
  });
}
