/**
 * The discrete and categorical factors of a Parzen mixture's kernels at a point: categorical
 * log probabilities, and for each discrete (stepped) dimension the kernel's log mass over the
 * point's grid cell, memoised per distinct cell (points drawn from a good set repeat cells a
 * lot) and first bounded by cell width × the kernel's peak density over the cell, so that a
 * kernel NEGLIGIBLE at the point rarely needs its mass.
 */
import type { Dim } from '../space.js';
import { fromInternal } from '../space.js';
import { cellOf, logCellMass, LN_SQRT_2PI, type CategoricalDim, type DiscreteDim } from './kernels.js';

export class CellTerms {
  private readonly cellLo: Float64Array;
  private readonly cellHi: Float64Array;
  private readonly logWidth: Float64Array;
  private readonly catIdx: Int32Array;
  private memo: Float64Array[][] = [];
  private cellOfPoint: Int32Array[] = [];
  /** The point being evaluated (index into the prepared points). */
  private point = 0;

  constructor(
    private readonly dims: readonly Dim[],
    private readonly size: number,
    private readonly discrete: readonly DiscreteDim[],
    private readonly categorical: readonly CategoricalDim[],
  ) {
    this.cellLo = new Float64Array(discrete.length);
    this.cellHi = new Float64Array(discrete.length);
    this.logWidth = new Float64Array(discrete.length);
    this.catIdx = new Int32Array(categorical.length);
  }

  /** Prepares n points (per dimension, internal values): the grid cell of each discrete coordinate, with an empty memo per distinct cell. */
  prepare(points: readonly Float64Array[], n: number): void {
    const K = this.size;
    this.memo = this.discrete.map(() => []);
    this.cellOfPoint = this.discrete.map((p, j) => {
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

  setPoint(points: readonly Float64Array[], i: number): void {
    this.point = i;
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

  /** t (kernel k's continuous log term) plus its categorical and discrete factors at the current point, or −Infinity as soon as that is known to be <= cut. */
  add(k: number, t: number, cut: number): number {
    const i = this.point;
    const cats = this.categorical;
    for (let j = 0; j < cats.length; j++) t += cats[j].logProbs[k * cats[j].dim.size + this.catIdx[j]];
    const disc = this.discrete;
    if (t <= cut) return -Infinity;
    if (disc.length === 0) return t;
    let ub = t;
    let unknown = false;
    for (let j = 0; j < disc.length; j++) {
      const known = this.memo[j][this.cellOfPoint[j][i]][k];
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
      const memo = this.memo[j][this.cellOfPoint[j][i]];
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
}
