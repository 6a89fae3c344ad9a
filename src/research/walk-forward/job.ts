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
    mode: z.enum(['rolling', 'anchored']).optional().describe('rolling (fixed-length in-sample, default) or anchored (in-sample grows from the start).'),
    is: length.describe('In-sample length: bars (number) or a calendar span like "180d", "12w", "6M".'),
    oos: length.describe('Out-of-sample length: bars or a calendar span like "30d".'),
    step: length.optional().describe('Distance between window starts (default: the out-of-sample length, so OOS windows tile without overlap).'),
    purge: z.number().int().min(0).max(100_000).optional().describe('Bars dropped from the end of each in-sample span before its OOS window.'),
    embargo: z.number().int().min(0).max(100_000).optional().describe('Bars skipped after each OOS window.'),
    allow_overlap: z.boolean().optional().describe('Allow overlapping OOS windows (a step shorter than oos); they are then flagged.'),
    n_trials: z.number().int().min(1).max(10_000).optional().describe('Optimisation trials per window (default 40).'),
    params: z
      .union([z.record(z.string(), z.unknown()), z.literal('champion')])
      .optional()
      .describe('Skip the in-sample optimisation and walk these params (or the current champion) forward.'),
    wait_seconds: z.number().min(0).max(600).optional().describe('How long to wait before returning the run handle.'),
  })
  .strict();

export type WalkForwardRequest = z.infer<typeof walkForwardSchema>;
