/**
 * End to end: the built CLI (`node bin/tradelab.js serve --http`, from dist/, which
 * `npm test` builds first) as a child process with a temp TRADELAB_HOME, driven by the SDK's
 * StreamableHTTPClientTransport and by raw HTTP requests.
 */
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { BIN, cliServers, type CliServers, type Started } from '../helpers/serve-cli.js';
import { httpClient, raw, rpc, until } from './http-helpers.js';

const TOKEN = 'e2e-token-6f1d0c9a8b7e6d5c';

let cli: CliServers;
const serve = (args: string[], env: Record<string, string> = {}): Promise<Started> => cli.serve(args, env);
const run = (args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> => cli.run(args, env);

let safe: Started;
let compute: Started;
let authed: Started;

beforeAll(async () => {
  cli = cliServers();
  [safe, compute, authed] = await Promise.all([serve([]), serve(['--allow', 'compute']), serve(['--allow', 'compute'], { TRADELAB_TOKEN: TOKEN })]);
});

afterAll(async () => cli?.cleanup());

const toolNames = async (c: Client): Promise<string[]> => (await c.listTools()).tools.map((t) => t.name).sort();

describe('tradelab serve --http (child process, SDK client)', () => {
  it('prints what it serves, the store, the tiers and how to connect', () => {
    const s = compute.stderr();
    expect(s).toMatch(/seeded demo dataset #1 DEMO-BTC 1h/);
    expect(s).toMatch(/local server, no auth; tiers: read, compute/);
    expect(s).toContain(`claude mcp add --transport http tradelab ${compute.url}`);
    expect(s).toContain(`store ${join(compute.home, 'tradelab.db')}`);
    expect(safe.stderr()).toMatch(/tiers: read \(off: compute, write; enable with --allow compute\)/);
  });

  it('safe mode lists only read tools; --allow compute adds the compute tier', async () => {
    const a = await httpClient(safe.url);
    const b = await httpClient(compute.url);
    try {
      expect(await toolNames(a)).toEqual(ALL_TOOLS.filter((t) => t.tier === 'read').map((t) => t.name).sort());
      expect(await toolNames(b)).toEqual(ALL_TOOLS.filter((t) => t.tier !== 'write').map((t) => t.name).sort());
      const refused = (await a.callTool({ name: 'backtest', arguments: { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h' } })) as CallToolResult;
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toMatch(/--allow compute/);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('backtests the seeded demo data over HTTP, and the run is readable as a resource', async () => {
    const c = await httpClient(compute.url);
    try {
      const r = (await c.callTool({ name: 'backtest', arguments: { strategy: 'sma_cross', params: { fast: 10, slow: 40 }, symbol: 'DEMO-BTC', timeframe: '1h' } })) as CallToolResult;
      expect(r.isError).toBeFalsy();
      const d = r.structuredContent as { run_id: string; range: { bars: number }; dataset: { synthetic: boolean }; trades: number };
      expect(d.range.bars).toBe(17_520);
      expect(d.dataset.synthetic).toBe(true);
      expect(d.trades).toBeGreaterThan(0);
      const res = await c.readResource({ uri: `tradelab://runs/${d.run_id}` });
      const doc = res.contents[0];
      expect('text' in doc && JSON.parse(doc.text)).toMatchObject({ run_id: d.run_id, status: 'succeeded' });
    } finally {
      await c.close();
    }
  });

  it('streams progress notifications from optimize and stops it on cancellation', async () => {
    const c = await httpClient(compute.url);
    try {
      const base = { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', sampler: 'random', seed: 1 };
      const seen: number[] = [];
      const done = (await c.callTool({ name: 'optimize', arguments: { ...base, n_trials: 8 } }, undefined, { onprogress: (p) => void seen.push(p.progress) })) as CallToolResult;
      expect(done.isError, JSON.stringify(done.content)).toBeFalsy();
      expect(done.structuredContent).toMatchObject({ status: 'succeeded' });
      expect(seen.length).toBeGreaterThan(0);
      expect(Math.max(...seen)).toBe(8); // one step per trial, up to n_trials

      const ac = new AbortController();
      let progressed = 0;
      const call = c.callTool({ name: 'optimize', arguments: { ...base, seed: 2, n_trials: 5_000 } }, undefined, { signal: ac.signal, onprogress: () => void progressed++ });
      await until(() => progressed, (n) => n > 0, 20_000);
      ac.abort('stop');
      await expect(call).rejects.toThrow();
      const runs = await until(
        async () => ((await c.callTool({ name: 'list_runs', arguments: { kind: 'optimize' } })) as CallToolResult).structuredContent as { runs: { status: string; run_id: string }[] },
        (r) => r.runs.some((x) => x.status === 'cancelled'),
        10_000,
      );
      const cancelled = runs.runs.find((x) => x.status === 'cancelled') as { status: string; run_id?: string } | undefined;
      expect(cancelled).toBeDefined();
      const row = (await c.callTool({ name: 'get_run', arguments: { run_id: cancelled?.run_id } })) as CallToolResult;
      const progress = (row.structuredContent as { progress: { done: number; total: number } | null }).progress;
      expect(progress?.done ?? 0).toBeLessThan(5_000); // stopped early; what finished is kept
    } finally {
      await c.close();
    }
  });
});

describe('tradelab serve --http refusals', () => {
  it('403 for a hostile Origin and a hostile Host', async () => {
    const origin = await raw(safe.url, { body: rpc('ping'), headers: { origin: 'https://evil.example.com' } });
    expect(origin.status).toBe(403);
    const host = await raw(safe.url, { body: rpc('ping'), headers: { host: 'evil.example.com' } });
    expect(host.status).toBe(403);
    expect((await raw(safe.url, { body: rpc('ping') })).status).toBe(200);
  });

  it('405 with Allow: POST for GET; 413 for an oversized body', async () => {
    const get = await raw(safe.url, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const big = await raw(safe.url, { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(8_100_000) } }) });
    expect(big.status).toBe(413);
  });

  it('401 with WWW-Authenticate without or with a wrong token; the token from $TRADELAB_TOKEN works', async () => {
    const none = await raw(authed.url, { body: rpc('ping') });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer realm="tradelab"/);
    const wrong = await raw(authed.url, { body: rpc('ping'), headers: { authorization: 'Bearer wrong-token' } });
    expect(wrong.status).toBe(401);
    const c = await httpClient(authed.url, { Authorization: `Bearer ${TOKEN}` });
    try {
      const info = (await c.callTool({ name: 'server_info', arguments: {} })) as CallToolResult;
      expect(info.structuredContent).toMatchObject({ mode: 'http', transport: { auth: 'bearer', remote: false } });
    } finally {
      await c.close();
    }
  });

  it('refuses to start remote + compute without a token (exit 2, clear message), and starts with one', async () => {
    const r = await run(['serve', '--http', '--host', '0.0.0.0', '--port', '0', '--allow', 'compute']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to start: this server is remote/);
    expect(r.stderr).toMatch(/TRADELAB_TOKEN/);
    const tunnel = await run(['serve', '--http', '--allowed-hosts', 'tunnel.example.com', '--port', '0', '--allow', 'compute,write']);
    expect(tunnel.code).toBe(2);
    expect(tunnel.stderr).toMatch(/tunnel\.example\.com/);
    const ok = await serve(['--allowed-hosts', 'tunnel.example.com', '--allow', 'compute'], { TRADELAB_TOKEN: TOKEN });
    expect(ok.stderr()).toMatch(/REMOTE server, bearer-token auth ON/);
    const viaTunnel = await raw(ok.url, { body: rpc('ping'), headers: { host: 'tunnel.example.com', authorization: `Bearer ${TOKEN}` } });
    expect(viaTunnel.status).toBe(200);
  });
});

describe('tradelab serve (stdio) still works', () => {
  it('serves all tiers over stdio', async () => {
    const home = cli.tempHome();
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve'], cwd: home, env: cli.childEnv(home) as Record<string, string>, stderr: 'pipe' });
    const c = new Client({ name: 'tradelab-e2e', version: '0.0.0' });
    await c.connect(transport);
    try {
      expect(await toolNames(c)).toEqual(ALL_TOOLS.map((t) => t.name).sort());
    } finally {
      await c.close();
    }
  });
});
