/**
 * Stored runs as the tools, prompts and resources see them: look one up (with the one "no
 * run with id …" error), list, delete, and read a backtest's stored metrics. The layers above
 * research reach the run repository through here, not through src/storage.
 */
import type { Metrics } from '../engine/backtest/types.js';
import { loadBacktestSummary } from '../storage/run-results.js';
import { deleteRun, getRun, listRuns, type ListRunsQuery, type RunRow } from '../storage/runs.js';
import type { App } from './app.js';
import { UserError } from './errors.js';

export { RUN_KINDS, RUN_STATUSES, type ListRunsQuery, type RunKind, type RunProgress, type RunRow, type RunStatus } from '../storage/runs.js';

/** What to do about an unknown run id. */
export const NO_RUN_HINT = 'list_runs shows the stored runs';

/** The text of the not-found error for a run id (tools, prompts and resources all say this). */
export function noRunMessage(id: string): string {
  return `no run with id ${JSON.stringify(id)}`;
}

/** The stored run with this id, or undefined. */
export function findRun(app: App, id: string): RunRow | undefined {
  return getRun(app.db, id);
}

/** The stored run with this id; a UserError naming `field` when there is none. */
export function requireRun(app: App, id: string, field = 'run_id'): RunRow {
  const run = getRun(app.db, id);
  if (!run) throw new UserError(noRunMessage(id), { field, value: id, hint: NO_RUN_HINT });
  return run;
}

/** One page of runs, newest first, with the total that match. */
export function runPage(app: App, q: ListRunsQuery): { runs: RunRow[]; total: number } {
  return listRuns(app.db, q);
}

/** Deletes a run (its result and child rows go with it); false when it was not there. */
export function removeRun(app: App, id: string): boolean {
  return deleteRun(app.db, id);
}

/** The stored metrics of a backtest run (without its trades or curve), or undefined. */
export function storedMetrics(app: App, runId: string): Metrics | undefined {
  return loadBacktestSummary(app.db, runId)?.metrics;
}
