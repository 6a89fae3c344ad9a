/** A walk-forward request (the `walk_forward` tool's input and `tradelab walk-forward`). */
import { z } from 'zod';
import { optimizeTaskSchema } from '../optimize/job.js';

const length = z.union([z.number().int().min(1).max(100_000_000), z.string().min(2).max(12)]);

const base = optimizeTaskSchema.pick({
  strategy: true,
  dataset_id: true,
  symbol: true,
  timeframe: true,
  version: true,
  from: true,
  to: true,
  space: true,
  fixed_params: true,
  objective: true,
  constraints: true,
  sampler: true,
  pruner: true,
  n_jobs: true,
  seed: true,
  execution: true,
}).shape;

export const walkForwardSchema = z
  .object({
    ...base,
    mode: z.enum(['rolling', 'anchored']).optional().describe('rolling (default): fixed in-sample length; anchored: in-sample grows.'),
    is: length.describe('In-sample length: bars or span ("180d", "12w", "6M").'),
    oos: length.describe('Out-of-sample length: bars or span ("30d").'),
    step: length.optional().describe('Between window starts (default oos: OOS windows tile).'),
    purge: z.number().int().min(0).max(100_000).optional().describe('Bars cut from each in-sample end before its OOS window.'),
    embargo: z.number().int().min(0).max(100_000).optional().describe('Bars skipped after each OOS window.'),
    allow_overlap: z.boolean().optional().describe('Allow step < oos (overlapping OOS windows, flagged).'),
    n_trials: z.number().int().min(1).max(10_000).optional().describe('Trials per window (default 40).'),
    params: z
      .union([z.record(z.string(), z.unknown()), z.literal('champion')])
      .optional()
      .describe('Walk these params (or "champion") forward; no in-sample optimisation.'),
    wait_seconds: z.number().min(0).max(600).optional().describe('Seconds to wait for the result (default 45).'),
  })
  .strict();

export type WalkForwardRequest = z.infer<typeof walkForwardSchema>;
