/**
 * The consent flow in Chromium, arriving the way a hosted connector sends the owner: from
 * another site (a client page on http://localhost, the server on http://127.0.0.1), so the
 * browser withholds the owner's SameSite=Strict cookie on that first request. The consent page
 * reloads itself same-site, the cookie is sent, the owner approves one scope, and the browser
 * lands on the client's redirect URI with a code that the client exchanges for a token.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, launchChromium, screenshotDir } from '../../helpers/browser.js';
import { form, mcpCall, OWNER, pkce, startOAuthServer, type OAuthServer } from './oauth-helpers.js';

let browser: Browser;
let s: OAuthServer;
let site: Server;
let siteOrigin: string;
let authorizeHref = '';

beforeAll(async () => {
  browser = await launchChromium();
  s = await startOAuthServer();
  site = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(req.url?.startsWith('/callback') ? '<p id="done">back at the client</p>' : `<a id="connect" href="${authorizeHref.replace(/&/g, '&amp;')}">Connect tradelab</a>`);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteOrigin = `http://localhost:${(site.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await s?.close();
  await new Promise((r) => site?.close(r));
});

describe('consent in a browser', () => {
  it('cross-site arrival → same-site reload with the owner cookie → approve → code at the client', async () => {
    const redirect = `${siteOrigin}/callback`;
    const reg = await fetch(`${s.origin}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Browser client', redirect_uris: [redirect], token_endpoint_auth_method: 'none' }) });
    const { client_id } = (await reg.json()) as { client_id: string };
    const { verifier, challenge } = pkce();
    authorizeHref = `${s.origin}/authorize?${new URLSearchParams({ response_type: 'code', client_id, redirect_uri: redirect, code_challenge: challenge, code_challenge_method: 'S256', state: 'b1', scope: 'tradelab:read tradelab:compute', resource: s.handle.url })}`;

    const context = await browser.newContext({ viewport: { width: 900, height: 800 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    try {
      // the owner signed in once (the dashboard, ?token= → cookie)
      await page.goto(`${s.origin}/?token=${OWNER}`);
      expect(page.url()).toBe(`${s.origin}/`);
      await page.goto(`${siteOrigin}/`);
      await page.click('#connect');
      await page.waitForSelector('button[value="approve"]');
      expect(page.url()).toMatch(/\/oauth\/consent\?request=.*&r=1$/);
      expect(await page.textContent('main')).toContain('“Browser client”');
      await page.screenshot({ path: join(screenshotDir(), 'oauth-consent.png'), fullPage: true });
      await page.uncheck('input[value="tradelab:compute"]');
      await page.click('button[value="approve"]');
      await page.waitForSelector('#done');
      const back = new URL(page.url());
      expect(back.origin + back.pathname).toBe(redirect);
      expect(back.searchParams.get('state')).toBe('b1');
      const code = back.searchParams.get('code') as string;
      const t = await form(`${s.origin}/token`, { grant_type: 'authorization_code', client_id, code, code_verifier: verifier, redirect_uri: redirect });
      expect(t.status, JSON.stringify(t.json)).toBe(200);
      expect(t.json.scope).toBe('tradelab:read');
      expect((await mcpCall(s.handle.url, t.json.access_token as string, 'tools/list')).status).toBe(200);
      expect(errors.all()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('without the owner cookie the browser gets the sign-in form, and the token once brings it to the consent page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${siteOrigin}/`);
      await page.click('#connect');
      await page.waitForSelector('input[name="token"]');
      expect(await page.textContent('h1')).toBe('Owner sign-in');
      await page.fill('input[name="token"]', OWNER);
      await page.click('button[type="submit"]');
      await page.waitForSelector('button[value="approve"]');
      expect(page.url()).not.toContain('token=');
    } finally {
      await context.close();
    }
  });
});
