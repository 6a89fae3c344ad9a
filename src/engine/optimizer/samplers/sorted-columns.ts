/**
 * Per-dimension orderings of a study's observations, maintained incrementally across asks.
 *
 * The neighbour-gap bandwidth needs every observation set sorted per dimension. Sorting the
 * bad set (n − γ ≈ n observations) for every dimension on every ask is the dominant cost of
 * TPE at a few hundred trials. Finished trials never change, and each ask adds about one
 * observation, so this keeps, per dimension, the trial numbers sorted by internal value
 * (ties by trial number) and inserts new ones by binary search; a subset (the bad set) is
 * then read off in sorted order in O(n).
 */

export class SortedColumns {
  private readonly dims: number;
  /** Per dimension: trial numbers sorted by value (first `count` entries used). */
  private order: Int32Array[];
  private count = 0;
  /** values[d][trialNumber]; NaN = absent. */
  private values: Float64Array[];
  private stamp: Int32Array;
  private gen = 0;
  /** The vector each trial number was last synced with (the same array again: nothing to compare). */
  private xs: (Float64Array | undefined)[] = [];

  constructor(dims: number) {
    this.dims = dims;
    this.order = Array.from({ length: dims }, () => new Int32Array(64));
    this.values = Array.from({ length: dims }, () => new Float64Array(64).fill(NaN));
    this.stamp = new Int32Array(64);
  }

  private grow(num: number): void {
    if (num < this.stamp.length) return;
    let cap = this.stamp.length;
    while (cap <= num) cap *= 2;
    this.values = this.values.map((v) => {
      const a = new Float64Array(cap).fill(NaN);
      a.set(v);
      return a;
    });
    const s = new Int32Array(cap);
    s.set(this.stamp);
    this.stamp = s;
  }

  private insert(num: number): void {
    if (this.count === this.order[0].length) {
      this.order = this.order.map((o) => {
        const a = new Int32Array(o.length * 2);
        a.set(o);
        return a;
      });
    }
    for (let d = 0; d < this.dims; d++) {
      const o = this.order[d];
      const vals = this.values[d];
      const v = vals[num];
      let lo = 0;
      let hi = this.count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const w = vals[o[mid]];
        if (w < v || (w === v && o[mid] < num)) lo = mid + 1;
        else hi = mid;
      }
      o.copyWithin(lo + 1, lo, this.count);
      o[lo] = num;
    }
    this.count++;
  }

  private remove(keep: (num: number) => boolean): void {
    for (let d = 0; d < this.dims; d++) {
      const o = this.order[d];
      let w = 0;
      for (let r = 0; r < this.count; r++) if (keep(o[r])) o[w++] = o[r];
    }
    let n = 0;
    const o0 = this.order[0];
    for (let r = 0; r < this.count; r++) if (keep(o0[r])) n++;
    this.count = n;
  }

  /**
   * Makes the structure hold exactly the given observations (trial numbers with their
   * internal vectors). A trial number seen before with a different vector is replaced.
   */
  sync(nums: Int32Array, xs: readonly Float64Array[]): void {
    this.gen++;
    let stale = false;
    for (let j = 0; j < nums.length; j++) {
      const num = nums[j];
      this.grow(num);
      this.stamp[num] = this.gen;
      const x = xs[j];
      const present = !Number.isNaN(this.values[0][num]);
      if (present && this.xs[num] === x) continue;
      this.xs[num] = x;
      if (present) {
        for (let d = 0; d < this.dims; d++) if (this.values[d][num] !== x[d]) stale = true;
        if (!stale) continue;
        break;
      }
      for (let d = 0; d < this.dims; d++) this.values[d][num] = x[d];
      this.insert(num);
    }
    if (stale) {
      this.reset();
      this.sync(nums, xs);
      return;
    }
    if (this.count !== nums.length) {
      const gen = this.gen;
      const keep = (num: number): boolean => this.stamp[num] === gen;
      for (let r = 0; r < this.count; r++) {
        const num = this.order[0][r];
        if (!keep(num)) for (let d = 0; d < this.dims; d++) this.values[d][num] = NaN;
      }
      this.remove(keep);
    }
  }

  private reset(): void {
    this.count = 0;
    this.xs = [];
    for (const v of this.values) v.fill(NaN);
  }

  /**
   * For dimension d, the positions (into the member list) of the members in ascending order
   * of value (ties by trial number). `posOf[num]` is the member position of trial `num`, or −1.
   */
  orderOf(d: number, posOf: Int32Array, nMembers: number): Int32Array {
    const out = new Int32Array(nMembers);
    const o = this.order[d];
    let w = 0;
    for (let r = 0; r < this.count; r++) {
      const p = posOf[o[r]];
      if (p >= 0) out[w++] = p;
    }
    return out;
  }
}
