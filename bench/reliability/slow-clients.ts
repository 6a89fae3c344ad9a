/**
 * Slow and oversize probes against the real CLI with its default limits:
 * - HTTP: 32 clients trickling one body byte every 2 s from one address, and 30 more from
 *   each of six other addresses (the attack); normal clients from those addresses
 *   must get 200 meanwhile, and the tricklers 408 with their sockets closed;
 * - HTTP: an oversize body gets 413; a JSON-RPC batch over the per-client cap gets 413 and is
 *   counted entry by entry;
 * - stdio: an 11 MiB message gets a JSON-RPC error and the server goes on serving.
 */
import { connect, type Socket } from 'node:net';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { raw, rpc } from '../../tests/server/http-helpers.js';
import { stdioSession } from '../../tests/helpers/stdio-client.js';
import { startHttp, Tally, tempHome, type Probe, type ProbeResult } from './probe.js';

function trickler(port: number, localAddress: string): { closed: Promise<string>; socket: Socket } {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  let text = '';
  let timer: NodeJS.Timeout | undefined;
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => (text += c));
  socket.on('error', () => undefined);
  socket.on('connect', () => {
    socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 100\r\n\r\n`);
    timer = setInterval(() => socket.writable && socket.write(' '), 2000);
  });
  return { socket, closed: new Promise((res) => socket.on('close', () => (clearInterval(timer), res(text)))) };
}

export function slowClientsProbe(): Probe {
  return {
    name: 'slow-oversize',
    what: '212 body tricklers from 7 addresses vs normal clients; oversize HTTP body and batch; 11 MiB stdio message',
    async run(): Promise<ProbeResult> {
      const t = new Tally('slow-oversize');
      const h = tempHome('slow');
      const server = await startHttp(h.dir, ['--allow', 'compute']);
      const port = Number(new URL(server.url).port);
      const slow: { closed: Promise<string>; socket: Socket }[] = [];
      let normalMs: number[] = [];
      try {
        for (let k = 0; k < 32; k++) slow.push(trickler(port, '127.0.0.1'));
        for (let a = 2; a <= 7; a++) for (let k = 0; k < 30; k++) slow.push(trickler(port, `127.0.0.${a}`));
        await new Promise((r) => setTimeout(r, 1500));
        for (let a = 1; a <= 7; a++) {
          for (let k = 0; k < 3; k++) {
            const t0 = Date.now();
            const r = await raw(server.url, { body: rpc('tools/call', { name: 'server_info', arguments: {} }), localAddress: `127.0.0.${a}` });
            normalMs.push(Date.now() - t0);
            t.check(r.status === 200, () => `normal client 127.0.0.${a} got ${r.status} during the trickle attack: ${r.body.slice(0, 200)}`);
          }
        }
        const answers = await Promise.all(slow.map((s) => s.closed));
        for (const a of answers) t.check(/^HTTP\/1\.1 408/.test(a), () => `a trickler got ${a.slice(0, 60) || 'no answer'} instead of 408`);
        normalMs = normalMs.sort((a, b) => a - b);
        const big = await raw(server.url, { body: Buffer.alloc(9_000_000, 0x20) });
        t.check(big.status === 413, () => `a 9 MB body got ${big.status}`);
        const batch = JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' })));
        const b = await raw(server.url, { body: batch });
        t.check(b.status === 413, () => `a 50-entry batch (over the per-client cap of 32) got ${b.status}`);
        const small = JSON.stringify(Array.from({ length: 3 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' })));
        const s = await raw(server.url, { body: small });
        t.check(s.status === 200, () => `a 3-entry batch got ${s.status}`);
      } finally {
        for (const s of slow) s.socket.destroy();
        await server.stop();
      }
      const stdio = await stdioSession(h.dir, 'reliability-oversize');
      try {
        let refused = false;
        try {
          await stdio.client.callTool({ name: 'import_candles', arguments: { csv: 'x'.repeat(11 * 1024 * 1024), symbol: 'HUGE', timeframe: '1h' } });
        } catch (e) {
          refused = /too large/i.test((e as Error).message);
        }
        t.check(refused, () => 'stdio: the 11 MiB message was not refused with "too large"');
        const info = (await stdio.client.callTool({ name: 'server_info', arguments: {} })) as CallToolResult;
        t.check(!info.isError && stdio.exitCode() === null, () => 'stdio: the server did not answer after the oversize message');
      } finally {
        await stdio.client.close();
        h.remove();
      }
      const p50 = normalMs[Math.floor(normalMs.length / 2)] ?? NaN;
      return t.result(`normal clients during the attack: p50 ${p50} ms, max ${normalMs[normalMs.length - 1]} ms; tricklers closed with 408`);
    },
  };
}
