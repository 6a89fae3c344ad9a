/**
 * Authorization requests waiting for the owner's decision on the consent page, in memory
 * (a restart forgets them; the client simply starts again). Bounded in number and age. Each
 * rendering of the consent page gets a fresh nonce that the form must send back (CSRF).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface PendingAuthorization {
  readonly id: string;
  readonly clientId: string;
  readonly clientName: string | null;
  readonly redirectUri: string;
  /** As requested (may include scopes this server does not know). */
  readonly scopes: readonly string[];
  readonly state: string | undefined;
  readonly codeChallenge: string;
  readonly resource: string;
  readonly createdAt: number;
}

export const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 500;

export class PendingAuthorizations {
  private readonly items = new Map<string, { p: PendingAuthorization; nonce: string | null }>();
  constructor(private readonly now: () => number) {}

  create(p: Omit<PendingAuthorization, 'id' | 'createdAt'>): string {
    this.prune();
    if (this.items.size >= MAX_PENDING) this.items.delete(this.items.keys().next().value as string);
    const id = randomBytes(18).toString('base64url');
    this.items.set(id, { p: { ...p, id, createdAt: this.now() }, nonce: null });
    return id;
  }

  get(id: string): PendingAuthorization | undefined {
    this.prune();
    return this.items.get(id)?.p;
  }

  /** A new nonce for the form about to be shown (the previous one stops working). */
  issueNonce(id: string): string {
    const item = this.items.get(id);
    if (!item) throw new Error(`no pending authorization ${id}`);
    item.nonce = randomBytes(18).toString('base64url');
    return item.nonce;
  }

  nonceMatches(id: string, nonce: unknown): boolean {
    const expected = this.items.get(id)?.nonce;
    if (typeof nonce !== 'string' || !expected || nonce.length !== expected.length) return false;
    return timingSafeEqual(Buffer.from(nonce), Buffer.from(expected));
  }

  /** Removes and returns the request (a decision is made once). */
  take(id: string): PendingAuthorization | undefined {
    const item = this.items.get(id);
    this.items.delete(id);
    return item?.p;
  }

  private prune(): void {
    const cutoff = this.now() - PENDING_TTL_MS;
    for (const [id, item] of this.items) if (item.p.createdAt < cutoff) this.items.delete(id);
  }
}
