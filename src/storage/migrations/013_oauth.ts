import type { Migration } from './types.js';

/**
 * OAuth 2.1 for `serve --http --auth oauth` (src/server/auth/): registered clients (RFC 7591),
 * authorization codes, access and refresh tokens, and an audit log of compute and write tool
 * calls. Secrets are never stored: codes, tokens and client secrets are kept as sha256 hex
 * digests. Times are epoch milliseconds except `secret_expires_at`, which RFC 7591 gives in
 * seconds (0 = never).
 *
 * A token belongs to a grant (`grant_id`): one consent's chain of rotated refresh tokens and
 * the access tokens issued from them, so a replayed refresh token or code revokes the chain.
 * Revoking a client keeps its row (marked) for the audit trail and deletes its codes and tokens.
 */
export const migration013: Migration = {
  version: 13,
  name: 'oauth',
  up(db) {
    db.exec(`
      CREATE TABLE oauth_clients (
        client_id         TEXT    PRIMARY KEY,
        client_name       TEXT,
        metadata          TEXT    NOT NULL,
        secret_hash       TEXT,
        secret_expires_at INTEGER,
        created_at        INTEGER NOT NULL,
        revoked_at        INTEGER
      ) STRICT;
      CREATE TABLE oauth_codes (
        code_hash      TEXT    PRIMARY KEY,
        client_id      TEXT    NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
        redirect_uri   TEXT    NOT NULL,
        code_challenge TEXT    NOT NULL,
        scopes         TEXT    NOT NULL,
        resource       TEXT    NOT NULL,
        created_at     INTEGER NOT NULL,
        expires_at     INTEGER NOT NULL,
        used_at        INTEGER,
        grant_id       TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX oauth_codes_by_client ON oauth_codes (client_id);
      CREATE TABLE oauth_tokens (
        token_hash  TEXT    PRIMARY KEY,
        kind        TEXT    NOT NULL CHECK (kind IN ('access', 'refresh')),
        client_id   TEXT    NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
        grant_id    TEXT    NOT NULL,
        scopes      TEXT    NOT NULL,
        resource    TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        rotated_at  INTEGER CHECK (rotated_at IS NULL OR kind = 'refresh')
      ) STRICT;
      CREATE INDEX oauth_tokens_by_client ON oauth_tokens (client_id, kind);
      CREATE INDEX oauth_tokens_by_grant ON oauth_tokens (grant_id);
      CREATE TABLE audit_log (
        id         INTEGER PRIMARY KEY,
        at         INTEGER NOT NULL,
        client_id  TEXT    NOT NULL,
        tool       TEXT    NOT NULL,
        tier       TEXT    NOT NULL CHECK (tier IN ('compute', 'write')),
        run_id     TEXT,
        ok         INTEGER NOT NULL CHECK (ok IN (0, 1))
      ) STRICT;
      CREATE INDEX audit_log_by_client ON audit_log (client_id, at);
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `);
  },
};
