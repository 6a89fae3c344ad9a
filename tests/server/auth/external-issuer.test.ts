/**
 * `serve --http --oauth-issuer URL`: JWT access tokens of an external authorization server,
 * checked with its JWKS (discovered from its RFC 8414 metadata). A tiny issuer runs in the
 * test (jose key pair, metadata and JWKS over node:http).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../src/storage/audit.js';
import { httpClient } from '../http-helpers.js';
import { mcpCall, startOAuthServer, type OAuthServer } from './oauth-helpers.js';

let issuerServer: Server;
let issuer: string;
let key: CryptoKey;
let stranger: CryptoKey;
let metadataHits = 0;
let s: OAuthServer;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  stranger = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  issuerServer = createServer((req, res) => {
    const send = (body: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/oauth-authorization-server') {
      metadataHits++;
      return send({ issuer, jwks_uri: `${issuer}/jwks`, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, response_types_supported: ['code'] });
    }
    if (req.url === '/jwks') return send({ keys: [jwk] });
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
  s = await startOAuthServer({ oauthIssuer: issuer, allow: 'compute' });
});
afterAll(async () => {
  await s?.close();
  await new Promise((r) => issuerServer?.close(r));
});

async function jwt(claims: JWTPayload, o: { aud?: string; exp?: string | number; signer?: CryptoKey; iss?: string } = {}): Promise<string> {
  return new SignJWT({ scope: 'tradelab:read tradelab:compute', client_id: 'ext-client', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(o.iss ?? issuer)
    .setAudience(o.aud ?? s.handle.url)
    .setIssuedAt()
    .setExpirationTime(o.exp ?? '5m')
    .sign(o.signer ?? key);
}

describe('--oauth-issuer: JWT access tokens from an external authorization server', () => {
  it('publishes the issuer in the protected resource metadata; no authorization server of its own', async () => {
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const prm = (await (await fetch(`${s.origin}${path}`)).json()) as Record<string, unknown>;
      expect(prm).toMatchObject({ resource: s.handle.url, authorization_servers: [issuer] });
    }
    expect((await fetch(`${s.origin}/.well-known/oauth-authorization-server`)).status).toBe(404);
    // no /register here: it is a dashboard path, and the dashboard is closed without an owner token
    const reg = await fetch(`${s.origin}/register`, { method: 'POST' });
    expect(reg.status).toBe(403);
    expect(await reg.text()).toMatch(/dashboard needs the owner token/);
    const r = await mcpCall(s.handle.url, null, 'tools/list');
    expect(r.status).toBe(401);
    expect(r.challenge).toContain(`resource_metadata="${s.origin}/.well-known/oauth-protected-resource/mcp"`);
  });

  it('a valid token works with the SDK client: compute tools listed, a backtest runs and is audited under its client_id', async () => {
    const client = await httpClient(s.handle.url, { Authorization: `Bearer ${await jwt({})}` });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('backtest');
      const r = (await client.callTool({ name: 'backtest', arguments: { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h' } })) as CallToolResult;
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      expect(listAudit(s.app.db, { clientId: 'oauth:ext-client', limit: 5 })[0]).toMatchObject({ tool: 'backtest', tier: 'compute', ok: 1 });
    } finally {
      await client.close();
    }
    expect(metadataHits).toBe(1);
  });

  it('scopes from scp (array): tradelab:read only may not backtest (403 insufficient_scope)', async () => {
    const token = await jwt({ scope: undefined, scp: ['tradelab:read'] });
    expect((await mcpCall(s.handle.url, token, 'tools/list')).status).toBe(200);
    const r = await mcpCall(s.handle.url, token, 'tools/call', { name: 'backtest', arguments: {} });
    expect(r.status).toBe(403);
    expect(r.challenge).toContain('scope="tradelab:compute"');
  });

  it('refuses a wrong audience, an expired token, a foreign signature, another issuer, and a token with no tradelab scope', async () => {
    const cases: [string, string, RegExp][] = [
      ['wrong aud', await jwt({}, { aud: 'https://other.example/mcp' }), /audience must include/],
      ['expired', await jwt({}, { exp: Math.floor(Date.now() / 1000) - 60 }), /expired/],
      ['foreign key', await jwt({}, { signer: stranger }), /signature/],
      ['other issuer', await jwt({}, { iss: 'https://elsewhere.example' }), /another authorization server/],
    ];
    for (const [what, token, why] of cases) {
      const r = await mcpCall(s.handle.url, token, 'tools/list');
      expect(r.status, what).toBe(401);
      expect(r.challenge, what).toContain('error="invalid_token"');
      expect(r.body, what).toMatch(why);
    }
    const none = await mcpCall(s.handle.url, await jwt({ scope: 'openid profile' }), 'tools/list');
    expect(none.status).toBe(403);
    expect(none.challenge).toContain('error="insufficient_scope"');
  });
});
