/**
 * A batch as a job of the server's JobRunner: the batch run (kind `batch`) is created at
 * once, the items run in the background, and callers wait a bounded time for it (tool:
 * `config.wait_seconds`, CLI: until done). The summary is stored on the batch run.
 */
import type { Evaluator } from '../../engine/parallel/pool.js';
import type { RunRow } from '../../storage/runs.js';
import type { App } from '../app.js';
import type { JobContext, JobRunner } from '../jobs.js';
import { planBatch, type BatchPlan } from './expand.js';
import type { ItemResult } from './rank.js';
import { executeBatch } from './run.js';
import type { BatchSpecInput } from './spec.js';
import { rankSpecOf, summarizeBatch } from './summary.js';
import './sections.js';
import { UserError } from '../errors.js';
import { RemoteEvaluator } from '../remote/remote-evaluator.js';
import { sharedRemote } from '../remote/shared.js';

/** Items a batch queues at once for external workers. */
const REMOTE_QUEUE = 256;
/** A queued item whose worker sends no heartbeat for this long is queued again. */
const TASK_GRACE_MS = 10_000;

export interface StartBatchOptions {
  readonly evaluator?: Evaluator;
  /** With `evaluator`: the database file its (item-worker.js) workers store items in. */
  readonly db_file?: string | null;
  /** Extra keys for the stored batch spec (e.g. the scenario it came from). */
  readonly specExtra?: Record<string, unknown>;
  /** Adds sections to the summary once the items are done (scenario reports). */
  readonly extend?: (results: readonly ItemResult[], ctx: JobContext) => Promise<Record<string, unknown>> | Record<string, unknown>;
  readonly parent_id?: string;
}

export interface StartedBatch {
  readonly run: RunRow;
  readonly plan: BatchPlan;
}

/** Validates the spec (cap, metrics, execution), then starts the batch job. */
export function startBatch(app: App, jobs: JobRunner, clientId: string, input: BatchSpecInput, opts: StartBatchOptions = {}): StartedBatch {
  const plan = planBatch(input, app.config.limits.max_batch_items);
  const external = input.n_workers === 'external';
  if (external && !app.shared_storage) {
    throw new UserError('no shared storage is configured for external workers', { field: 'n_workers', value: 'external', expected: 'a server (or CLI) started with TRADELAB_DATABASE_URL=postgresql://… (the database the `tradelab worker` processes use)' });
  }
  // external: every item queued at once, for however many workers there are
  const concurrency = external ? Math.min(plan.items.length, REMOTE_QUEUE) : (plan.concurrency ?? app.config.workers);
  const rs = rankSpecOf(plan);
  const spec = { ...input, ...opts.specExtra, resolved: { ...rs, items: plan.items.length, concurrency } };
  const strategies = [...new Set(plan.items.map((i) => i.strategy))];
  const run = jobs.start(
    'batch',
    clientId,
    spec,
    async (ctx) => {
      const t0 = app.now();
      const deadline = t0 + app.config.limits.max_wall_seconds * 1000;
      const evaluator = external ? new RemoteEvaluator(await sharedRemote(app), ctx.run_id, TASK_GRACE_MS, app.now) : opts.evaluator;
      let results: ItemResult[];
      try {
        results = await executeBatch(app, ctx, plan.items, { concurrency, evaluator, db_file: external ? null : opts.db_file, deadline, progressMetric: plan.rank_by });
      } finally {
        if (external) await evaluator?.close();
      }
      const summary = summarizeBatch(results, rs, { label: plan.label, concurrency, elapsed_ms: app.now() - t0 });
      return opts.extend ? { ...summary, ...(await opts.extend(results, ctx)) } : summary;
    },
    { strategy: strategies.length === 1 ? strategies[0] : undefined, parent_id: opts.parent_id },
  );
  return { run, plan };
}
