/**
 * Evaluation of a Parzen mixture (mixture.ts) at points: its log density, and TPE's choice
 * among candidates (argmax of log l − log g). Exact to the bit of a plain log-sum-exp over all
 * kernels, but cheaper: terms NEGLIGIBLE below the running maximum are skipped (they cannot
 * change the sum), kernels are visited near-first by blocks, discrete cell masses are memoised
 * per distinct cell, and a candidate is dropped as soon as it cannot win.
 */
import { fromInternal } from '../space.js';
import { cellOf, logCellMass, LN_SQRT_2PI, NEGLIGIBLE } from './kernels.js';
import { BLOCK } from './kernel-blocks.js';
import type { Mixture } from './mixture.js';

export class MixtureEvaluator {
  private readonly size: number;
  private readonly base: Float64Array;
  private readonly dims: Mixture['dims'];
  private readonly contIdx: readonly number[];
  private readonly contMu: Float64Array;
  private readonly contInv: Float64Array;
  private readonly discrete: Mixture['discrete'];
  private readonly categorical: Mixture['categorical'];
  private readonly blocks: Mixture['blocks'];
  // Per-point scratch used by term().
  private readonly px: Float64Array;
  private readonly cellLo: Float64Array;
  private readonly cellHi: Float64Array;
  private readonly logWidth: Float64Array;
  private readonly catIdx: Int32Array;
  private memo: Float64Array[][] = [];
  private points: readonly Float64Array[] = [];
  private cellOfCand: Int32Array[] = [];
  /** The point being evaluated (index into the prepared points). */
  private point = 0;

  constructor(mix: Mixture) {
    this.size = mix.size;
    this.base = mix.base;
    this.dims = mix.dims;
    this.contIdx = mix.contIdx;
    this.contMu = mix.contMu;
    this.contInv = mix.contInv;
    this.discrete = mix.discrete;
    this.categorical = mix.categorical;
    this.blocks = mix.blocks;
    this.px = new Float64Array(mix.contIdx.length);
    this.cellLo = new Float64Array(mix.discrete.length);
    this.cellHi = new Float64Array(mix.discrete.length);
    this.logWidth = new Float64Array(mix.discrete.length);
    this.catIdx = new Int32Array(mix.categorical.length);
  }

  /**
   * Kernel k's log term (log weight + log density) at the current point (in px, cellLo/Hi,
   * catIdx), or −Infinity as soon as it is known to be <= cut. Exact: a term <= cut is
   * NEGLIGIBLE below the running maximum, hence dropped from the log-sum-exp anyway.
   */
  private term(k: number, cut: number): number {
    const i = this.point;
    const nc = this.px.length;
    const mu = this.contMu;
    const inv = this.contInv;
    const o = k * nc;
    const floor = 2 * (this.base[k] - cut);
    let q = 0;
    for (let j = 0; j < nc && q <= floor; j++) {
      const z = (this.px[j] - mu[o + j]) * inv[o + j];
      q += z * z;
    }
    let t = this.base[k] - 0.5 * q;
    if (t <= cut) return -Infinity;
    const cats = this.categorical;
    for (let j = 0; j < cats.length; j++) t += cats[j].logProbs[k * cats[j].dim.size + this.catIdx[j]];
    const disc = this.discrete;
    if (t <= cut) return -Infinity;
    if (disc.length === 0) return t;
    // Cell log masses are memoised per (dimension, cell); those not known yet are first
    // bounded by cell width × the kernel's peak density over the cell.
    let ub = t;
    let unknown = false;
    for (let j = 0; j < disc.length; j++) {
      const known = this.memo[j][this.cellOfCand[j][i]][k];
      if (!Number.isNaN(known)) {
        ub += known;
        continue;
      }
      unknown = true;
      const p = disc[j];
      const m = p.mus[k];
      const gap = m < this.cellLo[j] ? this.cellLo[j] - m : m > this.cellHi[j] ? m - this.cellHi[j] : 0;
      const zNear = gap * p.invSigmas[k];
      ub += Math.min(0, this.logWidth[j] + p.logInv[k] - 0.5 * zNear * zNear) - p.logMassIn[k];
    }
    if (ub <= cut) return -Infinity;
    if (!unknown) return ub;
    for (let j = 0; j < disc.length; j++) {
      const memo = this.memo[j][this.cellOfCand[j][i]];
      let v = memo[k];
      if (Number.isNaN(v)) {
        const p = disc[j];
        v = logCellMass((this.cellLo[j] - p.mus[k]) * p.invSigmas[k], (this.cellHi[j] - p.mus[k]) * p.invSigmas[k]) - p.logMassIn[k];
        memo[k] = v;
      }
      t += v;
    }
    return t;
  }

  /**
   * Prepares n points (per dimension, internal values) for evaluation: the grid cell of each
   * discrete coordinate, with a lazy memo of the kernels' log cell masses per distinct cell
   * (points drawn from a good set repeat cells a lot).
   */
  private prepare(points: readonly Float64Array[], n: number): void {
    const K = this.size;
    this.points = points;
    this.memo = this.discrete.map(() => []);
    this.cellOfCand = this.discrete.map((p, j) => {
      const xs = points[this.dims.indexOf(p.dim)];
      const index = new Map<number, number>();
      return Int32Array.from({ length: n }, (_, i) => {
        const v = fromInternal(p.dim, xs[i]) as number;
        let c = index.get(v);
        if (c === undefined) {
          c = index.size;
          index.set(v, c);
          this.memo[j].push(new Float64Array(K).fill(NaN));
        }
        return c;
      });
    });
  }

  private setPoint(i: number): void {
    const points = this.points;
    this.point = i;
    for (let j = 0; j < this.px.length; j++) this.px[j] = points[this.contIdx[j]][i];
    const disc = this.discrete;
    for (let j = 0; j < disc.length; j++) {
      const [lo, hi] = cellOf(disc[j].dim, points[this.dims.indexOf(disc[j].dim)][i]);
      this.cellLo[j] = lo;
      this.cellHi[j] = hi;
      this.logWidth[j] = Math.log(hi - lo) - LN_SQRT_2PI;
    }
    const cats = this.categorical;
    for (let j = 0; j < cats.length; j++) this.catIdx[j] = points[this.dims.indexOf(cats[j].dim)][i];
  }

  /** Running log-sum-exp of the current point: [max term, Σ exp(term − max)]. */
  private readonly acc = new Float64Array(2);

  /** Adds kernels perm[from..to) (or kernels from..to when perm is null) to the running sum. */
  private accumulate(perm: Int32Array | null, from: number, to: number): void {
    let mx = this.acc[0];
    let sum = this.acc[1];
    const fast = this.discrete.length === 0 && this.categorical.length === 0;
    const nc = this.px.length;
    const base = this.base;
    const mu = this.contMu;
    const inv = this.contInv;
    const px = this.px;
    // one continuous dimension (TPE's univariate groups): no inner loop
    const one = fast && nc === 1;
    const x0 = nc > 0 ? px[0] : 0;
    for (let r = from; r < to; r++) {
      const k = perm === null ? r : perm[r];
      let t: number;
      if (one) {
        const z = (x0 - mu[k]) * inv[k];
        t = base[k] - 0.5 * z * z;
      } else if (fast) {
        const o = k * nc;
        const floor = 2 * (base[k] - mx - NEGLIGIBLE);
        let q = 0;
        for (let j = 0; j < nc && q <= floor; j++) {
          const z = (px[j] - mu[o + j]) * inv[o + j];
          q += z * z;
        }
        t = base[k] - 0.5 * q;
      } else t = this.term(k, mx + NEGLIGIBLE);
      if (t > mx) {
        sum = mx === -Infinity ? 1 : sum * Math.exp(mx - t) + 1;
        mx = t;
      } else if (t - mx > NEGLIGIBLE) sum += Math.exp(t - mx);
    }
    this.acc[0] = mx;
    this.acc[1] = sum;
  }

  /**
   * log density at the current point, summed online (log-sum-exp with a running maximum).
   * Kernels are visited near-first: the prior, then blocks outward from the point along the
   * block dimension, skipping a block whose best possible term is NEGLIGIBLE below the running
   * maximum (without blocks: all kernels in order). Returns NaN as soon as the partial log
   * density exceeds `giveUpAt`: the full density can only be larger.
   */
  private evalPoint(giveUpAt = Infinity): number {
    const K = this.size;
    const acc = this.acc;
    acc[0] = -Infinity;
    acc[1] = 0;
    this.accumulate(null, K - 1, K);
    const bl = this.blocks;
    if (bl === null) {
      for (let from = 0; from < K - 1; from += 64) {
        this.accumulate(null, from, Math.min(K - 1, from + 64));
        if (acc[0] + Math.log(acc[1]) > giveUpAt) return NaN;
      }
      return acc[0] + Math.log(acc[1]);
    }
    const x0 = this.px[0];
    const nb = bl.lo.length;
    let lo = 0;
    let hi = nb - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bl.hi[mid] < x0) lo = mid + 1;
      else hi = mid;
    }
    for (let step = 0; step < 2 * nb; step++) {
      const b = step % 2 === 0 ? lo + step / 2 : lo - (step + 1) / 2;
      if (b < 0 || b >= nb) continue;
      const gap = x0 < bl.lo[b] ? bl.lo[b] - x0 : x0 > bl.hi[b] ? x0 - bl.hi[b] : 0;
      const zb = gap / bl.sigma[b];
      if (bl.bound[b] - 0.5 * zb * zb <= acc[0] + NEGLIGIBLE) continue;
      this.accumulate(bl.perm, b * BLOCK, Math.min(bl.perm.length, (b + 1) * BLOCK));
      if (acc[0] + Math.log(acc[1]) > giveUpAt) return NaN;
    }
    return acc[0] + Math.log(acc[1]);
  }

  /** log density of the mixture at each of the n points (given per dimension, internal values). */
  logPdf(points: readonly Float64Array[], n: number): Float64Array {
    this.prepare(points, n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.setPoint(i);
      out[i] = this.evalPoint();
    }
    return out;
  }

  /**
   * argmax over the n points of logL[i] − log(this density) — TPE's choice among the
   * candidates, with this estimator as g. Exact (ties to the lowest index, as a plain argmax),
   * but candidates are tried in decreasing logL and one is dropped as soon as its partial
   * g already makes it worse than the best so far: most of the bad set is never visited.
   */
  bestRatio(logL: Float64Array, points: readonly Float64Array[], n: number): number {
    this.prepare(points, n);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => logL[b] - logL[a] || a - b);
    let best = -Infinity;
    let bestIdx = Infinity;
    for (const i of order) {
      this.setPoint(i);
      const lg = this.evalPoint(best === -Infinity ? Infinity : logL[i] - best);
      if (Number.isNaN(lg)) continue;
      const score = logL[i] - lg;
      if (score > best || (score === best && i < bestIdx)) {
        best = score;
        bestIdx = i;
      }
    }
    return Number.isFinite(bestIdx) ? bestIdx : 0;
  }
}
