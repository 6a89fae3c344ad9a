/**
 * What a TPE sampler keeps of a study between its proposals (per space and study): the
 * trials' observations (tpe-split.ts), the observations sorted per dimension
 * (sorted-columns.ts) and, per dimension, the normalisers of the bad set's kernels
 * (kernel-cache.ts). A proposal then costs a few O(n) passes plus the work for what changed
 * since the last one: about one new trial.
 */
import type { Dim } from '../space.js';
import type { StudyHistory } from '../trial.js';
import { KernelCache } from './kernel-cache.js';
import { SortedColumns } from './sorted-columns.js';
import { newObservationCache, type Observation, type ObservationCache } from './tpe-split.js';

export class TpeStudyState {
  readonly observations: ObservationCache = newObservationCache();
  readonly kernels: readonly KernelCache[];
  private readonly sorted: SortedColumns;

  constructor(dims: readonly Dim[]) {
    this.sorted = new SortedColumns(dims.length);
    this.kernels = dims.map(() => new KernelCache());
  }

  /**
   * Per dimension, the members (indices into obs) as positions into `members`, in ascending
   * order of value (ties by trial number): a stable argsort of each member column.
   */
  orders(obs: readonly Observation[], members: readonly number[]): Int32Array[] {
    const nums = new Int32Array(obs.length);
    let maxNum = 0;
    for (let j = 0; j < obs.length; j++) {
      nums[j] = obs[j].num;
      if (nums[j] > maxNum) maxNum = nums[j];
    }
    this.sorted.sync(nums, obs.map((o) => o.x));
    const posOf = new Int32Array(maxNum + 1).fill(-1);
    members.forEach((j, p) => (posOf[obs[j].num] = p));
    return this.kernels.map((_, d) => this.sorted.orderOf(d, posOf, members.length));
  }
}

/** One TpeStudyState per (space, study, directions). */
export class TpeStates {
  private readonly byDims = new WeakMap<readonly Dim[], Map<string, TpeStudyState>>();

  get(dims: readonly Dim[], history: StudyHistory): TpeStudyState {
    let byStudy = this.byDims.get(dims);
    if (!byStudy) {
      byStudy = new Map();
      this.byDims.set(dims, byStudy);
    }
    const key = `${history.directions.join(',')}\u0000${history.study_name}`;
    let s = byStudy.get(key);
    if (!s) {
      s = new TpeStudyState(dims);
      byStudy.set(key, s);
    }
    return s;
  }
}
