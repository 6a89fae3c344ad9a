/**
 * Multi-objective helpers, all on loss vectors (every objective minimised; maximised
 * objectives are negated by `lossVector`): non-dominated sorting, exact hypervolume
 * (2-D sweep; higher dimensions by slicing down to 2-D, fine for the small sets TPE uses),
 * exclusive hypervolume contributions and greedy hypervolume subset selection.
 */
import type { FrozenTrial, StudyDirection } from './trial.js';

export type Point = readonly number[];

/** a dominates b: no worse in every objective and better in at least one (minimisation). */
export function dominates(a: Point, b: Point): boolean {
  let better = false;
  for (let k = 0; k < a.length; k++) {
    if (a[k] > b[k]) return false;
    if (a[k] < b[k]) better = true;
  }
  return better;
}

/** Non-domination rank of every point (0 = Pareto front), Deb's fast non-dominated sort. */
export function nonDominatedRanks(points: readonly Point[]): Int32Array {
  const n = points.length;
  const ranks = new Int32Array(n);
  const dominatedBy = new Int32Array(n);
  const dominatesList: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i], points[j])) {
        dominatesList[i].push(j);
        dominatedBy[j]++;
      } else if (dominates(points[j], points[i])) {
        dominatesList[j].push(i);
        dominatedBy[i]++;
      }
    }
  }
  let front: number[] = [];
  for (let i = 0; i < n; i++) if (dominatedBy[i] === 0) front.push(i);
  let rank = 0;
  while (front.length > 0) {
    const next: number[] = [];
    for (const i of front) {
      ranks[i] = rank;
      for (const j of dominatesList[i]) if (--dominatedBy[j] === 0) next.push(j);
    }
    front = next;
    rank++;
  }
  return ranks;
}

function hv2d(points: readonly Point[], ref: Point): number {
  const pts = points.filter((p) => p[0] < ref[0] && p[1] < ref[1]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let hv = 0;
  let bestY = ref[1];
  for (let i = 0; i < pts.length; i++) {
    const [x, y] = pts[i];
    if (y >= bestY) continue;
    // Area between this x and the next x at which a lower y starts is added progressively.
    hv += (ref[0] - x) * (bestY - y);
    bestY = y;
  }
  return hv;
}

/** Exact hypervolume dominated by `points` and bounded by the reference point `ref`. */
export function hypervolume(points: readonly Point[], ref: Point): number {
  const d = ref.length;
  const pts = points.filter((p) => p.every((v, k) => v < ref[k]));
  if (pts.length === 0) return 0;
  if (d === 1) return ref[0] - Math.min(...pts.map((p) => p[0]));
  if (d === 2) return hv2d(pts, ref);
  // Slice along the last objective: between consecutive values, the cross-section is the
  // (d−1)-dimensional hypervolume of the points at or below the slice.
  const sorted = [...pts].sort((a, b) => a[d - 1] - b[d - 1]);
  const refLow = ref.slice(0, d - 1);
  let hv = 0;
  for (let i = 0; i < sorted.length; i++) {
    const z = sorted[i][d - 1];
    const zNext = i + 1 < sorted.length ? sorted[i + 1][d - 1] : ref[d - 1];
    if (zNext <= z) continue;
    const slice = sorted.slice(0, i + 1).map((p) => p.slice(0, d - 1));
    hv += (zNext - z) * hypervolume(slice, refLow);
  }
  return hv;
}

/** Exclusive contribution of each point: HV(all) − HV(all without it). */
export function hypervolumeContributions(points: readonly Point[], ref: Point): number[] {
  const total = hypervolume(points, ref);
  return points.map((_, i) => total - hypervolume(points.filter((__, j) => j !== i), ref));
}

/** Optuna's reference point for a set of losses: 1.1 × worst (0.9 × when negative), 0 → ε. */
export function referencePoint(points: readonly Point[]): number[] {
  const d = points[0].length;
  const ref: number[] = [];
  for (let k = 0; k < d; k++) {
    let worst = -Infinity;
    for (const p of points) worst = Math.max(worst, p[k]);
    const r = Math.max(1.1 * worst, 0.9 * worst);
    ref.push(r === 0 ? 1e-12 : r);
  }
  return ref;
}

/** Greedy hypervolume subset selection: indices (into `points`) of `k` points, picked in order. */
export function selectByHypervolume(points: readonly Point[], k: number, ref: Point): number[] {
  const chosen: number[] = [];
  const left = new Set(points.map((_, i) => i));
  let hvChosen = 0;
  while (chosen.length < k && left.size > 0) {
    let best = -1;
    let bestGain = -Infinity;
    for (const i of left) {
      const gain = hypervolume([...chosen.map((c) => points[c]), points[i]], ref) - hvChosen;
      if (gain > bestGain) {
        bestGain = gain;
        best = i;
      }
    }
    chosen.push(best);
    left.delete(best);
    hvChosen += bestGain;
  }
  return chosen;
}

/** Values as losses: maximised objectives negated. */
export function lossVector(values: readonly number[], directions: readonly StudyDirection[]): number[] {
  return values.map((v, k) => (directions[k] === 'maximize' ? -v : v));
}

/**
 * The Pareto front of COMPLETE trials (feasible ones only when any trial is feasible; if none
 * is feasible, the trials with the smallest violation), ordered by trial number.
 */
export function paretoFront(trials: readonly FrozenTrial[], directions: readonly StudyDirection[]): FrozenTrial[] {
  const done = trials.filter((t) => t.state === 'COMPLETE' && t.values !== null && t.values.every((v) => !Number.isNaN(v)));
  if (done.length === 0) return [];
  const viol = done.map((t) => (t.constraints ?? []).reduce((s, c) => s + Math.max(0, c), 0));
  const minViol = Math.min(...viol);
  const pool = done.filter((_, i) => viol[i] === minViol);
  const losses = pool.map((t) => lossVector(t.values ?? [], directions));
  const ranks = nonDominatedRanks(losses);
  return pool.filter((_, i) => ranks[i] === 0).sort((a, b) => a.number - b.number);
}
