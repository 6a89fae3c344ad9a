/**
 * The read-only dashboard over HTTP (without a browser; tests/report/*.browser.test.ts opens
 * it in Chromium): the index lists runs, studies, champions and datasets; a run page is its
 * report and refreshes while the run is running; Host/Origin checks and the token apply as
 * for /mcp; unknown paths are 404 and nothing but GET is accepted.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp, type App } from '../../src/research/app.js';
import { backtest } from '../../src/research/backtest.js';
import { JobRunner } from '../../src/research/jobs.js';
import { startHttpServer, type HttpHandle } from '../../src/server/http.js';
import { resolveHttpMode } from '../../src/server/modes.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { createRun } from '../../src/storage/runs.js';

const TOKEN = 'dashboard-token-0123456789abcdef';
let app: App;
let jobs: JobRunner;
let open: HttpHandle;
let authed: HttpHandle;
let runId: string;

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Res> {
  const u = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(u, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  app = openApp({ dbFile: ':memory:', home: '/nonexistent-tradelab-home', config: {} });
  jobs = new JobRunner(app);
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'DSH', timeframe: '1h', bars: 3000, seed: 5, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
  runId = backtest(app, { strategy: 'sma_cross', symbol: 'DSH', timeframe: '1h', params: { fast: 8, slow: 40 } }).run_id as string;
  open = await startHttpServer({ app, jobs, mode: resolveHttpMode({ port: 0 }), log: () => undefined });
  authed = await startHttpServer({ app, jobs, mode: resolveHttpMode({ port: 0, token: TOKEN }), log: () => undefined });
});
afterAll(async () => {
  await open.close();
  await authed.close();
  await jobs.close();
  app.db.close();
});

describe('dashboard', () => {
  it('the index lists runs, datasets and links to each run’s report', async () => {
    const r = await get(open.url, '/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain(`href="/runs/${runId}"`);
    expect(r.body).toMatch(/<td>DSH<\/td><td>1h<\/td>/);
    expect(r.body).not.toMatch(/<script[^>]+src=/);
  });

  it('a run page is the run’s report, with every chart; a running run refreshes itself', async () => {
    const r = await get(open.url, `/runs/${runId}`);
    expect(r.status).toBe(200);
    for (const id of ['price', 'equity', 'drawdown', 'exposure']) expect(r.body).toContain(`data-chart-id="${id}"`);
    expect(r.body).not.toMatch(/http-equiv="refresh"/);
    const running = createRun(app.db, { kind: 'optimize', status: 'running', strategy: 'sma_cross', spec: { strategy: 'sma_cross' }, now: Date.now() });
    const p = await get(open.url, `/runs/${running.id}`);
    expect(p.status).toBe(200);
    expect(p.body).toMatch(/http-equiv="refresh"/);
    const missing = await get(open.url, '/runs/bt_nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatch(/no run or study named &quot;bt_nope&quot;/);
  });

  it('unknown paths are 404, other methods 405; Host and Origin are checked as for /mcp', async () => {
    expect((await get(open.url, '/etc/passwd')).status).toBe(404);
    expect((await get(open.url, '/', {}, 'POST')).status).toBe(405);
    expect((await get(open.url, '/', { Host: 'evil.example' })).status).toBe(403);
    expect((await get(open.url, '/', { Origin: 'http://evil.example' })).status).toBe(403);
  });

  it('with a token: 401 without it; ?token= once sets an HttpOnly cookie that then suffices; a wrong one is refused', async () => {
    expect((await get(authed.url, '/')).status).toBe(401);
    expect((await get(authed.url, '/?token=wrong-token-0123456789')).status).toBe(401);
    const login = await get(authed.url, `/runs/${runId}?token=${TOKEN}`);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe(`/runs/${runId}`);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await get(authed.url, `/runs/${runId}`, { Cookie: cookie.split(';')[0] });
    expect(withCookie.status).toBe(200);
    expect((await get(authed.url, '/', { Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await get(authed.url, '/', { Cookie: 'tradelab_token=nope' })).status).toBe(401);
  });
});
