/**
 * Admission control for HTTP requests: at most `maxActive` requests are handled at once,
 * at most `maxQueued` wait for a slot, and one client holds at most `maxPerClient` requests
 * (handled + waiting). Free slots go to waiting clients in round-robin order, so a client
 * that floods the server waits behind its own requests while others are served.
 *
 * A POST carrying a JSON-RPC batch is admitted with a weight, its number of entries: a batch
 * of 20 calls takes 20 slots and 20 of its client's share. A waiting batch is granted once
 * enough slots are free (the clients after it wait, so it is not starved by single requests).
 *
 * Over its per-client share a request is refused with 429; when the global queue is full,
 * with 503 (both with Retry-After). The caller refuses a weight above `maxWeight()` itself:
 * such a batch could never be admitted.
 */
export interface GateLimits {
  readonly maxActive: number;
  readonly maxQueued: number;
  readonly maxPerClient: number;
}

export type Admission =
  | { readonly ok: true; readonly ticket: Promise<() => void> }
  | { readonly ok: false; readonly status: 429 | 503; readonly message: string };

interface Waiter {
  readonly grant: (release: () => void) => void;
  readonly weight: number;
  cancelled: boolean;
}

export class RequestGate {
  private active = 0;
  private queued = 0;
  private readonly perClient = new Map<string, number>();
  /** Waiting requests per client; Map iteration order is the round-robin order. */
  private readonly waiting = new Map<string, Waiter[]>();

  constructor(readonly limits: GateLimits) {}

  stats(): { active: number; queued: number; clients: number } {
    return { active: this.active, queued: this.queued, clients: this.perClient.size };
  }

  /** The largest weight (batch entries) that can ever be admitted. */
  maxWeight(): number {
    return Math.min(this.limits.maxPerClient, this.limits.maxActive);
  }

  /**
   * Admits or refuses at once. When admitted, `ticket` resolves to a release function as
   * soon as `weight` slots are free; `abandon()` removes a request that went away while waiting.
   */
  admit(clientId: string, weight = 1): Admission & { abandon?: () => void } {
    const n = Math.max(1, Math.floor(weight));
    const mine = this.perClient.get(clientId) ?? 0;
    if (mine + n > this.limits.maxPerClient) {
      const what = n > 1 ? `a batch of ${n} requests with ${mine} in flight` : `${mine} in flight`;
      return {
        ok: false,
        status: 429,
        message: `too many concurrent requests from this client (${what}, limit ${this.limits.maxPerClient} per client; each batch entry counts); wait for some to finish and retry`,
      };
    }
    const runsNow = this.active + n <= this.limits.maxActive && this.queued === 0;
    if (!runsNow && this.queued + n > this.limits.maxQueued) {
      return {
        ok: false,
        status: 503,
        message: `the server is busy (${this.active} requests running and ${this.queued} waiting, the most it queues is ${this.limits.maxQueued}); retry shortly`,
      };
    }
    this.perClient.set(clientId, mine + n);
    if (runsNow) {
      this.active += n;
      return { ok: true, ticket: Promise.resolve(this.releaser(clientId, n)) };
    }
    this.queued += n;
    let grant: (release: () => void) => void = () => undefined;
    const ticket = new Promise<() => void>((resolve) => {
      grant = resolve;
    });
    const w: Waiter = { grant, weight: n, cancelled: false };
    const list = this.waiting.get(clientId);
    if (list) list.push(w);
    else this.waiting.set(clientId, [w]);
    const abandon = (): void => {
      if (w.cancelled) return;
      w.cancelled = true;
      const l = this.waiting.get(clientId);
      const i = l ? l.indexOf(w) : -1;
      if (l && i >= 0) {
        l.splice(i, 1);
        if (l.length === 0) this.waiting.delete(clientId);
        this.queued -= n;
        this.dropClient(clientId, n);
        this.pump(); // a batch at the head may have been what held others back
      }
    };
    return { ok: true, ticket, abandon };
  }

  /** A one-shot release of the `n` active slots held by one request of `clientId`. */
  private releaser(clientId: string, n: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= n;
      this.dropClient(clientId, n);
      this.pump();
    };
  }

  private dropClient(clientId: string, by: number): void {
    const n = (this.perClient.get(clientId) ?? by) - by;
    if (n <= 0) this.perClient.delete(clientId);
    else this.perClient.set(clientId, n);
  }

  /** Grants free slots to the next client in round-robin order, while its head request fits. */
  private pump(): void {
    while (this.waiting.size > 0) {
      const [clientId, list] = this.waiting.entries().next().value as [string, Waiter[]];
      const w = list[0];
      if (this.active + w.weight > this.limits.maxActive) return;
      list.shift();
      this.waiting.delete(clientId);
      if (list.length > 0) this.waiting.set(clientId, list); // to the back of the rotation
      this.queued -= w.weight;
      this.active += w.weight;
      w.cancelled = true; // no longer abandonable: it holds a slot now
      w.grant(this.releaser(clientId, w.weight));
    }
  }
}
