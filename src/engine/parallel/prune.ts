/**
 * Builds a pruning decision function from a serialisable PruneSpec, so the decision can be
 * taken inside a worker thread against a snapshot of the study. The intermediate axis is
 * the running return (%) at fixed checkpoints of the bar range, which is always maximised,
 * whatever the study's objective: the snapshot's direction is set accordingly.
 */
import { createPruner, type PrunerConfig } from '../optimizer/pruners/index.js';
import { freezeTrial, type FrozenTrial, type StudyHistory } from '../optimizer/trial.js';
import type { PruneSpec } from './messages.js';
import type { PruneDecider } from './task.js';

export interface PruneHistory {
  readonly study_name: string;
  readonly trials: readonly FrozenTrial[];
}

export function makePruneDecider(spec: PruneSpec): PruneDecider {
  const pruner = createPruner(spec.pruner as PrunerConfig);
  const snap = spec.history as PruneHistory;
  const history: StudyHistory = { study_name: snap.study_name, directions: ['maximize'], trials: snap.trials };
  const self = snap.trials[spec.trial_number];
  const start = self?.datetime_start ?? 0;
  return (_step, _value, reported) => {
    const trial = freezeTrial({ number: spec.trial_number, state: 'RUNNING', params: self?.params ?? {}, intermediate_values: reported, datetime_start: start });
    return pruner.shouldPrune(trial, history);
  };
}
