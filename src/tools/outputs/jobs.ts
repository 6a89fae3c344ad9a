/**
 * Output schemas of the long-running tools (optimize, walk_forward, backtest_batch). Each
 * answers either with the finished run's summary or, when the wait budget ran out first,
 * with a run handle (`status` queued/running, `progress`, `next`). The MCP SDK needs an
 * object at the top of an output schema (not a union), so one object holds the handle's
 * fields and the summary's, the summary's optional: they are present once the run finished
 * (status succeeded or cancelled, or failed with its summary kept).
 */
import { z } from 'zod';
import { STOP_REASONS } from '../../engine/optimizer/optimize.js';
import { TRIAL_STATES } from '../../engine/optimizer/trial.js';
import { RANK_ORDERS } from '../../research/batch/metrics.js';
import { anyObject, count, metrics, num, progress, runStatus } from './common.js';
import { dsrDetail } from './evidence.js';

/** The fields every job answer has, then the summary's (optional). */
function jobOutput(kind: 'optimize' | 'walk_forward' | 'batch', summary: z.ZodRawShape) {
  return z.looseObject({
    run_id: z.string(),
    kind: z.literal(kind),
    status: runStatus,
    // a handle: progress so far and how to poll
    progress: progress.nullable().optional(),
    next: z.string().optional(),
    error: z.string().nullable().optional(),
    ...z.looseObject(summary).partial().shape,
  });
}

/** One trial as results show it (`run_id`: the stored backtest of the best trial). */
export const trialView = z
  .looseObject({ number: count, state: z.enum(TRIAL_STATES), values: z.array(num).nullable(), params: anyObject, metrics: metrics.nullable(), run_id: z.string().nullable().optional() })
  .meta({ id: 'trial' });

export const optimizeOutput = jobOutput('optimize', {
  study_name: z.string(),
  trials_total: count,
  // why the study stopped (also as `stop_reason`)
  stopped: z.looseObject({ reason: z.enum([...STOP_REASONS, 'wall_limit']), detail: z.string() }),
  counts: z.record(z.string(), count),
  best: trialView.nullable(),
  top: z.array(trialView),
  fail_reasons: z.array(z.looseObject({ reason: z.string(), count })),
  validated: z.array(z.looseObject({ number: count, passed: z.boolean(), holdout_run_id: z.string().nullable() })),
});

export const walkForwardOutput = jobOutput('walk_forward', {
  windows: count,
  oos: z.looseObject({ trades: count, return_pct: num, sharpe: num, psr: num, dsr: num, dsr_n: num, dsr_detail: dsrDetail.nullable() }).nullable(),
  wfe: num,
  // evolving: per param {values, min, max, mean, …} or {values, changes}
  parameter_drift: z.record(z.string(), anyObject),
  final_params: anyObject.nullable(),
  per_window: z.array(z.looseObject({ index: count, params: anyObject.nullable(), oos_metrics: metrics.nullable() })),
});

export const batchOutput = jobOutput('batch', {
  counts: z.looseObject({ items: count, ok: count, failed: count, cancelled: count }),
  rank_by: z.string(),
  stats: z.looseObject({ n: count, best: num, median: num }),
  top: z.looseObject({ columns: z.array(z.string()), rows: z.array(z.array(z.unknown())) }),
  best_per_dataset: z.array(z.looseObject({ run_id: z.string().nullable(), value: z.number() })),
  failures: z.array(z.looseObject({ i: count, error: z.string().nullable() })),
  rank_order: z.enum(RANK_ORDERS),
});
