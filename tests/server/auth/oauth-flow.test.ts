/**
 * The whole OAuth 2.1 flow with the SDK client's own OAuth support against a started server:
 * 401 with the resource metadata → discovery → dynamic registration → authorization (PKCE
 * S256) → the owner's consent → code → token → tools/list filtered by scope → a backtest →
 * its audit record.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../src/storage/audit.js';
import { getClient } from '../../../src/storage/oauth-clients.js';
import { ALL_TOOLS } from '../../../src/tools/index.js';
import { approve, MemoryOAuthClient, sha256Hex, startOAuthServer, type OAuthServer } from './oauth-helpers.js';
import { sqliteOf } from '../../helpers/sqlite.js';

let s: OAuthServer;
beforeAll(async () => {
  s = await startOAuthServer();
});
afterAll(async () => s?.close());

async function connect(provider: MemoryOAuthClient): Promise<Client> {
  const client = new Client({ name: 'oauth-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(s.handle.url), { authProvider: provider }));
  return client;
}

describe('OAuth 2.1 with the SDK client', () => {
  it('registers, is authorized by the owner, lists the tools its scopes allow, runs a backtest that is audited', async () => {
    const provider = new MemoryOAuthClient();
    await expect(connect(provider)).rejects.toThrow(UnauthorizedError);
    const info = provider.info as { client_id: string; client_secret?: string };
    expect(info.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(info.client_secret).toBeUndefined();
    const authUrl = provider.authorizationUrl as URL;
    expect(authUrl.pathname).toBe('/authorize');
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('resource')).toBe(s.handle.url);
    expect(authUrl.searchParams.get('scope')).toBe('tradelab:read tradelab:compute');

    const code = await approve(authUrl);
    const first = new StreamableHTTPClientTransport(new URL(s.handle.url), { authProvider: provider });
    await first.finishAuth(code);
    const tokens = provider.saved as { access_token: string; refresh_token: string; scope: string; expires_in: number };
    expect(tokens).toMatchObject({ scope: 'tradelab:read tradelab:compute', expires_in: 3600 });
    // stored as digests only
    const row = sqliteOf(s.app).prepare('SELECT COUNT(*) AS n FROM oauth_tokens WHERE token_hash IN (?, ?)');
    expect(row.get(tokens.access_token, tokens.refresh_token)).toEqual({ n: 0 });
    expect(row.get(sha256Hex(tokens.access_token), sha256Hex(tokens.refresh_token))).toEqual({ n: 2 });
    expect(getClient(s.app.db, info.client_id)).toMatchObject({ client_name: 'Test agent', secret_hash: null, revoked_at: null });

    const client = await connect(provider);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS.filter((t) => t.tier !== 'write').map((t) => t.name).sort());
      const r = (await client.callTool({ name: 'backtest', arguments: { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h' } })) as CallToolResult;
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      const runId = (r.structuredContent as { run_id: string }).run_id;
      expect(runId).toBeTruthy();
      const info2 = (await client.callTool({ name: 'server_info', arguments: {} })) as CallToolResult;
      expect((info2.structuredContent as { transport: { auth: string; oauth: { resource: string } } }).transport).toMatchObject({ auth: 'oauth', oauth: { resource: s.handle.url } });
      const audit = listAudit(s.app.db, { clientId: `oauth:${info.client_id}`, limit: 10 });
      expect(audit).toEqual([expect.objectContaining({ tool: 'backtest', tier: 'compute', run_id: runId, ok: 1 })]);
    } finally {
      await client.close();
    }
  });

  it('a token granted only tradelab:read lists read tools only', async () => {
    const provider = new MemoryOAuthClient();
    await expect(connect(provider)).rejects.toThrow(UnauthorizedError);
    await new StreamableHTTPClientTransport(new URL(s.handle.url), { authProvider: provider }).finishAuth(await approve(provider.authorizationUrl as URL, ['tradelab:read']));
    const client = await connect(provider);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS.filter((t) => t.tier === 'read').map((t) => t.name).sort());
    } finally {
      await client.close();
    }
  });
});
