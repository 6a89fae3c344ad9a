/**
 * The consent page and the metadata documents of `serve --http --auth oauth`: the owner's
 * sign-in (?token= → cookie, the same-site reload for a cookie withheld on a cross-site
 * arrival), the CSRF nonce, denial, an empty grant, escaping of the client's name, and
 * RFC 9728 / RFC 8414 metadata.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookie, formFields, OWNER, pkce, postConsent, REDIRECT, startOAuthServer, type OAuthServer } from './oauth-helpers.js';

let s: OAuthServer;
beforeAll(async () => {
  s = await startOAuthServer();
});
afterAll(async () => s?.close());

/** A registered client's authorization request, parked; the consent URL. */
async function pendingConsent(name = 'Agent <b>X</b>'): Promise<string> {
  const reg = await fetch(`${s.origin}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: name, redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }) });
  const { client_id } = (await reg.json()) as { client_id: string };
  const q = new URLSearchParams({ response_type: 'code', client_id, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 'st-9', scope: 'tradelab:read tradelab:write openid' });
  const res = await fetch(`${s.origin}/authorize?${q}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string, s.origin).href;
}

const get = (url: string, headers: Record<string, string> = {}): Promise<Response> => fetch(url, { headers, redirect: 'manual' });

describe('consent page', () => {
  it('the owner signs in once with ?token= (HttpOnly SameSite=Strict cookie); without it: a same-site reload, then a sign-in form', async () => {
    const url = await pendingConsent();
    const first = await get(url);
    expect(first.status).toBe(200);
    expect(await first.text()).toMatch(/http-equiv="refresh" content="0;url=\/oauth\/consent\?request=[^"&]+&amp;r=1"/);
    const second = await get(`${url}&r=1`);
    expect(second.status).toBe(401);
    expect(await second.text()).toContain('type="password" name="token"');
    expect((await get(`${url}&token=wrong`)).status).toBe(401);
    const signIn = await get(`${url}&token=${OWNER}`);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe(new URL(url).pathname + new URL(url).search);
    expect(signIn.headers.get('set-cookie')).toBe(`${cookie}; HttpOnly; SameSite=Strict; Path=/`);
    const page = await get(url, { cookie });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).toContain('Agent &lt;b&gt;X&lt;/b&gt;');
    expect(html).not.toContain('<b>X</b>');
    expect(html).toContain(REDIRECT);
    expect(html).toMatch(/value="tradelab:read" checked/);
    expect(html).toMatch(/value="tradelab:compute">/);
    expect(html).toMatch(/value="tradelab:write" checked>.*off on this server/);
    expect(html).toContain('Unknown scope(s) ignored: openid');
  });

  it('the form needs the owner, the nonce of the page it came from, a decision and a scope', async () => {
    const url = await pendingConsent();
    const { request, nonce } = formFields(await (await get(url, { cookie })).text());
    expect((await postConsent(s.origin, { request, nonce, scope: 'tradelab:read', decision: 'approve' }, {})).status).toBe(401);
    expect((await postConsent(s.origin, { request, nonce: 'forged', scope: 'tradelab:read', decision: 'approve' })).status).toBe(403);
    expect((await postConsent(s.origin, { request, nonce, scope: 'tradelab:read', decision: 'approve' }, { cookie, origin: 'https://evil.example' })).status).toBe(403);
    const empty = await postConsent(s.origin, { request, nonce, decision: 'approve' });
    expect(empty.status).toBe(400);
    const again = formFields(await empty.text());
    expect(again.nonce).not.toBe(nonce);
    // the earlier page's nonce no longer works once a new page was shown
    expect((await postConsent(s.origin, { request, nonce, scope: 'tradelab:read', decision: 'approve' })).status).toBe(403);
    const ok = await postConsent(s.origin, { request, nonce: again.nonce, scope: 'tradelab:read', decision: 'approve' });
    expect(ok.status).toBe(303);
    const to = new URL(ok.headers.get('location') as string);
    expect(to.origin + to.pathname).toBe(REDIRECT);
    expect(to.searchParams.get('code')).toMatch(/^tlc_/);
    expect(to.searchParams.get('state')).toBe('st-9');
    // decided once
    expect((await postConsent(s.origin, { request, nonce: again.nonce, scope: 'tradelab:read', decision: 'approve' })).status).toBe(400);
  });

  it('deny sends access_denied with the state back to the client', async () => {
    const url = await pendingConsent();
    const { request, nonce } = formFields(await (await get(url, { cookie })).text());
    const res = await postConsent(s.origin, { request, nonce, decision: 'deny' });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location') as string);
    expect(to.searchParams.get('error')).toBe('access_denied');
    expect(to.searchParams.get('state')).toBe('st-9');
    expect(to.searchParams.get('code')).toBeNull();
  });

  it('an unknown or expired request is a clear 400', async () => {
    expect((await get(`${s.origin}/oauth/consent?request=nope`, { cookie })).status).toBe(400);
    const url = await pendingConsent();
    s.advance(11 * 60_000);
    try {
      expect((await get(url, { cookie })).status).toBe(400);
    } finally {
      s.advance(-11 * 60_000);
    }
  });
});

describe('metadata', () => {
  it('protected resource metadata at both paths, authorization server metadata (S256, registration, refresh)', async () => {
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const res = await fetch(`${s.origin}${path}`, { headers: { origin: 'https://chatgpt.com' } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await res.json()).toEqual({ resource: s.handle.url, authorization_servers: [`${s.origin}/`], scopes_supported: ['tradelab:read', 'tradelab:compute', 'tradelab:write'], resource_name: 'tradelab' });
    }
    const as = (await (await fetch(`${s.origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as).toMatchObject({
      issuer: `${s.origin}/`,
      authorization_endpoint: `${s.origin}/authorize`,
      token_endpoint: `${s.origin}/token`,
      registration_endpoint: `${s.origin}/register`,
      revocation_endpoint: `${s.origin}/revoke`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    });
    const unknown = await fetch(`${s.origin}/.well-known/openid-configuration`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toBe('not_found');
  });

  it('the dashboard still takes the owner token; /mcp keeps its Origin check', async () => {
    expect((await get(`${s.origin}/`)).status).toBe(401);
    expect((await get(`${s.origin}/`, { cookie })).status).toBe(200);
    const res = await fetch(s.handle.url, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
  });
});
