/**
 * The HTTP transport in-process: real node:http server, real SDK client over Streamable
 * HTTP. A probe tool (./probe-tool.ts, registered through the same register.ts path as real
 * tools) runs a job that reports progress and can be held open, to test progress,
 * cancellation, a dropped connection, and admission limits without depending on any tool.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp, type App } from '../../src/research/app.js';
import { JobRunner } from '../../src/research/jobs.js';
import { startHttpServer, type HttpHandle } from '../../src/server/http.js';
import { resolveHttpMode, type HttpModeInput } from '../../src/server/modes.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { getRun, listRuns } from '../../src/storage/runs.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { httpClient, openStream, raw, rpc, sleep, sseMessages, until } from './http-helpers.js';
import { withProbe } from './probe-tool.js';


let app: App;
let jobs: JobRunner;
const servers: HttpHandle[] = [];
const extraApps: { app: App; jobs: JobRunner }[] = [];

async function start(flags: HttpModeInput, configLimits: Record<string, number> = {}): Promise<HttpHandle> {
  const a = Object.keys(configLimits).length ? openApp({ dbFile: ':memory:', home: '/nonexistent-tradelab-home', config: { limits: configLimits } }) : app;
  const j = a === app ? jobs : new JobRunner(a);
  if (a !== app) extraApps.push({ app: a, jobs: j });
  const h = await startHttpServer({ app: a, jobs: j, mode: resolveHttpMode({ port: 0, ...flags }), makeServer: withProbe, log: () => undefined });
  servers.push(h);
  return h;
}

const TOKEN = 'test-token-0123456789abcdef';
let ro: HttpHandle;
let compute: HttpHandle;
let authed: HttpHandle;
let client: Client;

beforeAll(async () => {
  app = openApp({ dbFile: ':memory:', home: '/nonexistent-tradelab-home', config: { limits: { max_body_bytes: 50_000 } } });
  jobs = new JobRunner(app);
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 2000, seed: 3, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
  ro = await start({});
  compute = await start({ allow: 'compute' });
  authed = await start({ allow: 'compute', token: TOKEN });
  client = await httpClient(compute.url);
});

afterAll(async () => {
  await client?.close();
  for (const s of servers) await s.close();
  await jobs?.close();
  app?.db.close();
  for (const x of extraApps) {
    await x.jobs.close();
    x.app.db.close();
  }
});

const names = (tools: { name: string }[]): string[] => tools.map((t) => t.name).filter((n) => n !== 'probe_job').sort();

describe('stateless Streamable HTTP with the SDK client', () => {
  it('safe mode lists only read tools; --allow compute adds compute tools, never write ones', async () => {
    const roClient = await httpClient(ro.url);
    try {
      const { tools } = await roClient.listTools();
      expect(names(tools)).toEqual(ALL_TOOLS.filter((t) => t.tier === 'read').map((t) => t.name).sort());
      const refused = (await roClient.callTool({ name: 'backtest', arguments: { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h' } })) as CallToolResult;
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toMatch(/--allow compute/);
    } finally {
      await roClient.close();
    }
    const { tools } = await client.listTools();
    expect(names(tools)).toEqual(ALL_TOOLS.filter((t) => t.tier !== 'write').map((t) => t.name).sort());
  });

  it('runs a backtest and reports the HTTP mode in server_info', async () => {
    const r = (await client.callTool({ name: 'backtest', arguments: { strategy: 'sma_cross', params: { fast: 5, slow: 20 }, symbol: 'SYN', timeframe: '1h' } })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    const d = r.structuredContent as { run_id: string; trades: number; range: { bars: number } };
    expect(d.run_id).toMatch(/^bt_/);
    expect(d.range.bars).toBe(2000);
    const info = (await client.callTool({ name: 'server_info', arguments: {} })) as CallToolResult;
    const s = info.structuredContent as { mode: string; transport: { url: string; remote: boolean; auth: string; allowed_hosts: string[] } };
    expect(s.mode).toBe('http');
    expect(s.transport).toEqual({ url: compute.url, remote: false, auth: 'none', allowed_hosts: [], allowed_origins: [] });
  });

  it('streams progress notifications to the caller (SSE response mode)', async () => {
    const seen: { progress: number; total?: number; message?: string }[] = [];
    const r = (await client.callTool({ name: 'probe_job', arguments: { steps: 5, hold_ms: 0, use_job: true } }, undefined, { onprogress: (p) => void seen.push(p) })) as CallToolResult;
    expect(r.structuredContent).toMatchObject({ status: 'succeeded' });
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.map((p) => p.progress).slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(seen[0]).toMatchObject({ total: 5, message: 'step 1' });
  });

  it('a client cancellation (a separate POST) reaches the running request and cancels its job', async () => {
    const ac = new AbortController();
    let progressed = false;
    const call = client.callTool({ name: 'probe_job', arguments: { steps: 1, hold_ms: 15_000, use_job: true } }, undefined, {
      signal: ac.signal,
      onprogress: () => {
        progressed = true;
      },
    });
    await until(() => progressed, (v) => v);
    expect(progressed).toBe(true);
    const running = listRuns(app.db, { kind: 'optimize', status: 'running', limit: 5, offset: 0 }).runs;
    expect(running).toHaveLength(1);
    const t0 = Date.now();
    ac.abort('user pressed stop');
    await expect(call).rejects.toThrow();
    const row = await until(() => getRun(app.db, running[0].id), (r) => r?.status === 'cancelled');
    expect(row?.status).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('a dropped connection is not a cancellation: the job keeps running and finishes', async () => {
    const body = rpc('tools/call', { name: 'probe_job', arguments: { steps: 1, hold_ms: 400, use_job: true }, _meta: { progressToken: 'p1' } }, 77);
    const s = await openStream(compute.url, body);
    expect(s.status).toBe(200);
    expect(sseMessages(s.first)[0]).toMatchObject({ method: 'notifications/progress' });
    s.close();
    const run = listRuns(app.db, { kind: 'optimize', status: 'running', limit: 5, offset: 0 }).runs[0];
    expect(run).toBeDefined();
    await sleep(100);
    expect(getRun(app.db, run.id)?.status).toBe('running');
    const done = await until(() => getRun(app.db, run.id), (r) => r?.status !== 'running');
    expect(done?.status).toBe('succeeded');
  });
});

describe('HTTP-level refusals', () => {
  it('403 for a hostile Host or Origin, with a JSON-RPC error body', async () => {
    const host = await raw(compute.url, { body: rpc('ping'), headers: { host: 'evil.example.com' } });
    expect(host.status).toBe(403);
    expect(JSON.parse(host.body).error.message).toMatch(/Host "evil.example.com" is not allowed/);
    const origin = await raw(compute.url, { body: rpc('ping'), headers: { origin: 'https://evil.example.com' } });
    expect(origin.status).toBe(403);
    expect(origin.body).toMatch(/Origin/);
    // the MCP Inspector's browser UI runs at http://localhost:6274: a loopback server accepts it
    const inspector = await raw(compute.url, { body: rpc('ping'), headers: { origin: 'http://localhost:6274' } });
    expect(inspector.status).toBe(200);
    expect(inspector.headers['access-control-allow-origin']).toBe('http://localhost:6274');
    const sameOrigin = await raw(compute.url, { body: rpc('ping'), headers: { origin: `http://localhost:${compute.port}` } });
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.headers['access-control-allow-origin']).toBe(`http://localhost:${compute.port}`);
    // a remote-bound server stays strict: a loopback origin of another port is refused
    const remote = await start({ host: '0.0.0.0', token: TOKEN });
    const otherPort = await raw(remote.url.replace('0.0.0.0', '127.0.0.1'), { body: rpc('ping'), headers: { origin: `http://localhost:${remote.port + 1}`, authorization: `Bearer ${TOKEN}` } });
    expect(otherPort.status).toBe(403);
    expect(otherPort.body).toMatch(/Origin/);
  });

  it('405 with Allow: POST for GET and DELETE; 404 elsewhere', async () => {
    for (const method of ['GET', 'DELETE', 'PUT']) {
      const r = await raw(compute.url, { method });
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe('POST');
    }
    const nf = await raw(compute.url.replace('/mcp', '/other'), { body: rpc('ping') });
    expect(nf.status).toBe(404);
    expect(nf.body).toMatch(/POST \/mcp/);
  });

  it('413 for a body above limits.max_body_bytes, declared or streamed; 400 for invalid JSON', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(60_000) } });
    const declared = await raw(compute.url, { body: big });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatch(/50000/);
    const streamed = await raw(compute.url, { body: big, chunked: true });
    expect(streamed.status).toBe(413);
    const bad = await raw(compute.url, { body: '{"jsonrpc":' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe(-32700);
    // just under the limit is fine
    const ok = await raw(compute.url, { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: { pad: 'x'.repeat(40_000) } } }) });
    expect(ok.status).toBe(200);
  });

  it('401 with WWW-Authenticate without or with a wrong token; the right token works', async () => {
    const none = await raw(authed.url, { body: rpc('ping') });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="tradelab"');
    const wrong = await raw(authed.url, { body: rpc('ping'), headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/^Bearer realm="tradelab", error="invalid_token"$/);
    await expect(httpClient(authed.url)).rejects.toThrow();
    const c = await httpClient(authed.url, { Authorization: `Bearer ${TOKEN}` });
    try {
      const info = (await c.callTool({ name: 'server_info', arguments: {} })) as CallToolResult;
      expect(info.structuredContent).toMatchObject({ transport: { auth: 'bearer' } });
    } finally {
      await c.close();
    }
  });
});

describe('admission limits: a flooding client is refused while others are served', () => {
  it('429 over the per-client share, 503 when the global queue is full, others still served', async () => {
    const h = await start({}, { max_requests_per_client: 3, max_concurrent_requests: 4, max_queued_requests: 1 });
    const hold = rpc('tools/call', { name: 'probe_job', arguments: { steps: 0, hold_ms: 10_000, use_job: false } }, 1);
    // the probe sends nothing until it ends, so hold the requests with raw, unresolved streams
    const held = [0, 1, 2].map(() => raw(h.url, { body: hold }).catch(() => null));
    await until(() => h.gate.stats().active, (n) => n === 3);
    const flood = await raw(h.url, { body: rpc('ping') });
    expect(flood.status).toBe(429);
    expect(flood.headers['retry-after']).toBe('1');
    expect(JSON.parse(flood.body).error.message).toMatch(/limit 3 per client/);
    // another client is served at once
    const other = await raw(h.url, { body: rpc('ping'), localAddress: '127.0.0.2' });
    expect(other.status).toBe(200);
    // fill the last slot and the one queue place, then the next client gets 503
    const fourth = raw(h.url, { body: hold, localAddress: '127.0.0.2' }).catch(() => null);
    await until(() => h.gate.stats().active, (n) => n === 4);
    const queued = raw(h.url, { body: rpc('ping'), localAddress: '127.0.0.3' });
    await until(() => h.gate.stats().queued, (n) => n === 1);
    const busy = await raw(h.url, { body: rpc('ping'), localAddress: '127.0.0.4' });
    expect(busy.status).toBe(503);
    expect(busy.body).toMatch(/busy/);
    await h.close();
    await Promise.all([...held, fourth, queued.catch(() => null)]);
  });
});
