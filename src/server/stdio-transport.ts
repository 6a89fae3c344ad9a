/**
 * The stdio transport: one JSON-RPC message per line on stdin, one per line on stdout.
 *
 * It replaces the SDK's StdioServerTransport because of how that one reads: its ReadBuffer
 * throws once 10 MiB are buffered without a newline, and the transport then closes itself,
 * so the server exited with code 0, without a word, taking the session's running jobs with
 * it (and it re-copies the buffer on every chunk). Here a line longer than `maxMessageBytes`
 * is discarded as it arrives (only its first and last few KiB are kept), answered with a
 * JSON-RPC error carrying its id when the id can be read from those ends (else a log line
 * on stderr), and the next line is served as usual. A line that is not JSON gets a parse
 * error (-32700), one that is not JSON-RPC an invalid-request error (-32600).
 */
import process from 'node:process';
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { messageHead, type RpcId } from './message-head.js';

const KEEP_HEAD = 4096;
const KEEP_TAIL = 1024;
const NEWLINE = 0x0a;

export interface LineTransportOptions {
  /** Bytes of one message (one line, without its newline). */
  readonly maxMessageBytes: number;
  /** Names the limit in errors, e.g. "config limits.max_body_bytes". */
  readonly limitName: string;
  /** Appended to the oversize error: how to send less. */
  readonly hint?: string;
  readonly stdin?: Readable;
  readonly stdout?: Writable;
  /** Log sink (default: stderr). */
  readonly log?: (line: string) => void;
}

interface Oversize {
  head: Buffer;
  tail: Buffer;
  bytes: number;
}

/** The last `n` bytes of `bufs` joined. */
function lastBytes(bufs: readonly Buffer[], n: number): Buffer {
  const keep: Buffer[] = [];
  let size = 0;
  for (let i = bufs.length - 1; i >= 0 && size < n; i--) {
    keep.unshift(bufs[i]);
    size += bufs[i].length;
  }
  const all = Buffer.concat(keep, size);
  return Buffer.from(all.subarray(Math.max(0, all.length - n)));
}

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private readonly stdin: Readable;
  private readonly stdout: Writable;
  private readonly log: (line: string) => void;
  private parts: Buffer[] = [];
  private size = 0;
  private oversize: Oversize | null = null;
  private started = false;

  constructor(private readonly opts: LineTransportOptions) {
    this.stdin = opts.stdin ?? process.stdin;
    this.stdout = opts.stdout ?? process.stdout;
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('LineTransport already started');
    this.started = true;
    this.stdin.on('data', this.onData);
    this.stdin.on('error', this.onStreamError);
  }

  async close(): Promise<void> {
    this.stdin.off('data', this.onData);
    this.stdin.off('error', this.onStreamError);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.parts = [];
    this.size = 0;
    this.oversize = null;
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.stdout.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.stdout.once('drain', resolve);
    });
  }

  private readonly onStreamError = (e: Error): void => this.onerror?.(e);

  private readonly onData = (chunk: Buffer | string): void => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(NEWLINE, pos);
      this.take(buf.subarray(pos, nl === -1 ? buf.length : nl));
      if (nl === -1) return;
      this.endLine();
      pos = nl + 1;
    }
  };

  /** Adds a piece of the current line; past the limit, keeps only its two ends. */
  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    const o = this.oversize;
    if (o) {
      o.bytes += piece.length;
      o.tail = lastBytes([o.tail, piece], KEEP_TAIL);
      return;
    }
    if (this.size + piece.length <= this.opts.maxMessageBytes) {
      this.parts.push(piece);
      this.size += piece.length;
      return;
    }
    const all = [...this.parts, piece];
    this.oversize = { head: Buffer.concat(all, Math.min(KEEP_HEAD, this.size + piece.length)), tail: lastBytes(all, KEEP_TAIL), bytes: this.size + piece.length };
    this.parts = [];
    this.size = 0;
  }

  private endLine(): void {
    const o = this.oversize;
    if (o) {
      this.oversize = null;
      return this.refuse(o);
    }
    const line = Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    const text = line.toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.fail(null, -32700, 'Parse error: the line is not valid JSON (stdio carries one JSON-RPC message per line)');
    }
    const parsed = JSONRPCMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const r = raw as { id?: unknown; method?: unknown } | null;
      const id = r && typeof r === 'object' && typeof r.method === 'string' && (typeof r.id === 'string' || typeof r.id === 'number') ? r.id : null;
      return this.fail(id, -32600, 'Invalid Request: the line is not a JSON-RPC 2.0 message');
    }
    this.onmessage?.(parsed.data);
  }

  private refuse(o: Oversize): void {
    const { method, id } = messageHead(o.head.toString('utf8'), o.tail.toString('utf8'));
    const max = this.opts.maxMessageBytes;
    const what = `${method ?? 'a message'}${id !== undefined ? ` (id ${JSON.stringify(id)})` : ''}`;
    const answered = method !== undefined && id !== undefined; // a request: the client waits for its answer
    this.log(`tradelab stdio: refused ${what} of ${o.bytes} bytes, above the limit of ${max} (${this.opts.limitName})${answered ? '; answered with an error' : ''}; still serving`);
    if (answered) {
      this.fail(id, -32000, `Request too large: the message is ${o.bytes} bytes, above the limit of ${max} bytes (${this.opts.limitName}); it was not processed.${this.opts.hint ? ` ${this.opts.hint}` : ''}`, false);
    }
  }

  private fail(id: RpcId | null, code: number, message: string, log = true): void {
    if (log) this.log(`tradelab stdio: ${message}`);
    this.onerror?.(new Error(message));
    this.send({ jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage).catch(() => undefined);
  }
}
