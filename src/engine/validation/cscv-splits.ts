import type { BlockMoment } from './moments.js';

/**
 * The C(S, S/2) in-sample/out-of-sample splits of CSCV as bit masks over S blocks, each
 * stored as two half-indexes: the subset of the low S/2 blocks and of the high S/2 blocks,
 * for the in-sample side and for its complement. Masks are enumerated in increasing numeric
 * order (Gosper's hack), so the order is deterministic.
 */
export interface HalfMaskSplits {
  readonly count: number;
  readonly isLo: Uint16Array;
  readonly isHi: Uint16Array;
  readonly oosLo: Uint16Array;
  readonly oosHi: Uint16Array;
}

export function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

export function halfMaskSplits(s: number): HalfMaskSplits {
  const half = s / 2;
  const lowMask = (1 << half) - 1;
  const full = (1 << s) - 1;
  const count = binomial(s, half);
  const isLo = new Uint16Array(count);
  const isHi = new Uint16Array(count);
  const oosLo = new Uint16Array(count);
  const oosHi = new Uint16Array(count);
  let mask = (1 << half) - 1;
  for (let k = 0; k < count; k++) {
    const comp = full & ~mask;
    isLo[k] = mask & lowMask;
    isHi[k] = mask >>> half;
    oosLo[k] = comp & lowMask;
    oosHi[k] = comp >>> half;
    // Gosper's hack: next larger integer with the same number of set bits.
    const c = mask & -mask;
    const r = mask + c;
    mask = (((r ^ mask) >>> 2) / c) | r;
  }
  return { count, isLo, isHi, oosLo, oosHi };
}

/**
 * Sums of {n, sum, sumSq} over every subset of the low S/2 blocks and of the high S/2
 * blocks of one trial (2 × 2^(S/2) entries), rebuilt in place for each trial. Any split's
 * pooled moments are then lo[a] + hi[b].
 */
export class SubsetTables {
  readonly loN: Float64Array;
  readonly loS: Float64Array;
  readonly loQ: Float64Array;
  readonly hiN: Float64Array;
  readonly hiS: Float64Array;
  readonly hiQ: Float64Array;
  private readonly half: number;

  constructor(s: number) {
    this.half = s / 2;
    const size = 1 << this.half;
    this.loN = new Float64Array(size);
    this.loS = new Float64Array(size);
    this.loQ = new Float64Array(size);
    this.hiN = new Float64Array(size);
    this.hiS = new Float64Array(size);
    this.hiQ = new Float64Array(size);
  }

  load(blocks: readonly BlockMoment[]): void {
    fill(blocks, 0, this.half, this.loN, this.loS, this.loQ);
    fill(blocks, this.half, this.half, this.hiN, this.hiS, this.hiQ);
  }
}

function fill(blocks: readonly BlockMoment[], offset: number, bits: number, n: Float64Array, s: Float64Array, q: Float64Array): void {
  n[0] = 0;
  s[0] = 0;
  q[0] = 0;
  for (let m = 1; m < 1 << bits; m++) {
    const low = m & -m;
    const rest = m ^ low;
    const b = blocks[offset + 31 - Math.clz32(low)];
    n[m] = n[rest] + b.n;
    s[m] = s[rest] + b.sum;
    q[m] = q[rest] + b.sumSq;
  }
}
