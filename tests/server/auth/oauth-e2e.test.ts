/**
 * End to end: `tradelab serve --http --auth oauth` as a child process (the built CLI), the SDK
 * client's OAuth flow against it, then `tradelab clients` in another process on the same
 * store: list shows the client and its audited call, revoke cuts the running server's token
 * off at once. Plus the refusals of bad flag combinations and a remote start with --public-url.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliServers, type CliServers, type Started } from '../../helpers/serve-cli.js';
import { raw, rpc } from '../http-helpers.js';
import { approve, mcpCall, MemoryOAuthClient, OWNER } from './oauth-helpers.js';

let cli: CliServers;
let server: Started;
beforeAll(async () => {
  cli = cliServers();
  server = await cli.serve(['--auth', 'oauth', '--allow', 'compute'], { TRADELAB_TOKEN: OWNER });
});
afterAll(async () => cli?.cleanup());

describe('tradelab serve --http --auth oauth (child process)', () => {
  it('explains OAuth in the banner', () => {
    const s = server.stderr();
    expect(s).toMatch(/local server, OAuth 2\.1 ON \(built-in authorization server\); tiers: read, compute/);
    expect(s).toContain(`tokens are bound to ${server.url}`);
    expect(s).toMatch(/--allow is the ceiling, the scopes restrict each client/);
    expect(s).toMatch(/tradelab clients list \| revoke CLIENT_ID/);
  });

  it('SDK OAuth flow → backtest on the demo data → `clients list` shows it → `clients revoke` cuts it off', async () => {
    const provider = new MemoryOAuthClient({ client_name: 'e2e agent' });
    const connect = async (): Promise<Client> => {
      const c = new Client({ name: 'oauth-e2e', version: '0.0.0' });
      await c.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }));
      return c;
    };
    await expect(connect()).rejects.toThrow(UnauthorizedError);
    await new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }).finishAuth(await approve(provider.authorizationUrl as URL));
    const c = await connect();
    let runId: string;
    try {
      const r = (await c.callTool({ name: 'backtest', arguments: { strategy: 'sma_cross', params: { fast: 10, slow: 40 }, symbol: 'DEMO-BTC', timeframe: '1h' } })) as CallToolResult;
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      runId = (r.structuredContent as { run_id: string }).run_id;
    } finally {
      await c.close();
    }
    const clientId = (provider.info as { client_id: string }).client_id;
    const list = await cli.run(['clients', 'list', '--json'], {}, server.home);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).clients).toEqual([expect.objectContaining({ client_id: clientId, name: 'e2e agent', status: 'active', calls: 1, scopes: ['tradelab:compute', 'tradelab:read'] })]);
    const audit = await cli.run(['clients', 'audit', clientId, '--json'], {}, server.home);
    expect(JSON.parse(audit.stdout).entries).toEqual([expect.objectContaining({ client_id: `oauth:${clientId}`, tool: 'backtest', tier: 'compute', run_id: runId, ok: true })]);
    const token = (provider.saved as { access_token: string }).access_token;
    expect((await mcpCall(server.url, token, 'tools/list')).status).toBe(200);
    const revoke = await cli.run(['clients', 'revoke', clientId], {}, server.home);
    expect(revoke.stdout).toMatch(/^Revoked/);
    const after = await mcpCall(server.url, token, 'tools/list');
    expect(after.status).toBe(401);
    expect(after.challenge).toContain('resource_metadata=');
  });
});

describe('OAuth flag refusals and a remote start', () => {
  it('refuses --auth oauth without the owner token, and a remote OAuth server without --public-url (exit 2)', async () => {
    const noToken = await cli.run(['serve', '--http', '--auth', 'oauth']);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/--auth oauth needs the owner's token.*TRADELAB_TOKEN/);
    const noUrl = await cli.run(['serve', '--http', '--auth', 'oauth', '--allowed-hosts', 'tunnel.example.com'], { TRADELAB_TOKEN: OWNER });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/needs --public-url/);
    const stray = await cli.run(['serve', '--auth', 'oauth']);
    expect(stray.stderr).toMatch(/--auth only applies to the HTTP transport/);
  });

  it('behind a tunnel: --public-url makes it remote with compute, and the metadata names the public resource', async () => {
    const s = await cli.serve(['--auth', 'oauth', '--public-url', 'https://tunnel.example.com', '--allow', 'compute'], { TRADELAB_TOKEN: OWNER });
    expect(s.stderr()).toMatch(/REMOTE server, OAuth 2\.1 ON/);
    const prm = await raw(s.url.replace(/\/mcp$/, '/.well-known/oauth-protected-resource/mcp'), { method: 'GET', headers: { host: 'tunnel.example.com' } });
    expect(prm.status).toBe(200);
    expect(JSON.parse(prm.body)).toMatchObject({ resource: 'https://tunnel.example.com/mcp', authorization_servers: ['https://tunnel.example.com/'] });
    const unauth = await raw(s.url, { body: rpc('ping'), headers: { host: 'tunnel.example.com' } });
    expect(unauth.status).toBe(401);
    expect(unauth.headers['www-authenticate']).toContain('resource_metadata="https://tunnel.example.com/.well-known/oauth-protected-resource/mcp"');
  });
});
