/** In-memory LRU of loaded candle series keyed by content hash, bounded by total bars. */
import type { Candles } from '../engine/data/candles.js';

export class CandleCache {
  private readonly map = new Map<string, Candles>();
  private bars = 0;
  constructor(private readonly maxBars: number) {}

  get(hash: string): Candles | undefined {
    const c = this.map.get(hash);
    if (c) {
      this.map.delete(hash);
      this.map.set(hash, c);
    }
    return c;
  }

  set(hash: string, c: Candles): void {
    if (this.map.has(hash)) return;
    this.map.set(hash, c);
    this.bars += c.time.length;
    for (const [k, v] of this.map) {
      if (this.bars <= this.maxBars || this.map.size <= 1) break;
      this.map.delete(k);
      this.bars -= v.time.length;
    }
  }
}
