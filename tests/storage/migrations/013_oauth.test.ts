import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

describe('migration 013 (oauth clients, codes, tokens; audit log)', () => {
  it('adds the tables with their keys and checks; the audit log is append-only', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, 12);
    migrate(db, MIGRATIONS, 13);
    expect(schemaVersion(db)).toBe(13);
    db.prepare("INSERT INTO oauth_clients (client_id, metadata, created_at) VALUES ('c1', '{}', 0)").run();
    const code = db.prepare("INSERT INTO oauth_codes (code_hash, client_id, redirect_uri, code_challenge, scopes, resource, created_at, expires_at, grant_id) VALUES (?, ?, 'https://x/cb', 'ch', 'tradelab:read', 'https://h/mcp', 0, 1, 'g')");
    code.run('h1', 'c1');
    expect(() => code.run('h2', 'nope')).toThrow(/FOREIGN KEY/);
    const token = db.prepare("INSERT INTO oauth_tokens (token_hash, kind, client_id, grant_id, scopes, resource, created_at, expires_at, rotated_at) VALUES (?, ?, 'c1', 'g', 's', 'r', 0, 1, ?)");
    token.run('t1', 'access', null);
    token.run('t2', 'refresh', 5);
    expect(() => token.run('t3', 'id_token', null)).toThrow(/CHECK/);
    expect(() => token.run('t4', 'access', 5)).toThrow(/CHECK/);
    expect(() => token.run('t1', 'access', null)).toThrow(/UNIQUE|PRIMARY/);
    db.prepare("DELETE FROM oauth_clients WHERE client_id = 'c1'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM oauth_tokens').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM oauth_codes').get()).toEqual({ n: 0 });
    const audit = db.prepare('INSERT INTO audit_log (at, client_id, tool, tier, run_id, ok) VALUES (1, ?, ?, ?, NULL, 1)');
    audit.run('oauth:c1', 'backtest', 'compute');
    expect(() => audit.run('oauth:c1', 'list_runs', 'read')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE audit_log SET tool = 'x'").run()).toThrow(/append-only/);
  });
});
