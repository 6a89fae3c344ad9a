import type { FrozenTrial, StudyHistory } from '../trial.js';

/**
 * A pruner decides from a snapshot whether a RUNNING trial should stop early. It is a pure
 * function of (trial, history) and its immutable configuration, so it can run in a worker
 * thread on a structured-clone of the history.
 */
export interface Pruner {
  readonly name: string;
  shouldPrune(trial: FrozenTrial, history: StudyHistory): boolean;
}
