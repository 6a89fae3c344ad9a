import type { Rng } from '../../random.js';
import type { FlatParams, SearchSpace } from '../space.types.js';
import type { StudyHistory } from '../trial.js';

/**
 * A sampler proposes the parameters of the next trial from the study's history. It is a
 * pure function of (space, history, rng) plus its own immutable configuration, so the same
 * seed gives the same trials (the study derives `rng` from its seed and the trial number).
 */
export interface Sampler {
  readonly name: string;
  /** Params for the next trial, or null when the sampler has nothing left to propose (exhausted grid). */
  sample(space: SearchSpace, history: StudyHistory, rng: Rng): FlatParams | null;
}
