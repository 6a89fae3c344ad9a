/**
 * Uniform random sampling: floats uniform in their (log) range, discrete values uniform over
 * their grid points (log ints uniform in log space over widened cells, as Optuna does),
 * categoricals uniform over choices.
 */
import type { Rng } from '../../random.js';
import { dimsOf, fromInternal, type Dim } from '../space.js';
import type { FlatParams, ParamValue, SearchSpace } from '../space.types.js';
import type { StudyHistory } from '../trial.js';
import type { Sampler } from './types.js';

export function sampleUniform(dim: Dim, rng: Rng): ParamValue {
  if (dim.kind === 'categorical') return dim.choices[rng.int(0, dim.size - 1)];
  if (dim.step !== null && !dim.log) {
    return fromInternal(dim, dim.low + rng.int(0, dim.size - 1) * dim.step);
  }
  if (dim.size === 1) return dim.low;
  return fromInternal(dim, dim.lowI + rng.next() * (dim.highI - dim.lowI));
}

const dimsCache = new WeakMap<SearchSpace, Dim[]>();

/** dimsOf with a per-space cache (spaces are frozen values). */
export function cachedDims(space: SearchSpace): Dim[] {
  let d = dimsCache.get(space);
  if (!d) {
    d = dimsOf(space);
    dimsCache.set(space, d);
  }
  return d;
}

export function sampleRandomParams(space: SearchSpace, rng: Rng): FlatParams {
  const out: FlatParams = {};
  for (const dim of cachedDims(space)) out[dim.name] = sampleUniform(dim, rng);
  return out;
}

export interface RandomSamplerConfig {
  readonly type: 'random';
  readonly seed?: number;
}

export function createRandomSampler(): Sampler {
  return {
    name: 'random',
    sample(space: SearchSpace, _history: StudyHistory, rng: Rng): FlatParams {
      return sampleRandomParams(space, rng);
    },
  };
}
