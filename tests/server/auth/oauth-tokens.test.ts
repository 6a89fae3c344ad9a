/**
 * The token side of the built-in authorization server, by hand over HTTP: PKCE (a wrong
 * verifier is invalid_grant and does not burn the code), single-use codes, refresh-token
 * rotation with replay detection, expiry, client revocation, audience binding, and the 401 /
 * 403 challenges of the resource server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeTokens } from '../../../src/storage/oauth-tokens.js';
import { revokeClient } from '../../../src/storage/oauth-clients.js';
import { approve, form, mcpCall, pkce, REDIRECT, sha256Hex, startOAuthServer, type OAuthServer } from './oauth-helpers.js';
import { sqliteOf } from '../../helpers/sqlite.js';

let s: OAuthServer;
beforeAll(async () => {
  s = await startOAuthServer();
});
afterAll(async () => s?.close());

async function register(meta: Record<string, unknown> = {}): Promise<{ client_id: string; client_secret?: string }> {
  const res = await fetch(`${s.origin}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Manual', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', ...meta }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { client_id: string; client_secret?: string };
}

function authorizeUrl(clientId: string, challenge: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'st', scope: 'tradelab:compute', resource: s.handle.url, ...extra });
  return `${s.origin}/authorize?${q}`;
}

/** Registration, consent and code exchange; the tokens. */
async function tokensFor(scopes = ['tradelab:read', 'tradelab:compute']): Promise<{ client_id: string; access_token: string; refresh_token: string }> {
  const { client_id } = await register();
  const { verifier, challenge } = pkce();
  const code = await approve(authorizeUrl(client_id, challenge), scopes);
  const r = await form(`${s.origin}/token`, { grant_type: 'authorization_code', client_id, code, code_verifier: verifier, redirect_uri: REDIRECT, resource: s.handle.url });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return { client_id, access_token: r.json.access_token as string, refresh_token: r.json.refresh_token as string };
}

const backtest = { name: 'backtest', arguments: { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h' } };
const prm = (): string => `resource_metadata="${s.origin}/.well-known/oauth-protected-resource/mcp"`;

describe('built-in authorization server: tokens', () => {
  it('PKCE: a wrong code_verifier is invalid_grant and the code still works with the right one, once', async () => {
    const { client_id } = await register();
    const { verifier, challenge } = pkce();
    const code = await approve(authorizeUrl(client_id, challenge));
    const bad = await form(`${s.origin}/token`, { grant_type: 'authorization_code', client_id, code, code_verifier: pkce().verifier });
    expect(bad).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const good = await form(`${s.origin}/token`, { grant_type: 'authorization_code', client_id, code, code_verifier: verifier });
    expect(good.status).toBe(200);
    expect((await mcpCall(s.handle.url, good.json.access_token as string, 'tools/list')).status).toBe(200);
    const replay = await form(`${s.origin}/token`, { grant_type: 'authorization_code', client_id, code, code_verifier: verifier });
    expect(replay).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    // the replay revoked what the code had issued
    expect((await mcpCall(s.handle.url, good.json.access_token as string, 'tools/list')).status).toBe(401);
  });

  it('only S256 and only registered redirect URIs are accepted', async () => {
    const { client_id } = await register();
    const plain = await fetch(authorizeUrl(client_id, 'x'.repeat(43), { code_challenge_method: 'plain' }), { redirect: 'manual' });
    expect(new URL(plain.headers.get('location') as string).searchParams.get('error')).toBe('invalid_request');
    const elsewhere = await fetch(authorizeUrl(client_id, pkce().challenge, { redirect_uri: 'https://evil.example/cb' }), { redirect: 'manual' });
    expect(elsewhere.status).toBe(400);
  });

  it('refresh tokens rotate; replaying a rotated one revokes the whole grant', async () => {
    const t = await tokensFor();
    const r1 = await form(`${s.origin}/token`, { grant_type: 'refresh_token', client_id: t.client_id, refresh_token: t.refresh_token });
    expect(r1.status, JSON.stringify(r1.json)).toBe(200);
    expect(r1.json.refresh_token).not.toBe(t.refresh_token);
    expect(r1.json.scope).toBe('tradelab:read tradelab:compute');
    expect((await mcpCall(s.handle.url, r1.json.access_token as string, 'tools/list')).status).toBe(200);
    const narrower = await form(`${s.origin}/token`, { grant_type: 'refresh_token', client_id: t.client_id, refresh_token: r1.json.refresh_token as string, scope: 'tradelab:write' });
    expect(narrower).toMatchObject({ status: 400, json: { error: 'invalid_scope' } });
    const replay = await form(`${s.origin}/token`, { grant_type: 'refresh_token', client_id: t.client_id, refresh_token: t.refresh_token });
    expect(replay).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect((await mcpCall(s.handle.url, r1.json.access_token as string, 'tools/list')).status).toBe(401);
    const after = await form(`${s.origin}/token`, { grant_type: 'refresh_token', client_id: t.client_id, refresh_token: r1.json.refresh_token as string });
    expect(after).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('a confidential client: its secret is stored as a digest and checked at the token endpoint', async () => {
    const { client_id, client_secret } = await register({ token_endpoint_auth_method: 'client_secret_post' });
    expect(client_secret).toMatch(/^[0-9a-f]{64}$/);
    const row = sqliteOf(s.app).prepare('SELECT secret_hash FROM oauth_clients WHERE client_id = ?').get(client_id) as { secret_hash: string };
    expect(row.secret_hash).toBe(sha256Hex(client_secret as string));
    const { verifier, challenge } = pkce();
    const code = await approve(authorizeUrl(client_id, challenge));
    const wrong = await form(`${s.origin}/token`, { grant_type: 'authorization_code', client_id, client_secret: 'nope', code, code_verifier: verifier });
    expect(wrong).toMatchObject({ status: 400, json: { error: 'invalid_client' } });
    const basic = Buffer.from(`${client_id}:${client_secret}`).toString('base64');
    const ok = await form(`${s.origin}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier }, { authorization: `Basic ${basic}` });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
  });
});

describe('resource server: 401 and 403', () => {
  it('no token: 401 with the resource metadata and the scopes worth asking for', async () => {
    const r = await mcpCall(s.handle.url, null, 'tools/list');
    expect(r.status).toBe(401);
    expect(r.challenge).toBe(`Bearer ${prm()}, scope="tradelab:read tradelab:compute"`);
  });

  it('an expired access token: 401 invalid_token with the resource metadata; refreshing works', async () => {
    const t = await tokensFor();
    s.advance(3_601_000);
    try {
      const r = await mcpCall(s.handle.url, t.access_token, 'tools/list');
      expect(r.status).toBe(401);
      expect(r.challenge).toContain(prm());
      expect(r.challenge).toContain('error="invalid_token"');
      expect(r.challenge).toContain('expired');
      const fresh = await form(`${s.origin}/token`, { grant_type: 'refresh_token', client_id: t.client_id, refresh_token: t.refresh_token });
      expect((await mcpCall(s.handle.url, fresh.json.access_token as string, 'tools/list')).status).toBe(200);
    } finally {
      s.advance(-3_601_000);
    }
  });

  it('a revoked client: its tokens stop working at once and it cannot refresh', async () => {
    const t = await tokensFor();
    expect((await mcpCall(s.handle.url, t.access_token, 'tools/list')).status).toBe(200);
    expect(revokeClient(s.app.db, t.client_id, Date.now())).toMatchObject({ revoked: true, tokens_removed: 2 });
    const r = await mcpCall(s.handle.url, t.access_token, 'tools/list');
    expect(r.status).toBe(401);
    expect(r.challenge).toContain('error="invalid_token"');
    const refresh = await form(`${s.origin}/token`, { grant_type: 'refresh_token', client_id: t.client_id, refresh_token: t.refresh_token });
    expect(refresh).toMatchObject({ status: 400, json: { error: 'invalid_client' } });
  });

  it('a token granted tradelab:read calling backtest: 403 insufficient_scope naming tradelab:compute', async () => {
    const t = await tokensFor(['tradelab:read']);
    expect((await mcpCall(s.handle.url, t.access_token, 'tools/call', { name: 'list_datasets', arguments: {} })).status).toBe(200);
    const r = await mcpCall(s.handle.url, t.access_token, 'tools/call', backtest);
    expect(r.status).toBe(403);
    expect(r.challenge).toContain('error="insufficient_scope"');
    expect(r.challenge).toContain('scope="tradelab:compute"');
    expect(r.challenge).toContain(prm());
    expect(r.body).toMatch(/backtest is a compute-tier tool .* lacks the tradelab:compute scope/);
    // a write tool is off on this server (--allow compute): the usual refusal, not a scope problem
    const off = await mcpCall(s.handle.url, t.access_token, 'tools/call', { name: 'delete_run', arguments: { run_id: 'x' } });
    expect(off.status).toBe(200);
    expect(off.body).toMatch(/--allow compute,write/);
  });

  it('a token for another resource: 401; asking for another resource at /authorize: invalid_target', async () => {
    const t = await tokensFor();
    const row = sqliteOf(s.app).prepare("SELECT * FROM oauth_tokens WHERE token_hash = ? AND kind = 'access'").get(sha256Hex(t.access_token)) as { client_id: string; grant_id: string };
    const other = 'tla_other-audience-token';
    storeTokens(s.app.db, [{ token_hash: sha256Hex(other), kind: 'access', client_id: row.client_id, grant_id: row.grant_id, scopes: 'tradelab:read tradelab:compute', resource: 'https://other.example/mcp', created_at: Date.now(), expires_at: Date.now() + 60_000 }]);
    const r = await mcpCall(s.handle.url, other, 'tools/list');
    expect(r.status).toBe(401);
    expect(r.challenge).toContain('error="invalid_token"');
    expect(r.body).toContain('issued for https://other.example/mcp');
    const { client_id } = await register();
    const res = await fetch(authorizeUrl(client_id, pkce().challenge, { resource: 'https://other.example/mcp' }), { redirect: 'manual' });
    const to = new URL(res.headers.get('location') as string);
    expect(to.searchParams.get('error')).toBe('invalid_target');
    expect(to.searchParams.get('state')).toBe('st');
    const garbage = await mcpCall(s.handle.url, 'tla_not-a-token', 'tools/list');
    expect(garbage.status).toBe(401);
  });

  it('the owner token works as a bearer with every allowed tier', async () => {
    const r = await mcpCall(s.handle.url, 'owner-token-0123456789abcdef', 'tools/call', backtest);
    expect(r.status).toBe(200);
    expect(r.body).toContain('run_id');
  });
});
