import { describe, expect, it } from 'vitest';
import { RequestGate } from '../../src/server/request-gate.js';

async function take(gate: RequestGate, client: string): Promise<() => void> {
  const a = gate.admit(client);
  if (!a.ok) throw new Error(`refused: ${a.message}`);
  return a.ticket;
}

describe('RequestGate', () => {
  it('admits up to maxActive at once and queues the rest', async () => {
    const gate = new RequestGate({ maxActive: 2, maxQueued: 10, maxPerClient: 10 });
    const r1 = await take(gate, 'a');
    await take(gate, 'b');
    const waiting = gate.admit('c');
    expect(waiting.ok).toBe(true);
    expect(gate.stats()).toMatchObject({ active: 2, queued: 1 });
    let granted = false;
    if (waiting.ok) void waiting.ticket.then(() => (granted = true));
    await Promise.resolve();
    expect(granted).toBe(false);
    r1();
    await new Promise((r) => setTimeout(r, 0));
    expect(granted).toBe(true);
    expect(gate.stats()).toMatchObject({ active: 2, queued: 0 });
  });

  it('refuses a client over its share with 429 and a full queue with 503', async () => {
    const gate = new RequestGate({ maxActive: 1, maxQueued: 2, maxPerClient: 2 });
    await take(gate, 'flood');
    expect(gate.admit('flood').ok).toBe(true); // queued
    const over = gate.admit('flood');
    expect(over.ok).toBe(false);
    if (!over.ok) {
      expect(over.status).toBe(429);
      expect(over.message).toMatch(/limit 2 per client/);
    }
    expect(gate.admit('b').ok).toBe(true); // queued (2 of 2)
    const full = gate.admit('c');
    expect(full.ok).toBe(false);
    if (!full.ok) {
      expect(full.status).toBe(503);
      expect(full.message).toMatch(/busy/);
    }
  });

  it('hands free slots out round-robin across clients, so a flood does not starve others', async () => {
    const gate = new RequestGate({ maxActive: 1, maxQueued: 100, maxPerClient: 100 });
    const first = await take(gate, 'flood');
    const order: string[] = [];
    const grants: Promise<void>[] = [];
    const queue = (client: string, tag: string): void => {
      const a = gate.admit(client);
      if (!a.ok) throw new Error('refused');
      grants.push(
        a.ticket.then((release) => {
          order.push(tag);
          release();
        }),
      );
    };
    for (let i = 0; i < 5; i++) queue('flood', `f${i}`);
    queue('other', 'o0');
    first();
    await Promise.all(grants);
    // 'other' arrived after five flood requests but is served second, not sixth
    expect(order.indexOf('o0')).toBe(1);
    expect(order.filter((t) => t.startsWith('f'))).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
    expect(gate.stats()).toEqual({ active: 0, queued: 0, clients: 0 });
  });

  it('an abandoned waiter frees its place and its client share; release is idempotent', async () => {
    const gate = new RequestGate({ maxActive: 1, maxQueued: 1, maxPerClient: 5 });
    const r = await take(gate, 'a');
    const w = gate.admit('b');
    expect(w.ok).toBe(true);
    expect(gate.admit('c').ok).toBe(false); // queue full
    w.abandon?.();
    expect(gate.stats()).toMatchObject({ active: 1, queued: 0, clients: 1 });
    expect(gate.admit('c').ok).toBe(true);
    r();
    r();
    await new Promise((res) => setTimeout(res, 0));
    expect(gate.stats()).toMatchObject({ active: 1, queued: 0 });
  });

  it('counts a batch as its number of entries against the client share and the slots', async () => {
    const gate = new RequestGate({ maxActive: 4, maxQueued: 4, maxPerClient: 3 });
    expect(gate.maxWeight()).toBe(3);
    const batch = gate.admit('a', 3);
    expect(batch.ok).toBe(true);
    expect(gate.stats()).toMatchObject({ active: 3, queued: 0 });
    const more = gate.admit('a');
    expect(more.ok).toBe(false);
    if (!more.ok) expect(more.message).toMatch(/3 in flight, limit 3 per client/);
    // a batch of 2 from another client does not fit the one free slot: it waits
    const b = gate.admit('b', 2);
    expect(b.ok).toBe(true);
    expect(gate.stats()).toMatchObject({ active: 3, queued: 2 });
    // and a single request behind it waits too (no starving the batch), then the queue is full
    const c = gate.admit('c');
    expect(c.ok).toBe(true);
    expect(gate.stats()).toMatchObject({ active: 3, queued: 3 });
    const full = gate.admit('d', 2);
    expect(full.ok).toBe(false);
    if (!full.ok) expect(full.status).toBe(503);
    const order: string[] = [];
    if (b.ok) void b.ticket.then(() => order.push('b'));
    if (c.ok) void c.ticket.then(() => order.push('c'));
    if (batch.ok) (await batch.ticket)();
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual(['b', 'c']);
    expect(gate.stats()).toMatchObject({ active: 3, queued: 0 });
  });

  it('a batch over the share is refused with 429 naming the batch; abandoning a waiting batch lets others in', async () => {
    const gate = new RequestGate({ maxActive: 2, maxQueued: 5, maxPerClient: 4 });
    const one = gate.admit('a');
    const over = gate.admit('a', 4);
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.message).toMatch(/batch of 4 requests with 1 in flight/);
    const big = gate.admit('b', 2); // waits for 2 slots
    const small = gate.admit('c'); // waits behind it
    expect(gate.stats()).toMatchObject({ active: 1, queued: 3 });
    let granted = false;
    if (small.ok) void small.ticket.then(() => (granted = true));
    big.abandon?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(granted).toBe(true);
    expect(gate.stats()).toMatchObject({ active: 2, queued: 0, clients: 2 });
    expect(one.ok).toBe(true);
  });
});
