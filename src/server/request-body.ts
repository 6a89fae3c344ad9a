/**
 * Reading an HTTP request body before the request is admitted (src/server/request-gate.ts):
 * a deadline for the whole body, a per-body size limit, and a byte budget shared by every
 * body the server holds, so clients that send slowly or send much cannot hold admission
 * slots, and many of them at once cannot exhaust memory.
 */
import type { IncomingMessage } from 'node:http';

/** Bytes of request bodies held at once, in all; charged while read, returned when the response closes. */
export class ByteBudget {
  private used = 0;

  constructor(readonly max: number) {}

  /** Charges `n` bytes; false (and nothing charged) when that would exceed the budget. */
  take(n: number): boolean {
    if (this.used + n > this.max) return false;
    this.used += n;
    return true;
  }

  give(n: number): void {
    this.used = Math.max(0, this.used - n);
  }

  inUse(): number {
    return this.used;
  }
}

export interface BodyLimits {
  readonly maxBytes: number;
  /** Milliseconds from now until the body must be complete. */
  readonly deadlineMs: number;
  readonly budget: ByteBudget;
}

export type BodyRead =
  | { readonly ok: true; readonly body: Buffer; readonly charged: number }
  | { readonly ok: false; readonly reason: 'timeout' | 'too-large' | 'budget' | 'closed'; readonly bytes: number };

/**
 * Reads the body. Resolves (never rejects) with the body and the bytes charged to the
 * budget (the caller gives them back when the response closes), or with why it stopped;
 * on failure nothing stays charged and the rest of the body is discarded as it arrives.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyRead): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onClose);
      req.off('close', onClose);
      if (!r.ok) limits.budget.give(size);
      resolve(r);
    };
    const onData = (c: Buffer): void => {
      if (size + c.length > limits.maxBytes) return finish({ ok: false, reason: 'too-large', bytes: size + c.length });
      if (!limits.budget.take(c.length)) return finish({ ok: false, reason: 'budget', bytes: size + c.length });
      size += c.length;
      chunks.push(c);
    };
    const onEnd = (): void => finish({ ok: true, body: Buffer.concat(chunks, size), charged: size });
    const onClose = (): void => finish({ ok: false, reason: 'closed', bytes: size });
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout', bytes: size }), limits.deadlineMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onClose);
    req.on('close', onClose);
  });
}
