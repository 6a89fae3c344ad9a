/** `tradelab clients` through the built CLI (bin/tradelab.js → dist/), in a temporary TRADELAB_HOME. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/research/app.js';
import { recordAudit } from '../../src/storage/audit.js';
import { insertClient } from '../../src/storage/oauth-clients.js';
import { getToken, storeTokens } from '../../src/storage/oauth-tokens.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

let dir: string;
const ID = '3f2a9c1e-0000-4000-8000-000000000001';

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tradelab.js'), 'clients', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: dir }, timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-clients-cli-'));
  const app = openApp({ home: dir, config: {} });
  const now = Date.now();
  insertClient(app.db, { client_id: ID, client_name: 'Claude\n"connector"', metadata: JSON.stringify({ redirect_uris: ['https://claude.ai/api/mcp/auth_callback'] }), secret_hash: null, secret_expires_at: null, created_at: now - 1000 });
  insertClient(app.db, { client_id: '77777777-0000-4000-8000-000000000002', client_name: null, metadata: '{}', secret_hash: 'ab'.repeat(32), secret_expires_at: 0, created_at: now });
  const base = { client_id: ID, grant_id: 'g', scopes: 'tradelab:read tradelab:compute', resource: 'https://t.example/mcp', created_at: now, expires_at: now + 3_600_000 };
  storeTokens(app.db, [{ ...base, token_hash: 'a'.repeat(64), kind: 'access' }, { ...base, token_hash: 'b'.repeat(64), kind: 'refresh' }]);
  recordAudit(app.db, { at: now, client_id: `oauth:${ID}`, tool: 'backtest', tier: 'compute', run_id: 'run-1', ok: 1 });
  app.db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tradelab clients', () => {
  it('lists clients with their scopes, tokens and audited calls (--json and text)', () => {
    const r = cli(['list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { clients } = JSON.parse(r.stdout) as { clients: Record<string, unknown>[] };
    expect(clients.map((c) => c.client_id)).toEqual(['77777777-0000-4000-8000-000000000002', ID]);
    expect(clients[1]).toMatchObject({ name: 'Claude\n"connector"', status: 'active', confidential: false, scopes: ['tradelab:compute', 'tradelab:read'], access_tokens: 1, refresh_tokens: 1, calls: 1, redirect_uris: ['https://claude.ai/api/mcp/auth_callback'] });
    expect(clients[0]).toMatchObject({ confidential: true, name: null });
    expect(JSON.stringify(clients)).not.toMatch(/abab|aaaa/);
    const text = cli(['list']).stdout;
    expect(text).toContain('2 OAuth client(s)');
    expect(text).toContain('"Claude\\n\\"connector\\""');
  });

  it('revokes by id or unique prefix, removing its tokens; audit shows its calls', () => {
    expect(cli(['audit', '3f2a', '--json']).stdout).toContain('"tool":"backtest"');
    const r = cli(['revoke', '3f2a9c', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ client_id: ID, name: 'Claude\n"connector"', newly_revoked: true, tokens_removed: 2, codes_removed: 0 });
    const app = openApp({ home: dir, config: {} });
    try {
      expect(getToken(app.db, 'a'.repeat(64), 'access')).toBeUndefined();
    } finally {
      app.db.close();
    }
    expect(cli(['revoke', ID]).stdout).toMatch(/^Already revoked/);
    expect(cli(['list']).stdout).toMatch(/revoked, |revoked \d{4}/);
  });

  it('clear errors: unknown id, ambiguous or missing arguments', () => {
    const unknown = cli(['revoke', 'nope-nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no OAuth client "nope-nope".*expected: one of the ids/);
    expect(cli(['revoke']).stderr).toMatch(/needs a CLIENT_ID/);
    expect(cli(['frobnicate']).stderr).toMatch(/unknown command "frobnicate".*list, revoke/);
    expect(cli([]).code).toBe(2);
  });
});
