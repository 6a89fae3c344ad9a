/**
 * Exhaustive grid over the declared values: every int/stepped-float grid point and every
 * categorical choice; a float without `step` contributes `float_points` evenly spaced values
 * (in log space for `log`), 10 by default. The visiting order is a seeded permutation of the
 * grid; a point already in the history (any state) is not proposed again, and when every
 * point has been proposed `sample` returns null (exhausted).
 */
import { createRng, type Rng } from '../../random.js';
import { gridPoint, gridValue, paramsKey, type Dim } from '../space.js';
import type { FlatParams, ParamValue, SearchSpace } from '../space.types.js';
import type { StudyHistory } from '../trial.js';
import { cachedDims } from './random.js';
import type { Sampler } from './types.js';

export interface GridSamplerConfig {
  readonly type: 'grid';
  readonly seed?: number;
  /** Points for a float without step (default 10, ends included). */
  readonly float_points?: number;
}

export const MAX_GRID_POINTS = 5_000_000;

/** The values a grid visits for one parameter. */
export function gridValues(dim: Dim, floatPoints = 10): ParamValue[] {
  if (dim.kind === 'categorical' || dim.step !== null) return Array.from({ length: dim.size }, (_, k) => gridPoint(dim, k));
  if (dim.low === dim.high) return [dim.low];
  const lo = dim.log ? Math.log(dim.low) : dim.low;
  const hi = dim.log ? Math.log(dim.high) : dim.high;
  return Array.from({ length: floatPoints }, (_, k) => {
    if (k === 0) return dim.low;
    if (k === floatPoints - 1) return dim.high;
    const x = lo + ((hi - lo) * k) / (floatPoints - 1);
    return dim.log ? Math.exp(x) : gridValue(dim.low, (dim.high - dim.low) / (floatPoints - 1), k);
  });
}

interface Grid {
  readonly values: ParamValue[][];
  readonly total: number;
  readonly order: Uint32Array;
}

export function createGridSampler(config: Partial<GridSamplerConfig> = {}): Sampler {
  const seed = config.seed ?? 0;
  const floatPoints = config.float_points ?? 10;
  if (!Number.isInteger(floatPoints) || floatPoints < 2) throw new RangeError(`grid: float_points must be an integer >= 2, got ${floatPoints}`);
  const grids = new WeakMap<SearchSpace, Grid>();
  const cursors = new WeakMap<SearchSpace, { study: string; nTrials: number; cursor: number }>();

  function gridOf(space: SearchSpace): Grid {
    let g = grids.get(space);
    if (g) return g;
    const dims = cachedDims(space);
    const values = dims.map((d) => gridValues(d, floatPoints));
    const total = values.reduce((p, v) => p * v.length, 1);
    if (total > MAX_GRID_POINTS) {
      const sizes = dims.map((d, i) => `${d.name}: ${values[i].length}`).join(', ');
      throw new RangeError(`grid has ${total} points (> ${MAX_GRID_POINTS}); add coarser steps or fewer values (${sizes})`);
    }
    const order = new Uint32Array(total);
    for (let i = 0; i < total; i++) order[i] = i;
    const rng = createRng(seed);
    for (let i = total - 1; i > 0; i--) {
      const j = rng.int(0, i);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    g = { values, total, order };
    grids.set(space, g);
    return g;
  }

  function decode(space: SearchSpace, g: Grid, index: number): FlatParams {
    const dims = cachedDims(space);
    const out: FlatParams = {};
    let rest = index;
    for (let d = dims.length - 1; d >= 0; d--) {
      const n = g.values[d].length;
      out[dims[d].name] = g.values[d][rest % n];
      rest = Math.floor(rest / n);
    }
    return out;
  }

  return {
    name: 'grid',
    sample(space: SearchSpace, history: StudyHistory, _rng: Rng): FlatParams | null {
      const g = gridOf(space);
      const seen = new Set<string>();
      for (const t of history.trials) seen.add(paramsKey(space, t.params));
      // A study's history only grows, so points before the cursor stay visited: each
      // call resumes where the previous one stopped (linear over a whole study, not quadratic).
      const last = cursors.get(space);
      const reuse = last !== undefined && last.study === history.study_name && last.nTrials <= history.trials.length;
      for (let i = reuse ? last.cursor : 0; i < g.total; i++) {
        const p = decode(space, g, g.order[i]);
        if (!seen.has(paramsKey(space, p))) {
          cursors.set(space, { study: history.study_name, nTrials: history.trials.length, cursor: i });
          return p;
        }
      }
      cursors.set(space, { study: history.study_name, nTrials: history.trials.length, cursor: g.total });
      return null;
    },
  };
}
