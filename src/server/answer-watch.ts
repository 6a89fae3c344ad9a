/**
 * A Transport that passes everything to another one and counts the answers: it knows which
 * requests of one POST are still unanswered and calls back once none is. The MCP server is
 * connected to it (the SDK's Transport interface, so nothing of the SDK's transport is
 * replaced), and the HTTP layer (src/server/http-mcp.ts) uses it to keep a request's server
 * until its handlers finish after the client dropped the connection: the response's own
 * events cannot tell, the stream is gone by then.
 */
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Id } from './http-messages.js';

export class AnswerWatch implements Transport {
  private readonly pending: Set<Id>;

  constructor(
    private readonly inner: Transport,
    requests: Iterable<Id>,
    /** Called after each answer that leaves no request unanswered. */
    private readonly onAllAnswered: () => void,
  ) {
    this.pending = new Set(requests);
  }

  /** Whether every request has been answered (sent, or failed to send). */
  get settled(): boolean {
    return this.pending.size === 0;
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const m = message as { id?: Id; result?: unknown; error?: unknown };
    const isAnswer = m.id !== undefined && ('result' in m || 'error' in m);
    try {
      await this.inner.send(message, options);
    } finally {
      if (isAnswer && this.pending.delete(m.id as Id) && this.settled) this.onAllAnswered();
    }
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  get onclose(): Transport['onclose'] {
    return this.inner.onclose;
  }

  set onclose(f: Transport['onclose']) {
    this.inner.onclose = f;
  }

  get onerror(): Transport['onerror'] {
    return this.inner.onerror;
  }

  set onerror(f: Transport['onerror']) {
    this.inner.onerror = f;
  }

  get onmessage(): Transport['onmessage'] {
    return this.inner.onmessage;
  }

  set onmessage(f: Transport['onmessage']) {
    this.inner.onmessage = f;
  }
}
