/**
 * Hostile and slow HTTP clients, over real sockets on a free port: bodies trickled one byte
 * at a time, headers trickled (slowloris), silent connections, oversize bodies, a full body
 * budget, and JSON-RPC batches counted entry by entry. A request takes an admission slot
 * only once its body is in, so slow senders behind one address (a tunnel, a proxy) cannot
 * starve the other clients of that address, nor the server.
 */
import { connect, type Socket } from 'node:net';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/research/app.js';
import type { Limits } from '../../src/research/config.js';
import { JobRunner } from '../../src/research/jobs.js';
import { startHttpServer, type HttpHandle } from '../../src/server/http.js';
import { resolveHttpMode } from '../../src/server/modes.js';
import { raw, rpc, sleep, sseMessages, until } from './http-helpers.js';
import { withProbe } from './probe-tool.js';

const opened: { app: App; jobs: JobRunner; h: HttpHandle }[] = [];
const sockets: Socket[] = [];

afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const { app, jobs, h } of opened) {
    await h.close();
    await jobs.close();
    app.db.close();
  }
});

async function start(limits: Partial<Limits>, allow?: string): Promise<HttpHandle> {
  const app = openApp({ dbFile: ':memory:', home: '/nonexistent-tradelab-home', config: { limits } });
  const jobs = new JobRunner(app);
  const h = await startHttpServer({ app, jobs, mode: resolveHttpMode({ port: 0, allow }), makeServer: withProbe, log: () => undefined });
  opened.push({ app, jobs, h });
  return h;
}

interface Conn {
  readonly socket: Socket;
  /** Resolves when the server closes the connection: what it sent and when (ms after open). */
  readonly closed: Promise<{ text: string; ms: number }>;
}

/** A raw TCP connection from `localAddress` that writes `head` and then whatever `drip` returns, one piece every `everyMs`. */
function conn(port: number, localAddress: string, head: string, drip?: { piece: string; everyMs: number }): Conn {
  const t0 = Date.now();
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  sockets.push(socket);
  let text = '';
  let timer: NodeJS.Timeout | undefined;
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => (text += c));
  socket.on('error', () => undefined);
  const closed = new Promise<{ text: string; ms: number }>((resolve) => socket.on('close', () => (clearInterval(timer), resolve({ text, ms: Date.now() - t0 }))));
  socket.on('connect', () => {
    socket.write(head);
    if (drip) timer = setInterval(() => socket.writable && socket.write(drip.piece), drip.everyMs);
  });
  return { socket, closed };
}

const headers = (port: number, contentLength: number): string =>
  `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${contentLength}\r\n\r\n`;

/** A client that sends its headers and then one body byte every `everyMs` (a 100-byte body it never finishes in time). */
const trickler = (h: HttpHandle, localAddress: string, everyMs = 250): Conn => conn(h.port, localAddress, headers(h.port, 100), { piece: ' ', everyMs });

describe('slow bodies do not hold admission slots', () => {
  it('32 trickling clients on one address: a normal client there gets 200 at once; they get 408 and are closed', async () => {
    const h = await start({ header_timeout_seconds: 1, body_timeout_seconds: 1.5, max_requests_per_client: 4, max_concurrent_requests: 8, max_queued_requests: 2 });
    const slow = Array.from({ length: 32 }, () => trickler(h, '127.0.0.1'));
    expect(await until(() => h.bodies.inUse(), (n) => n >= 32)).toBeGreaterThanOrEqual(32); // all mid-body
    expect(h.gate.stats()).toEqual({ active: 0, queued: 0, clients: 0 });
    let closedSoFar = 0;
    for (const c of slow) void c.closed.then(() => closedSoFar++);
    const t0 = Date.now();
    const normal = await raw(h.url, { body: rpc('ping') });
    const normalMs = Date.now() - t0;
    expect(closedSoFar).toBe(0); // answered while every trickler was still sending
    expect(normal.status).toBe(200);
    expect(sseMessages(normal.body)[0]).toMatchObject({ id: 1, result: {} });
    const ends = await Promise.all(slow.map((c) => c.closed));
    for (const e of ends) {
      expect(e.text).toMatch(/^HTTP\/1\.1 408 /);
      expect(e.text).toMatch(/body_timeout_seconds/);
      expect(e.ms).toBeGreaterThanOrEqual(1_400);
      expect(e.ms).toBeLessThan(6_000);
    }
    console.info(`32 trickling clients on one address: a normal client there got 200 in ${normalMs} ms; the tricklers got 408 after ${Math.min(...ends.map((e) => e.ms))}–${Math.max(...ends.map((e) => e.ms))} ms`);
  });

  it('210 trickling clients from 7 addresses: no 503, clients on those and other addresses are served', async () => {
    const h = await start({ header_timeout_seconds: 1, body_timeout_seconds: 2, max_requests_per_client: 4, max_concurrent_requests: 8, max_queued_requests: 2 });
    const slow: Conn[] = [];
    for (let a = 2; a <= 8; a++) for (let i = 0; i < 30; i++) slow.push(trickler(h, `127.0.0.${a}`));
    // every trickler is mid-body (a byte or more of its 100 held), none holds a slot
    expect(await until(() => h.bodies.inUse(), (n) => n >= 210)).toBeGreaterThanOrEqual(210);
    expect(h.gate.stats().active).toBe(0);
    let closedSoFar = 0;
    for (const c of slow) void c.closed.then(() => closedSoFar++);
    const t0 = Date.now();
    const answers = await Promise.all(['127.0.0.2', '127.0.0.5', '127.0.0.9'].map((localAddress) => raw(h.url, { body: rpc('ping'), localAddress })));
    const ms = Date.now() - t0;
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(closedSoFar).toBe(0);
    const ends = await Promise.all(slow.map((c) => c.closed));
    expect(ends.filter((e) => /^HTTP\/1\.1 408 /.test(e.text))).toHaveLength(210);
    expect(h.bodies.inUse()).toBe(0);
    console.info(`210 trickling clients from 7 addresses: 3 normal clients got 200 in ${ms} ms`);
  });

  it('late headers (slowloris) and silent connections get 408 and are closed; others are served meanwhile', async () => {
    const h = await start({ header_timeout_seconds: 1, body_timeout_seconds: 1 });
    const loris = Array.from({ length: 20 }, () => conn(h.port, '127.0.0.1', `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\n`, { piece: 'X', everyMs: 200 }));
    const silent = conn(h.port, '127.0.0.1', '');
    await sleep(300);
    const ok = await raw(h.url, { body: rpc('ping') });
    expect(ok.status).toBe(200);
    for (const e of await Promise.all([...loris, silent].map((c) => c.closed))) {
      expect(e.text).toMatch(/^HTTP\/1\.1 408 /);
      expect(e.ms).toBeGreaterThanOrEqual(900);
      expect(e.ms).toBeLessThan(4_000);
    }
  });

  it('a request whose body is in is not timed: a tool call longer than every deadline completes', async () => {
    const h = await start({ header_timeout_seconds: 0.5, body_timeout_seconds: 0.5 });
    const r = await raw(h.url, { body: rpc('tools/call', { name: 'probe_job', arguments: { steps: 0, hold_ms: 3_000, use_job: false } }) });
    expect(r.status).toBe(200);
    const msg = sseMessages(r.body)[0] as { result: CallToolResult };
    expect(msg.result.structuredContent).toEqual({ aborted: false });
  });
});

describe('body size and the body budget', () => {
  it('413 at once for a declared size above max_body_bytes, without waiting for the body', async () => {
    const h = await start({ max_body_bytes: 10_000, body_timeout_seconds: 5 });
    const c = conn(h.port, '127.0.0.1', headers(h.port, 10_001));
    const t0 = Date.now();
    await until(() => c.socket.bytesRead, (n) => n > 0);
    expect(Date.now() - t0).toBeLessThan(1_000);
    c.socket.destroy();
    const { text } = await c.closed;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toMatch(/max_body_bytes/);
  });

  it('503 when the bodies held reach max_buffered_body_bytes; served again once the slow one is dropped', async () => {
    const h = await start({ max_body_bytes: 16_000, max_buffered_body_bytes: 20_000, body_timeout_seconds: 1 });
    // 12,000 of 16,000 declared bytes, then nothing: held until its deadline
    const stalled = conn(h.port, '127.0.0.1', headers(h.port, 16_000) + ' '.repeat(12_000));
    await sleep(200);
    const pad = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: { pad: 'x'.repeat(10_000) } } });
    const busy = await raw(h.url, { body: pad, localAddress: '127.0.0.2' });
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
    expect(JSON.parse(busy.body).error.message).toMatch(/max_buffered_body_bytes/);
    const { text } = await stalled.closed;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    const ok = await raw(h.url, { body: pad, localAddress: '127.0.0.2' });
    expect(ok.status).toBe(200);
    expect(await until(() => h.bodies.inUse(), (n) => n === 0)).toBe(0); // every body given back
  });
});

describe('waiting for a slot after the body is in', () => {
  it('a queued request whose client goes away gives its place back', async () => {
    const h = await start({ max_concurrent_requests: 1, max_queued_requests: 1 });
    const hold = rpc('tools/call', { name: 'probe_job', arguments: { steps: 0, hold_ms: 10_000, use_job: false } }, 99);
    const held = raw(h.url, { body: hold }).catch(() => null);
    await until(() => h.gate.stats().active, (n) => n === 1);
    const body = rpc('ping');
    const waiting = conn(h.port, '127.0.0.2', headers(h.port, Buffer.byteLength(body)) + body);
    expect(await until(() => h.gate.stats().queued, (n) => n === 1)).toBe(1);
    waiting.socket.destroy();
    expect(await until(() => h.gate.stats(), (st) => st.queued === 0)).toMatchObject({ active: 1, queued: 0, clients: 1 });
    const next = raw(h.url, { body, localAddress: '127.0.0.3' });
    await until(() => h.gate.stats().queued, (n) => n === 1); // the freed place is usable
    await h.close();
    await Promise.all([held, next.catch(() => null)]);
  });
});

describe('JSON-RPC batches count entry by entry', () => {
  const batch = (n: number, first = 1): string => JSON.stringify(Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: first + i, method: 'ping' })));

  it('a batch above what one request may carry gets 413 naming the limit; one within it is answered in full', async () => {
    const h = await start({ max_requests_per_client: 4, max_concurrent_requests: 8 });
    const over = await raw(h.url, { body: batch(5) });
    expect(over.status).toBe(413);
    const err = JSON.parse(over.body).error as { code: number; message: string };
    expect(err.code).toBe(-32600);
    expect(err.message).toMatch(/5 messages.*at most 4.*max_requests_per_client/);
    const ok = await raw(h.url, { body: batch(4) });
    expect(ok.status).toBe(200);
    expect(sseMessages(ok.body).map((m) => m.id).sort()).toEqual([1, 2, 3, 4]);
  });

  it('batch entries share the client limit with its running requests: 429 for the client, others served', async () => {
    const h = await start({ max_requests_per_client: 4, max_concurrent_requests: 8 });
    const hold = rpc('tools/call', { name: 'probe_job', arguments: { steps: 0, hold_ms: 10_000, use_job: false } }, 99);
    const held = [0, 1].map(() => raw(h.url, { body: hold }).catch(() => null));
    await until(() => h.gate.stats().active, (n) => n === 2);
    const refused = await raw(h.url, { body: batch(3) });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error.message).toMatch(/batch of 3 requests with 2 in flight, limit 4 per client/);
    const fits = await raw(h.url, { body: batch(2) });
    expect(fits.status).toBe(200);
    const other = await raw(h.url, { body: batch(4), localAddress: '127.0.0.2' });
    expect(other.status).toBe(200);
    expect(h.gate.stats().active).toBe(2);
    await h.close();
    await Promise.all(held);
  });
});
