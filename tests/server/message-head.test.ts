import { describe, expect, it } from 'vitest';
import { headMembers, messageHead, tailId } from '../../src/server/message-head.js';

/** The first and last `n` characters of a message, as the stdio transport keeps them. */
const ends = (text: string, n = 200): [string, string] => [text.slice(0, n), text.slice(-n)];
const big = { name: 'import_candles', arguments: { csv: 'timestamp,open\n'.repeat(1000), note: '{"id": 666, "method": "x"}' } };

describe('messageHead: method and id from the two ends of a cut message', () => {
  it('reads both from the head when the client puts them first (jsonrpc, id, method, params)', () => {
    const text = JSON.stringify({ jsonrpc: '2.0', id: 17, method: 'tools/call', params: big });
    expect(messageHead(...ends(text))).toEqual({ method: 'tools/call', id: 17 });
  });

  it('reads the id from the tail when the client sends it last (the TypeScript SDK: method, params, jsonrpc, id)', () => {
    const text = JSON.stringify({ method: 'tools/call', params: big, jsonrpc: '2.0', id: 'req-9' });
    expect(messageHead(...ends(text))).toEqual({ method: 'tools/call', id: 'req-9' });
    expect(messageHead(...ends(JSON.stringify({ method: 'tools/call', params: big, id: 3, jsonrpc: '2.0' })))).toEqual({ method: 'tools/call', id: 3 });
  });

  it('is not fooled by ids nested in params, in strings, or cut off', () => {
    // a nested "id" at the end of params is followed by two closing braces: not top-level
    const nested = JSON.stringify({ method: 'tools/call', params: { arguments: { x: 'y'.repeat(500), id: 5 } } });
    expect(messageHead(...ends(nested))).toEqual({ method: 'tools/call', id: undefined });
    expect(tailId('{"note":"a,\\"id\\":5}"}')).toBeUndefined();
    // the head is cut inside params, before the id
    const late = JSON.stringify({ jsonrpc: '2.0', method: 'tools/call', params: big, id: 8 }).slice(0, 300);
    expect(headMembers(late)).toEqual({ method: 'tools/call' });
    // a number at the cut may go on
    expect(headMembers('{"id": 12')).toEqual({});
    expect(headMembers('{"id": 12,')).toEqual({ id: 12 });
  });

  it('a notification has a method and no id; text that is not a JSON object gives nothing', () => {
    expect(messageHead(...ends(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: big })))).toEqual({ method: 'notifications/message', id: undefined });
    expect(messageHead('xxxxxxxx', 'yyyyyy')).toEqual({ method: undefined, id: undefined });
    expect(messageHead('[{"id":1,"method":"ping"}', ']')).toEqual({ method: undefined, id: undefined });
    expect(messageHead('{"\\x": 1}', '')).toEqual({});
  });
});
