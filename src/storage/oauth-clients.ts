/**
 * Registered OAuth clients (RFC 7591 dynamic registration) of the built-in authorization
 * server. The client secret is stored as its sha256 digest only; the registration response
 * is the one time the secret is seen. A revoked client keeps its row (for the audit trail)
 * and loses its codes and tokens.
 */
import { statement, writeTransaction, type Db } from './db.js';

export interface ClientRow {
  readonly client_id: string;
  readonly client_name: string | null;
  /** The registered metadata as JSON (redirect_uris, grant_types, ...), never the secret. */
  readonly metadata: string;
  readonly secret_hash: string | null;
  /** Seconds since epoch (RFC 7591); 0 = never; null for public clients. */
  readonly secret_expires_at: number | null;
  readonly created_at: number;
  readonly revoked_at: number | null;
}

export type NewClient = Omit<ClientRow, 'revoked_at'>;

export function insertClient(db: Db, c: NewClient): void {
  statement(db, 'INSERT INTO oauth_clients (client_id, client_name, metadata, secret_hash, secret_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    c.client_id,
    c.client_name,
    c.metadata,
    c.secret_hash,
    c.secret_expires_at,
    c.created_at,
  );
}

export function getClient(db: Db, clientId: string): ClientRow | undefined {
  return statement(db, 'SELECT * FROM oauth_clients WHERE client_id = ?').get(clientId) as ClientRow | undefined;
}

export interface ClientSummary extends ClientRow {
  /** Unexpired access tokens. */
  readonly access_tokens: number;
  /** Unexpired, not yet rotated refresh tokens (each is one live grant). */
  readonly refresh_tokens: number;
  /** Space-separated union of the scopes of its live tokens. */
  readonly scopes: string;
  /** Compute and write tool calls recorded in the audit log, and the last one's time. */
  readonly calls: number;
  readonly last_call_at: number | null;
}

/**
 * Every client, newest first, with its live tokens and audited calls (audit client id
 * `oauth:<id>`). string_agg: PostgreSQL's name for group_concat, which SQLite (3.44+) knows too.
 */
export function listClients(db: Db, now: number): ClientSummary[] {
  const rows = statement(db,
      `SELECT c.*,
         (SELECT COUNT(*) FROM oauth_tokens t WHERE t.client_id = c.client_id AND t.kind = 'access' AND t.expires_at > ?) AS access_tokens,
         (SELECT COUNT(*) FROM oauth_tokens t WHERE t.client_id = c.client_id AND t.kind = 'refresh' AND t.expires_at > ? AND t.rotated_at IS NULL) AS refresh_tokens,
         (SELECT string_agg(t.scopes, ' ') FROM oauth_tokens t WHERE t.client_id = c.client_id AND t.expires_at > ? AND t.rotated_at IS NULL) AS scopes,
         (SELECT COUNT(*) FROM audit_log a WHERE a.client_id = 'oauth:' || c.client_id) AS calls,
         (SELECT MAX(a.at) FROM audit_log a WHERE a.client_id = 'oauth:' || c.client_id) AS last_call_at
       FROM oauth_clients c ORDER BY c.created_at DESC, c.client_id`,
    )
    .all(now, now, now) as (ClientSummary & { scopes: string | null })[];
  return rows.map((r) => ({ ...r, scopes: [...new Set((r.scopes ?? '').split(' ').filter(Boolean))].sort().join(' ') }));
}

export interface RevokeResult {
  /** False when the client was already revoked (its tokens are removed again anyway). */
  readonly revoked: boolean;
  readonly tokens_removed: number;
  readonly codes_removed: number;
}

/** Marks the client revoked and deletes its codes and tokens, in one transaction; undefined if unknown. */
export function revokeClient(db: Db, clientId: string, now: number): RevokeResult | undefined {
  return writeTransaction(db, () => {
    const row = getClient(db, clientId);
    if (!row) return undefined;
    if (row.revoked_at === null) statement(db, 'UPDATE oauth_clients SET revoked_at = ? WHERE client_id = ?').run(now, clientId);
    const tokens = statement(db, 'DELETE FROM oauth_tokens WHERE client_id = ?').run(clientId).changes;
    const codes = statement(db, 'DELETE FROM oauth_codes WHERE client_id = ?').run(clientId).changes;
    return { revoked: row.revoked_at === null, tokens_removed: tokens, codes_removed: codes };
  });
}
