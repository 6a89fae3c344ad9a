/** Helpers for the HTTP transport tests: raw requests and an SDK client over Streamable HTTP. */
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface RawOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Source address (127.0.0.x) so one test can act as several clients. */
  readonly localAddress?: string;
  /** Stream the body in chunks without a Content-Length. */
  readonly chunked?: boolean;
}

export const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };

export function rpc(method: string, params: Record<string, unknown> = {}, id: number | string = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}

export function raw(url: string, o: RawOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const headers: Record<string, string> = { ...(o.method === 'GET' || o.method === 'DELETE' ? {} : MCP_HEADERS), ...o.headers };
    if (o.body !== undefined && !o.chunked) headers['content-length'] = String(Buffer.byteLength(o.body));
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: o.method ?? 'POST', headers, localAddress: o.localAddress, setHost: headers.host === undefined && headers.Host === undefined }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (o.body !== undefined && o.chunked) {
      const b = Buffer.from(o.body);
      for (let i = 0; i < b.length; i += 65_536) req.write(b.subarray(i, i + 65_536));
      req.end();
    } else req.end(o.body);
  });
}

/**
 * Starts a POST whose response streams (SSE) and resolves once the first chunk arrived;
 * `close()` drops the connection (a disconnect, not a cancellation).
 */
export function openStream(url: string, body: string, localAddress?: string): Promise<{ status: number; first: string; done: Promise<string>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ...MCP_HEADERS, 'content-length': String(Buffer.byteLength(body)) }, localAddress }, (res) => {
      res.setEncoding('utf8');
      let all = '';
      let first = true;
      const done = new Promise<string>((res2) => {
        res.on('end', () => res2(all));
        res.on('close', () => res2(all));
      });
      res.on('data', (c: string) => {
        all += c;
        if (first) {
          first = false;
          resolve({ status: res.statusCode ?? 0, first: c, done, close: () => req.destroy() });
        }
      });
      res.on('end', () => {
        if (first) resolve({ status: res.statusCode ?? 0, first: all, done, close: () => req.destroy() });
      });
    });
    req.on('error', (e) => {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(e);
    });
    req.end(body);
  });
}

export async function httpClient(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'tradelab-http-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** The JSON-RPC messages in an SSE body. */
export function sseMessages(body: string): Record<string, unknown>[] {
  return body
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until<T>(f: () => Promise<T> | T, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > end) return v;
    await sleep(25);
  }
}
