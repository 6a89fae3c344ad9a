/**
 * Builds a pruning decision function from a serialisable PruneSpec, so the decision can be
 * taken inside a worker thread against a snapshot of the study (filled in with the
 * optimizer's pruners).
 */
import type { PruneSpec } from './messages.js';
import type { PruneDecider } from './task.js';

export function makePruneDecider(spec: PruneSpec): PruneDecider {
  void spec;
  return () => false;
}
