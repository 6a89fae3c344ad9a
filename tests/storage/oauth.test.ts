import { beforeEach, describe, expect, it } from 'vitest';
import { recordAudit, listAudit } from '../../src/storage/audit.js';
import type { Db } from '../../src/storage/db.js';
import { getClient, insertClient, listClients, revokeClient } from '../../src/storage/oauth-clients.js';
import { getCode, getToken, insertCode, purgeExpired, redeemCode, revokeToken, rotateRefreshToken, storeTokens, type NewToken } from '../../src/storage/oauth-tokens.js';
import { eachStore } from '../helpers/stores.js';

const tok = (hash: string, kind: 'access' | 'refresh', o: Partial<NewToken> = {}): NewToken => ({
  token_hash: hash,
  kind,
  client_id: 'c1',
  grant_id: 'g1',
  scopes: 'tradelab:read tradelab:compute',
  resource: 'https://h/mcp',
  created_at: 100,
  expires_at: 1_000,
  ...o,
});

const stores = eachStore();

describe.each(stores)('oauth storage ($kind store)', (store) => {
  let db: Db;
  beforeEach(() => {
    db = store.open(); // closed after the test by eachStore
    insertClient(db, { client_id: 'c1', client_name: 'One', metadata: '{"redirect_uris":["https://a/cb"]}', secret_hash: null, secret_expires_at: null, created_at: 10 });
    insertClient(db, { client_id: 'c2', client_name: null, metadata: '{}', secret_hash: 'ab'.repeat(32), secret_expires_at: 0, created_at: 20 });
  });

  it('a code is redeemed once; a second redemption revokes the grant it started', () => {
    insertCode(db, { code_hash: 'code', client_id: 'c1', redirect_uri: 'https://a/cb', code_challenge: 'ch', scopes: 'tradelab:read', resource: 'https://h/mcp', created_at: 0, expires_at: 600, grant_id: 'g1' });
    expect(redeemCode(db, 'code', 5, [tok('a1', 'access'), tok('r1', 'refresh')])).toBe('ok');
    expect(getCode(db, 'code')?.used_at).toBe(5);
    expect(getToken(db, 'a1', 'access')?.client_revoked_at).toBeNull();
    expect(getToken(db, 'a1', 'refresh')).toBeUndefined();
    expect(redeemCode(db, 'code', 6, [tok('a2', 'access')])).toBe('reused');
    expect(getToken(db, 'a1', 'access')).toBeUndefined();
    expect(getToken(db, 'a2', 'access')).toBeUndefined();
  });

  it('refresh tokens rotate; replaying a rotated one revokes the grant', () => {
    storeTokens(db, [tok('a1', 'access'), tok('r1', 'refresh'), tok('x', 'access', { grant_id: 'other' })]);
    expect(rotateRefreshToken(db, 'r1', 50, [tok('a2', 'access'), tok('r2', 'refresh')])).toBe('ok');
    expect(getToken(db, 'r1', 'refresh')?.rotated_at).toBe(50);
    expect(getToken(db, 'r2', 'refresh')?.rotated_at).toBeNull();
    expect(rotateRefreshToken(db, 'r1', 60, [tok('a3', 'access')])).toBe('reused');
    for (const h of ['a1', 'a2', 'a3']) expect(getToken(db, h, 'access'), h).toBeUndefined();
    expect(getToken(db, 'r2', 'refresh')).toBeUndefined();
    expect(getToken(db, 'x', 'access')).toBeDefined();
  });

  it('revoking a client keeps its row, deletes its tokens and codes, and shows in the list', () => {
    storeTokens(db, [tok('a1', 'access'), tok('r1', 'refresh'), tok('b1', 'access', { client_id: 'c2', grant_id: 'g2' })]);
    recordAudit(db, { at: 70, client_id: 'oauth:c1', tool: 'backtest', tier: 'compute', run_id: 'r-1', ok: 1 });
    let list = listClients(db, 500);
    expect(list.map((c) => c.client_id)).toEqual(['c2', 'c1']);
    expect(list[1]).toMatchObject({ access_tokens: 1, refresh_tokens: 1, scopes: 'tradelab:compute tradelab:read', calls: 1, last_call_at: 70 });
    expect(listClients(db, 5_000)[1]).toMatchObject({ access_tokens: 0, refresh_tokens: 0, scopes: '' });
    expect(revokeClient(db, 'c1', 99)).toEqual({ revoked: true, tokens_removed: 2, codes_removed: 0 });
    expect(revokeClient(db, 'c1', 100)).toEqual({ revoked: false, tokens_removed: 0, codes_removed: 0 });
    expect(revokeClient(db, 'nope', 100)).toBeUndefined();
    expect(getClient(db, 'c1')?.revoked_at).toBe(99);
    expect(getToken(db, 'b1', 'access')).toBeDefined();
    list = listClients(db, 500);
    expect(list[1]).toMatchObject({ revoked_at: 99, access_tokens: 0 });
  });

  it('RFC 7009 revocation only by the holding client; a refresh token takes its grant along', () => {
    storeTokens(db, [tok('a1', 'access'), tok('r1', 'refresh'), tok('a9', 'access', { grant_id: 'g9' })]);
    expect(revokeToken(db, 'a1', 'c2')).toBe(0);
    expect(revokeToken(db, 'r1', 'c1')).toBe(2);
    expect(revokeToken(db, 'a9', 'c1')).toBe(1);
  });

  it('purges expired codes and tokens; the audit log lists newest first', () => {
    storeTokens(db, [tok('old', 'access', { expires_at: 10 }), tok('new', 'access', { token_hash: 'new', expires_at: 10_000 })]);
    purgeExpired(db, 500);
    expect(getToken(db, 'old', 'access')).toBeUndefined();
    expect(getToken(db, 'new', 'access')).toBeDefined();
    recordAudit(db, { at: 1, client_id: 'a', tool: 'backtest', tier: 'compute', run_id: null, ok: 1 });
    recordAudit(db, { at: 2, client_id: 'b', tool: 'delete_run', tier: 'write', run_id: 'x', ok: 0 });
    expect(listAudit(db, { limit: 10 }).map((r) => r.client_id)).toEqual(['b', 'a']);
    expect(listAudit(db, { clientId: 'a', limit: 10 })).toHaveLength(1);
  });
});
