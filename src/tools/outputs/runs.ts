/**
 * Output schemas of list_runs and get_run. A run's stored `summary` is free-form here: runs
 * stored by earlier releases keep the summary of their time; the tools that produce
 * summaries (optimize, walk_forward, backtest_batch) type theirs.
 */
import { z } from 'zod';
import { anyObject, metrics, page, paging, progress, runKind, runStatus, time } from './common.js';
import { RUN_SECTIONS } from '../../research/run-sections.js';

const runFields = { run_id: z.string(), kind: runKind, status: runStatus, strategy: z.string().nullable(), created_at: time };

/** Each run: run_id, kind, status; strategy, created_at and summary pass through. */
export const listRunsOutput = z.looseObject({ runs: z.array(z.looseObject({ run_id: z.string(), kind: runKind, status: runStatus })), ...paging });

/** The section asked for with `include` comes as a page under its own name (trades, trials, …). */
const sections = Object.fromEntries(RUN_SECTIONS.map((s) => [s, page.optional()])) as Record<(typeof RUN_SECTIONS)[number], z.ZodOptional<typeof page>>;

export const getRunOutput = z.looseObject({
  ...runFields,
  live: z.boolean(),
  progress: progress.nullable(),
  error: z.string().nullable(),
  spec: anyObject,
  summary: anyObject.nullable(),
  // backtests, without include
  metrics: metrics.optional(),
  ...sections,
});
