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
import { RANK_ORDERS } from '../../research/batch/metrics.js';
import { anyObject, count, num, progress, runStatus } from './common.js';

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

/** One trial as results show it (number, state, values, params, metrics; `run_id`: the stored backtest of the best trial). */
export const trialView = z.looseObject({ number: count, values: z.array(num).nullable() }).meta({ id: 'trial' });

export const optimizeOutput = jobOutput('optimize', {
  study_name: z.string(),
  trials_total: count,
  // why the study stopped (also as `stop_reason`): reason and detail
  stopped: z.looseObject({ reason: z.enum([...STOP_REASONS, 'wall_limit']) }),
  counts: anyObject,
  best: trialView.nullable(),
  top: z.array(trialView),
  fail_reasons: z.array(anyObject),
  validated: z.array(anyObject),
});

export const walkForwardOutput = jobOutput('walk_forward', {
  windows: count,
  // trades, return_pct, sharpe, psr, dsr, dsr_n, dsr_detail of the stitched OOS curve
  oos: z.looseObject({ sharpe: num, dsr: num }).nullable(),
  wfe: num,
  // evolving: per param {values, min, max, mean, …} or {values, changes}
  parameter_drift: anyObject,
  final_params: anyObject.nullable(),
  per_window: z.array(anyObject),
});

export const batchOutput = jobOutput('batch', {
  // items, ok, failed, cancelled, cached
  counts: anyObject,
  rank_by: z.string(),
  stats: anyObject,
  // the comparison matrix: columns and rows
  top: anyObject,
  best_per_dataset: z.array(anyObject),
  failures: z.array(anyObject),
  rank_order: z.enum(RANK_ORDERS),
});
