/** AnswerWatch: a Transport passing everything on and telling when every request of a POST has its answer. */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { AnswerWatch } from '../../src/server/answer-watch.js';

function fakeTransport(fail = false): Transport & { sent: JSONRPCMessage[] } {
  const sent: JSONRPCMessage[] = [];
  return {
    sent,
    sessionId: 'sid',
    start: async () => undefined,
    close: async () => undefined,
    send: async (m) => {
      sent.push(m);
      if (fail) throw new Error('No connection established');
    },
  };
}

describe('AnswerWatch', () => {
  it('passes every message on and calls back once the last request is answered', async () => {
    const inner = fakeTransport();
    let calls = 0;
    const w = new AnswerWatch(inner, [1, 'b'], () => calls++);
    expect(w.settled).toBe(false);
    await w.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } }, { relatedRequestId: 1 });
    await w.send({ jsonrpc: '2.0', id: 1, result: {} });
    expect([w.settled, calls]).toEqual([false, 0]);
    await w.send({ jsonrpc: '2.0', id: 'b', error: { code: -1, message: 'x' } });
    expect([w.settled, calls]).toEqual([true, 1]);
    expect(inner.sent).toHaveLength(3);
    expect(w.sessionId).toBe('sid');
  });

  it('an answer that cannot be sent (the client went away) still counts as answered', async () => {
    let calls = 0;
    const w = new AnswerWatch(fakeTransport(true), [7], () => calls++);
    await expect(w.send({ jsonrpc: '2.0', id: 7, result: {} })).rejects.toThrow(/No connection/);
    expect([w.settled, calls]).toEqual([true, 1]);
  });

  it('the callbacks the server sets reach the transport underneath', () => {
    const inner = fakeTransport();
    const w = new AnswerWatch(inner, [], () => undefined);
    const onmessage = (): void => undefined;
    w.onmessage = onmessage;
    w.onclose = () => undefined;
    expect(inner.onmessage).toBe(onmessage);
    expect(w.onclose).toBe(inner.onclose);
    expect(w.settled).toBe(true);
  });
});
