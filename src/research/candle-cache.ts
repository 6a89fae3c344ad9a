/**
 * In-memory LRU of loaded candle series keyed by content hash, bounded in bytes
 * (limits.candle_cache_mb). Series are held in SharedArrayBuffers, which the worker pools
 * share with their threads instead of copying (engine/parallel/pool.ts), so one loaded
 * series is one copy in the process. An evicted series is dropped by the evaluators too
 * (`onEvict`), unless a running task still uses it; a job that still holds it keeps it
 * until it finishes.
 */
import type { Candles } from '../engine/data/candles.js';

/** Bytes one bar takes in memory: six Float64 columns (time, open, high, low, close, volume). */
export const BYTES_PER_BAR = 48;

export interface CandleCacheStats {
  readonly series: number;
  readonly bars: number;
  readonly bytes: number;
  readonly max_bytes: number;
}

export class CandleCache {
  private readonly map = new Map<string, Candles>();
  /** Evicted series, as long as something else (a running job) still holds them: taken back instead of loaded again. */
  private readonly evicted = new Map<string, WeakRef<Candles>>();
  private readonly listeners = new Set<(hash: string) => void>();
  private bytes = 0;
  constructor(readonly maxBytes: number) {}

  get(hash: string): Candles | undefined {
    const c = this.map.get(hash);
    if (c) {
      this.map.delete(hash);
      this.map.set(hash, c);
      return c;
    }
    const held = this.evicted.get(hash)?.deref();
    if (held) this.set(hash, held);
    return held;
  }

  /** Whether a series of `bars` bars may be loaded at all (it alone fits the budget). */
  fits(bars: number): boolean {
    return bars * BYTES_PER_BAR <= this.maxBytes;
  }

  /** Keeps `c`, evicting the least recently used series until the total fits; one that cannot fit is not kept. */
  set(hash: string, c: Candles): void {
    if (this.map.has(hash) || !this.fits(c.time.length)) return;
    this.evicted.delete(hash);
    this.map.set(hash, c);
    this.bytes += c.time.length * BYTES_PER_BAR;
    for (const [k, v] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= v.time.length * BYTES_PER_BAR;
      for (const [h, w] of this.evicted) if (w.deref() === undefined) this.evicted.delete(h);
      this.evicted.set(k, new WeakRef(v));
      for (const l of this.listeners) l(k);
    }
  }

  /** Calls `listener` with the hash of every evicted series; returns the unsubscribe function. */
  onEvict(listener: (hash: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): CandleCacheStats {
    return { series: this.map.size, bars: this.bytes / BYTES_PER_BAR, bytes: this.bytes, max_bytes: this.maxBytes };
  }
}
