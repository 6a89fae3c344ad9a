/**
 * Parameter importance, fANOVA-style (Hutter, Hoos & Leyton-Brown 2014; Optuna's default
 * evaluator): a random forest of regression trees (64 trees, bootstrap samples, all features
 * per split, depth <= 64) is fitted to the COMPLETE trials, and for each tree the variance of
 * each parameter's main effect over the whole search box is divided by the tree's total
 * variance; the fractions are averaged over trees and normalised to sum to 1.
 *
 * Unlike Optuna's, the forest works in the TRANSFORMED space of `space.ts` (ln for `log`
 * parameters, grid cells for steps, equal-width cells for categorical choices), each
 * dimension scaled to [0, 1]: a log-scaled parameter's box is uniform in log space, so its
 * effect is not squeezed into a corner of a linear box and under-rated.
 */
import { createRng, type Rng } from '../random.js';
import { dimsOf, toInternal, type Dim } from './space.js';
import type { SearchSpace } from './space.types.js';
import type { FrozenTrial, StudyDirection } from './trial.js';

export interface ImportanceOptions {
  readonly n_trees?: number;
  readonly max_depth?: number;
  readonly seed?: number;
  /** Objective index for several objectives (default 0). */
  readonly objective?: number;
}

interface Leaf {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly value: number;
}

/** Scales a dimension's internal value to [0, 1] (categorical choice c of C → (c + ½)/C). */
function unit(dim: Dim, x: number): number {
  if (dim.kind === 'categorical') return (x + 0.5) / dim.size;
  const w = dim.highI - dim.lowI;
  return w > 0 ? (x - dim.lowI) / w : 0.5;
}

/**
 * One CART regression tree on a bootstrap sample (slots 0..n−1 → rows idx[slot]), grown
 * depth-first with exhaustive best splits (largest SSE reduction, features in a random order
 * so that ties are broken at random, as sklearn does). Each feature's slots are sorted once;
 * a node is a segment of every feature's order, partitioned stably on each split.
 */
function growTree(X: Float64Array[], y: Float64Array, idx: Int32Array, d: number, maxDepth: number, rng: Rng): Leaf[] {
  const n = idx.length;
  const order = X.map((col) => {
    const slots = Array.from({ length: n }, (_, s) => s);
    slots.sort((a, b) => col[idx[a]] - col[idx[b]] || a - b);
    return Int32Array.from(slots);
  });
  const yv = Float64Array.from(idx, (i) => y[i]);
  const goesLeft = new Uint8Array(n);
  const tmp = new Int32Array(n);
  const leaves: Leaf[] = [];
  const stack: { start: number; end: number; lo: Float64Array; hi: Float64Array; depth: number }[] = [
    { start: 0, end: n, lo: new Float64Array(d), hi: new Float64Array(d).fill(1), depth: 0 },
  ];
  while (stack.length > 0) {
    const node = stack.pop() as (typeof stack)[number];
    const { start, end } = node;
    const size = end - start;
    let sum = 0;
    let sq = 0;
    for (let r = start; r < end; r++) {
      const v = yv[order[0][r]];
      sum += v;
      sq += v * v;
    }
    const m = sum / size;
    const sse = sq - sum * m;
    let best: { gain: number; feature: number; threshold: number; split: number } | null = null;
    if (size >= 2 && node.depth < maxDepth && sse > 1e-12 * (1 + m * m) * size) {
      const features = Array.from({ length: d }, (_, j) => j);
      for (let j = d - 1; j > 0; j--) {
        const k = rng.int(0, j);
        [features[j], features[k]] = [features[k], features[j]];
      }
      for (const f of features) {
        const col = X[f];
        const o = order[f];
        let sumL = 0;
        let sqL = 0;
        for (let r = start; r < end - 1; r++) {
          const v = yv[o[r]];
          sumL += v;
          sqL += v * v;
          const a = col[idx[o[r]]];
          const b = col[idx[o[r + 1]]];
          if (a === b) continue;
          const nl = r - start + 1;
          const nr = size - nl;
          const gain = sse - (sqL - (sumL * sumL) / nl) - (sq - sqL - ((sum - sumL) * (sum - sumL)) / nr);
          if (best === null || gain > best.gain + 1e-12 * sse) best = { gain, feature: f, threshold: 0.5 * (a + b), split: nl };
        }
      }
    }
    if (best === null || best.gain <= 0) {
      leaves.push({ lo: node.lo, hi: node.hi, value: m });
      continue;
    }
    const fo = order[best.feature];
    for (let r = start; r < end; r++) goesLeft[fo[r]] = r - start < best.split ? 1 : 0;
    for (let f = 0; f < d; f++) {
      const o = order[f];
      let w = start;
      let t = 0;
      for (let r = start; r < end; r++) {
        if (goesLeft[o[r]]) o[w++] = o[r];
        else tmp[t++] = o[r];
      }
      o.set(tmp.subarray(0, t), w);
    }
    const mid = start + best.split;
    const hiL = Float64Array.from(node.hi);
    hiL[best.feature] = best.threshold;
    const loR = Float64Array.from(node.lo);
    loR[best.feature] = best.threshold;
    stack.push({ start, end: mid, lo: node.lo, hi: hiL, depth: node.depth + 1 });
    stack.push({ start: mid, end, lo: loR, hi: node.hi, depth: node.depth + 1 });
  }
  return leaves;
}

/** Per-dimension main-effect variance fractions of one tree (null when the tree is constant). */
function mainEffects(leaves: readonly Leaf[], d: number): Float64Array | null {
  const vol = leaves.map((l) => l.lo.reduce((p, lo, j) => p * (l.hi[j] - lo), 1));
  let f0 = 0;
  leaves.forEach((l, i) => (f0 += vol[i] * l.value));
  let total = 0;
  leaves.forEach((l, i) => (total += vol[i] * (l.value - f0) ** 2));
  if (!(total > 0)) return null;
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    // Sweep the marginal m_j(x) = Σ leaves covering x of value · volume / width_j.
    const events: [number, number][] = [];
    leaves.forEach((l, i) => {
      const w = l.hi[j] - l.lo[j];
      if (w <= 0) return;
      const c = (l.value * vol[i]) / w;
      events.push([l.lo[j], c], [l.hi[j], -c]);
    });
    events.sort((a, b) => a[0] - b[0]);
    let level = 0;
    let prev = 0;
    let v = 0;
    for (const [x, c] of events) {
      if (x > prev) v += (x - prev) * (level - f0) ** 2;
      level += c;
      prev = x;
    }
    out[j] = Math.min(1, v / total);
  }
  return out;
}

/**
 * Importance of each parameter (shares summing to 1) from the COMPLETE trials; null when
 * fewer than 2 usable trials or the objective is constant.
 */
export function parameterImportance(
  space: SearchSpace,
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  opts: ImportanceOptions = {},
): Record<string, number> | null {
  const dims = dimsOf(space).filter((dm) => dm.size !== 1);
  const k = opts.objective ?? 0;
  if (k >= directions.length) throw new RangeError(`importance: objective ${k} does not exist (${directions.length} objective(s))`);
  const rows: number[][] = [];
  const ys: number[] = [];
  for (const t of trials) {
    if (t.state !== 'COMPLETE' || !t.values || !Number.isFinite(t.values[k])) continue;
    const x = dims.map((dm) => toInternal(dm, t.params[dm.name] ?? null));
    if (x.some((v) => !Number.isFinite(v))) continue;
    rows.push(x.map((v, j) => unit(dims[j], v)));
    ys.push(t.values[k]);
  }
  if (rows.length < 2 || dims.length === 0) return null;
  const d = dims.length;
  const X = dims.map((_, j) => Float64Array.from(rows, (r) => r[j]));
  const y = Float64Array.from(ys);
  const rng = createRng(opts.seed ?? 0);
  const nTrees = opts.n_trees ?? 64;
  const maxDepth = opts.max_depth ?? 64;
  const acc = new Float64Array(d);
  let used = 0;
  for (let tr = 0; tr < nTrees; tr++) {
    const idx = new Int32Array(rows.length);
    for (let i = 0; i < idx.length; i++) idx[i] = rng.int(0, rows.length - 1);
    const fx = mainEffects(growTree(X, y, idx, d, maxDepth, rng), d);
    if (fx === null) continue;
    for (let j = 0; j < d; j++) acc[j] += fx[j];
    used++;
  }
  const sum = acc.reduce((a, b) => a + b, 0);
  if (used === 0 || !(sum > 0)) return null;
  const out: Record<string, number> = {};
  for (const dm of dimsOf(space)) out[dm.name] = 0;
  dims.forEach((dm, j) => (out[dm.name] = acc[j] / sum));
  return out;
}
