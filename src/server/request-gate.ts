/**
 * Admission control for HTTP requests: at most `maxActive` requests are handled at once,
 * at most `maxQueued` wait for a slot, and one client holds at most `maxPerClient` requests
 * (handled + waiting). Free slots go to waiting clients in round-robin order, so a client
 * that floods the server waits behind its own requests while others are served.
 *
 * Over its per-client share a request is refused with 429; when the global queue is full,
 * with 503 (both with Retry-After).
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

  /**
   * Admits or refuses at once. When admitted, `ticket` resolves to a release function as
   * soon as a slot is free; `abandon()` removes a request that went away while waiting.
   */
  admit(clientId: string): Admission & { abandon?: () => void } {
    const mine = this.perClient.get(clientId) ?? 0;
    if (mine >= this.limits.maxPerClient) {
      return {
        ok: false,
        status: 429,
        message: `too many concurrent requests from this client (${mine} in flight, limit ${this.limits.maxPerClient} per client); wait for some to finish and retry`,
      };
    }
    if (this.active >= this.limits.maxActive && this.queued >= this.limits.maxQueued) {
      return {
        ok: false,
        status: 503,
        message: `the server is busy (${this.active} requests running and ${this.queued} waiting, the most it queues); retry shortly`,
      };
    }
    this.perClient.set(clientId, mine + 1);
    if (this.active < this.limits.maxActive && this.queued === 0) {
      this.active++;
      return { ok: true, ticket: Promise.resolve(this.releaser(clientId)) };
    }
    this.queued++;
    let grant: (release: () => void) => void = () => undefined;
    const ticket = new Promise<() => void>((resolve) => {
      grant = resolve;
    });
    const w: Waiter = { grant, cancelled: false };
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
        this.queued--;
        this.dropClient(clientId);
      }
    };
    return { ok: true, ticket, abandon };
  }

  /** A one-shot release of an active slot held by `clientId`. */
  private releaser(clientId: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.dropClient(clientId);
      this.pump();
    };
  }

  private dropClient(clientId: string): void {
    const n = (this.perClient.get(clientId) ?? 1) - 1;
    if (n <= 0) this.perClient.delete(clientId);
    else this.perClient.set(clientId, n);
  }

  /** Grants free slots to the next client in round-robin order. */
  private pump(): void {
    while (this.active < this.limits.maxActive && this.waiting.size > 0) {
      const [clientId, list] = this.waiting.entries().next().value as [string, Waiter[]];
      const w = list.shift() as Waiter;
      this.waiting.delete(clientId);
      if (list.length > 0) this.waiting.set(clientId, list); // to the back of the rotation
      this.queued--;
      this.active++;
      w.cancelled = true; // no longer abandonable: it holds a slot now
      w.grant(this.releaser(clientId));
    }
  }
}
