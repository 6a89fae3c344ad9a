/**
 * Helpers for the OAuth tests: a started server in a temporary store with a movable clock, an
 * in-memory OAuthClientProvider for the SDK client, and the owner's approval on the consent
 * page performed over HTTP (what a browser would do).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import { openApp, type App } from '../../../src/research/app.js';
import { JobRunner } from '../../../src/research/jobs.js';
import { startHttpServer, type HttpHandle } from '../../../src/server/http.js';
import { resolveHttpMode, type HttpModeInput } from '../../../src/server/modes.js';
import { insertDataset } from '../../../src/storage/datasets.js';

export const OWNER = 'owner-token-0123456789abcdef';
export const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

export interface OAuthServer {
  readonly app: App;
  readonly jobs: JobRunner;
  readonly handle: HttpHandle;
  readonly origin: string;
  /** Moves the server's clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startOAuthServer(flags: HttpModeInput = { auth: 'oauth', token: OWNER, allow: 'compute' }): Promise<OAuthServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tradelab-oauth-'));
  let offset = 0;
  const app = openApp({ home: dir, dbFile: join(dir, 'tradelab.db'), config: {}, now: () => Date.now() + offset });
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 1500, seed: 5, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
  const jobs = new JobRunner(app);
  const handle = await startHttpServer({ app, jobs, mode: resolveHttpMode({ port: 0, ...flags }), log: () => undefined });
  return {
    app,
    jobs,
    handle,
    origin: new URL(handle.url).origin,
    advance: (ms) => {
      offset += ms;
    },
    close: async () => {
      await handle.close();
      await jobs.close();
      app.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The SDK client's view of one registered client: everything kept in memory. */
export class MemoryOAuthClient implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;
  constructor(private readonly meta: Partial<OAuthClientMetadata> = {}) {}
  get redirectUrl(): string {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'Test agent', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', ...this.meta };
  }
  state(): string {
    return 'state-123';
  }
  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.info = info;
  }
  tokens(): OAuthTokens | undefined {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string): void {
    this.verifier = v;
  }
  codeVerifier(): string {
    return this.verifier;
  }
}

export const cookie = `tradelab_token=${OWNER}`;

/** The hidden fields of the consent form. */
export function formFields(html: string): { request: string; nonce: string } {
  const field = (name: string): string => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';
  return { request: field('request'), nonce: field('nonce') };
}

/** GET /authorize (→ 302 to the consent page), then the consent page with the owner's cookie. */
export async function openConsent(authorizationUrl: URL | string): Promise<{ consentUrl: string; html: string; request: string; nonce: string }> {
  const start = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = start.headers.get('location');
  if (start.status !== 302 || !location?.startsWith('/oauth/consent')) throw new Error(`authorize answered ${start.status} ${location ?? (await start.text())}`);
  const consentUrl = new URL(location, authorizationUrl).href;
  const page = await fetch(consentUrl, { headers: { cookie }, redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${html}`);
  return { consentUrl, html, ...formFields(html) };
}

export function postConsent(origin: string, fields: Record<string, string | string[]>, headers: Record<string, string> = { cookie }): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of ([] as string[]).concat(v)) body.append(k, x);
  return fetch(`${origin}/oauth/consent`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body, redirect: 'manual' });
}

/** The owner approves `scopes` for the request behind `authorizationUrl`; returns the code sent to the redirect URI. */
export async function approve(authorizationUrl: URL | string, scopes: string[] = ['tradelab:read', 'tradelab:compute']): Promise<string> {
  const { request, nonce } = await openConsent(authorizationUrl);
  const res = await postConsent(new URL(authorizationUrl).origin, { request, nonce, scope: scopes, decision: 'approve' });
  const to = new URL(res.headers.get('location') ?? 'http://missing.invalid/');
  const code = to.searchParams.get('code');
  if (res.status !== 303 || !code) throw new Error(`consent answered ${res.status} → ${to.href}`);
  return code;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export async function form(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** A JSON-RPC request to /mcp with a bearer token; status, headers and body text. */
export async function mcpCall(url: string, token: string | null, method: string, params: Record<string, unknown> = {}): Promise<{ status: number; challenge: string | null; body: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.text() };
}
