/** The stdio line transport over real streams: framing, oversize lines, malformed lines. */
import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { LineTransport } from '../../src/server/stdio-transport.js';

interface Rig {
  readonly stdin: PassThrough;
  readonly got: JSONRPCMessage[];
  readonly logs: string[];
  /** Lines written to stdout so far, parsed. */
  sent(): Record<string, unknown>[];
  settle(): Promise<void>;
}

async function rig(maxMessageBytes: number): Promise<Rig> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = '';
  stdout.setEncoding('utf8');
  stdout.on('data', (c: string) => (out += c));
  const got: JSONRPCMessage[] = [];
  const logs: string[] = [];
  const t = new LineTransport({ maxMessageBytes, limitName: 'config limits.max_body_bytes', hint: 'Send less.', stdin, stdout, log: (l) => logs.push(l) });
  t.onmessage = (m) => got.push(m);
  await t.start();
  return {
    stdin,
    got,
    logs,
    sent: () =>
      out
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    settle: () => new Promise((r) => setTimeout(r, 10)),
  };
}

const ping = (id: number | string): string => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });
/** A tools/call of about `bytes` bytes, serialised the way the TypeScript SDK does (id last). */
const bigCall = (id: number | string, bytes: number): string => JSON.stringify({ method: 'tools/call', params: { name: 'import_candles', arguments: { csv: 'x'.repeat(bytes) } }, jsonrpc: '2.0', id });

describe('LineTransport', () => {
  it('frames messages split across chunks, several per chunk, CRLF, blank lines and split UTF-8', async () => {
    const r = await rig(10_000);
    const withUtf8 = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'x', arguments: { s: 'é€𝄞' } } });
    const all = Buffer.from(`${ping(1)}\r\n\n${ping(2)}\n${withUtf8}\n`, 'utf8');
    const cut = all.indexOf(Buffer.from('€')) + 1; // inside a multi-byte character
    r.stdin.write(all.subarray(0, 5));
    r.stdin.write(all.subarray(5, cut));
    r.stdin.write(all.subarray(cut));
    await r.settle();
    expect(r.got.map((m) => (m as { id: number }).id)).toEqual([1, 2, 3]);
    expect(JSON.stringify(r.got[2])).toContain('é€𝄞');
    expect(r.sent()).toEqual([]);
  });

  it('a line over the limit is answered with an error naming its id and the limit, and the next line is served', async () => {
    const r = await rig(1_000);
    const line = bigCall('req-7', 50_000);
    for (let i = 0; i < line.length; i += 700) r.stdin.write(line.slice(i, i + 700)); // many pieces, newline last
    r.stdin.write(`\n${ping(8)}\n`);
    await r.settle();
    expect(r.got).toEqual([{ jsonrpc: '2.0', id: 8, method: 'ping' }]);
    const [err] = r.sent() as { id: unknown; error: { code: number; message: string } }[];
    expect(err.id).toBe('req-7');
    expect(err.error.code).toBe(-32000);
    expect(err.error.message).toBe(`Request too large: the message is ${Buffer.byteLength(line)} bytes, above the limit of 1000 bytes (config limits.max_body_bytes); it was not processed. Send less.`);
    expect(r.logs.join('\n')).toMatch(/refused tools\/call \(id "req-7"\) of \d+ bytes.*still serving/);
  });

  it('the limit is exact: a line of max bytes is served, one byte more is refused', async () => {
    const probe = (n: number): string => {
      const base = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: { pad: '' } } });
      return base.replace('"pad":""', `"pad":"${'p'.repeat(n - base.length)}"`);
    };
    const r = await rig(2_000);
    expect(Buffer.byteLength(probe(2_000))).toBe(2_000);
    r.stdin.write(`${probe(2_000)}\n${probe(2_001)}\n`);
    await r.settle();
    expect(r.got).toHaveLength(1);
    expect(r.sent()).toMatchObject([{ id: 1, error: { code: -32000 } }]);
  });

  it('an oversize notification (no id) is logged, not answered; nothing stays buffered', async () => {
    const r = await rig(1_000);
    r.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { pad: 'x'.repeat(5_000) } })}\n${ping(2)}\n`);
    await r.settle();
    expect(r.sent()).toEqual([]);
    expect(r.logs).toHaveLength(1);
    expect(r.logs[0]).toMatch(/refused notifications\/progress of 50\d\d bytes, above the limit of 1000/);
    expect(r.got).toHaveLength(1);
  });

  it('not JSON: parse error with id null; JSON but not JSON-RPC: invalid request with the id when it has one', async () => {
    const r = await rig(1_000);
    r.stdin.write('{"jsonrpc": "2.0", "id": 1, "meth\n');
    r.stdin.write(`${JSON.stringify({ jsonrpc: '1.0', id: 5, method: 'ping' })}\n[1,2]\n${ping(6)}\n`);
    await r.settle();
    expect(r.sent()).toMatchObject([
      { jsonrpc: '2.0', id: null, error: { code: -32700 } },
      { jsonrpc: '2.0', id: 5, error: { code: -32600 } },
      { jsonrpc: '2.0', id: null, error: { code: -32600 } },
    ]);
    expect(r.got).toEqual([{ jsonrpc: '2.0', id: 6, method: 'ping' }]);
  });
});
