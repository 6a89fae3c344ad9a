/**
 * TPE observations: each usable trial as an internal-space vector with its ranking key
 * (COMPLETE by value; PRUNED after them, later steps first, then by the value at that step;
 * RUNNING, under the constant liar, last), and the good/bad split:
 * best γ(n) by that key, or with constraints feasible first / infeasible by total violation,
 * or with several objectives by non-domination rank with hypervolume ties (MOTPE).
 */
import { toInternal, type Dim } from '../space.js';
import { hypervolumeContributions, lossVector, nonDominatedRanks, referencePoint, selectByHypervolume } from '../pareto.js';
import { totalViolation, type FrozenTrial, type StudyDirection, type StudyHistory } from '../trial.js';

export interface CollectOptions {
  readonly constant_liar: boolean;
}

export interface Observation {
  readonly num: number;
  readonly x: Float64Array;
  /** Single objective: (step, value) sort key; step = −Infinity for COMPLETE, +Infinity for RUNNING. */
  readonly step: number;
  readonly value: number;
  readonly losses: readonly number[] | null;
  readonly violation: number;
}

function internals(dims: readonly Dim[], t: FrozenTrial): Float64Array | null {
  const x = new Float64Array(dims.length);
  for (let d = 0; d < dims.length; d++) {
    const v = t.params[dims[d].name];
    x[d] = v === undefined ? NaN : toInternal(dims[d], v);
    // Values outside the current space (e.g. a trial of an older, wider space) are skipped.
    if (!(Number.isFinite(x[d]) && x[d] >= dims[d].lowI - 1e-12 && x[d] <= dims[d].highI + 1e-12)) return null;
  }
  return x;
}

/**
 * Observations of one study by trial number, each with the trial object it was made from:
 * finished trials are immutable snapshots, so the same object gives the same observation.
 * One cache per space and study (and its directions).
 */
export interface ObservationCache {
  readonly trials: (FrozenTrial | undefined)[];
  readonly obs: (Observation | null)[];
}

export function newObservationCache(): ObservationCache {
  return { trials: [], obs: [] };
}

function observe(dims: readonly Dim[], t: FrozenTrial, directions: readonly StudyDirection[]): Observation | null {
  const x = internals(dims, t);
  if (x === null) return null;
  const multi = directions.length > 1;
  const sign = directions[0] === 'minimize' ? 1 : -1;
  let step = -Infinity;
  let value = 0;
  if (t.state === 'COMPLETE') {
    value = sign * (t.values as readonly number[])[0];
  } else if (t.state === 'PRUNED') {
    let last = -Infinity;
    for (const st of t.intermediate_values.keys()) if (st > last) last = st;
    if (last === -Infinity) {
      step = Infinity;
      value = 0;
    } else {
      const v = t.intermediate_values.get(last) as number;
      step = -last;
      value = Number.isNaN(v) ? Infinity : sign * v;
    }
  } else {
    // constant liar: a running trial ranks last, after every PRUNED one (Optuna: (inf, inf))
    step = Infinity;
    value = Infinity;
  }
  const losses = multi && t.values !== null ? lossVector(t.values, directions) : null;
  // a running trial has no constraint values yet: with constraints it ranks after every finished one (as in Optuna)
  const violation = t.state === 'RUNNING' ? Infinity : totalViolation(t.constraints);
  return { num: t.number, x, step, value, losses, violation };
}

export function collect(dims: readonly Dim[], history: StudyHistory, cfg: CollectOptions, cache: ObservationCache = newObservationCache()): { obs: Observation[]; nFinished: number; hasConstraints: boolean } {
  const multi = history.directions.length > 1;
  const obs: Observation[] = [];
  let nFinished = 0;
  let hasConstraints = false;
  for (const t of history.trials) {
    if (t.state === 'FAIL' || t.state === 'WAITING') continue; // WAITING: queued to run again
    if (t.state === 'RUNNING' && (!cfg.constant_liar || multi)) continue;
    if (t.state === 'PRUNED' && multi) continue;
    if (t.state === 'COMPLETE' && (t.values === null || t.values.length !== history.directions.length)) continue;
    let o: Observation | null;
    if (cache.trials[t.number] === t) o = cache.obs[t.number] as Observation | null;
    else {
      o = observe(dims, t, history.directions);
      cache.trials[t.number] = t;
      cache.obs[t.number] = o;
    }
    if (o === null) continue;
    if (t.state !== 'RUNNING') nFinished++;
    if (t.constraints !== null) hasConstraints = true;
    obs.push(o);
  }
  return { obs, nFinished, hasConstraints };
}

/** The nBelow best of idx (ascending) by (step, value, index): a bounded insertion, O(n·γ) worst case, O(n) typical. */
function splitSingle(obs: readonly Observation[], idx: readonly number[], nBelow: number): [number[], number[]] {
  const best = new Int32Array(nBelow);
  let nb = 0;
  // a before b (a later in idx than b)?
  const before = (a: Observation, b: Observation): boolean => a.step < b.step || (!(a.step > b.step) && a.value < b.value);
  // the worst kept so far (once nBelow are kept, anything not before it is skipped)
  let worst: Observation | null = null;
  for (const i of idx) {
    const o = obs[i];
    if (nb === nBelow && (nBelow === 0 || !before(o, worst as Observation))) continue;
    let p = nb < nBelow ? nb++ : nb - 1;
    while (p > 0 && before(o, obs[best[p - 1]])) {
      best[p] = best[p - 1];
      p--;
    }
    best[p] = i;
    worst = obs[best[nb - 1]];
  }
  const inBest = new Uint8Array(obs.length);
  for (let j = 0; j < nb; j++) inBest[best[j]] = 1;
  const rest: number[] = [];
  for (const i of idx) if (inBest[i] === 0) rest.push(i);
  return [Array.from(best.subarray(0, nb)), rest];
}

function splitMulti(obs: readonly Observation[], idx: number[], nBelow: number): [number[], number[]] {
  const losses = idx.map((i) => obs[i].losses as readonly number[]);
  const ranks = nonDominatedRanks(losses);
  const below: number[] = [];
  let rank = 0;
  for (;;) {
    const members = idx.filter((_, j) => ranks[j] === rank);
    if (members.length === 0) break;
    if (below.length + members.length <= nBelow) {
      below.push(...members);
      rank++;
      continue;
    }
    const need = nBelow - below.length;
    if (need > 0) {
      const pts = members.map((i) => obs[i].losses as readonly number[]);
      below.push(...selectByHypervolume(pts, need, referencePoint(pts)).map((j) => members[j]));
    }
    break;
  }
  const inBelow = new Set(below);
  return [below, idx.filter((i) => !inBelow.has(i))];
}

/** Good/bad split (indices into obs, each chronological). */
export function splitObservations(obs: readonly Observation[], nBelow: number, multi: boolean, useConstraints: boolean): [number[], number[]] {
  const all = new Array<number>(obs.length);
  for (let i = 0; i < obs.length; i++) all[i] = i;
  let below: number[];
  let above: number[];
  if (useConstraints) {
    const byViol = [...all].sort((a, b) => obs[a].violation - obs[b].violation || a - b);
    if (nBelow < byViol.length && obs[byViol[nBelow]].violation > 0) {
      below = byViol.slice(0, nBelow);
      above = byViol.slice(nBelow);
    } else {
      const feasible = all.filter((i) => obs[i].violation === 0);
      const infeasible = all.filter((i) => obs[i].violation > 0);
      const [b, a] = multi ? splitMulti(obs, feasible, nBelow) : splitSingle(obs, feasible, nBelow);
      below = b;
      above = [...a, ...infeasible];
    }
  } else {
    [below, above] = multi ? splitMulti(obs, all, nBelow) : splitSingle(obs, all, nBelow);
  }
  return [ascending(below), ascending(above)];
}

/** Sorts indices ascending (chronological order), skipping the sort when already sorted. */
function ascending(idx: number[]): number[] {
  for (let i = 1; i < idx.length; i++) if (idx[i] < idx[i - 1]) return idx.sort((a, b) => a - b);
  return idx;
}

/** MOTPE weights of the good set: hypervolume contributions (feasible), ε for infeasible. */
export function multiObjectiveWeights(obs: readonly Observation[], below: readonly number[]): Float64Array {
  const EPS = 1e-12;
  const w = new Float64Array(below.length).fill(EPS);
  const feas = below.map((i, j) => [i, j] as const).filter(([i]) => obs[i].violation === 0);
  if (feas.length === 1) w[feas[0][1]] = 1;
  if (feas.length > 1) {
    const pts = feas.map(([i]) => obs[i].losses as readonly number[]);
    const contrib = hypervolumeContributions(pts, referencePoint(pts)).map((c) => c + EPS);
    const mx = Math.max(...contrib);
    feas.forEach(([, j], q) => (w[j] = Math.min(1, Math.max(0, contrib[q] / mx))));
  }
  return w;
}

export function columns(obs: readonly Observation[], idx: readonly number[], dimIdx: readonly number[]): Float64Array[] {
  const cols = dimIdx.map(() => new Float64Array(idx.length));
  for (let j = 0; j < idx.length; j++) {
    const x = obs[idx[j]].x;
    for (let c = 0; c < cols.length; c++) cols[c][j] = x[dimIdx[c]];
  }
  return cols;
}
