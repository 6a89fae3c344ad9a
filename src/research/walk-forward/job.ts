/** A walk-forward request (the `walk_forward` tool's input and `tradelab walk-forward`). */
import { z } from 'zod';
import { defaultsTo, documented, listedAs, WAIT_DOC } from '../listing.js';
import { optimizeTaskSchema } from '../optimize/job.js';

const length = listedAs(z.union([z.number().int().min(1).max(100_000_000), z.string().min(2).max(12)]), { type: ['integer', 'string'] });

/** Listed as "as in optimize": optimize's schema lists these in its shorter form, the tool docs in full. */
const asInOptimize = <T extends z.ZodType>(s: T, type: string | string[]): T => listedAs(s, { type, description: 'As in optimize.' });

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

const shared = {
  ...base,
  space: asInOptimize(base.space, 'object'),
  objective: asInOptimize(base.objective, ['string', 'object']),
  constraints: asInOptimize(base.constraints, 'array'),
  sampler: asInOptimize(base.sampler, ['string', 'object']),
  pruner: asInOptimize(base.pruner, ['string', 'object']),
};

export const walkForwardSchema = z
  .object({
    ...shared,
    mode: defaultsTo(z.enum(['rolling', 'anchored']).optional(), 'rolling').describe('anchored: the in-sample window grows.'),
    is: documented(
      length.describe('In-sample: bars or duration (180d, 12w, 6M).'),
      'A number of bars, or a duration: a number and min, h, d, w (fixed lengths), M or y (calendar months and years, UTC), e.g. "180d", "6M", "4h"; a lower-case m is refused as ambiguous. A duration covers the bars inside it, so windows may hold different numbers of bars. The same forms for oos and step.',
    ),
    oos: length.describe('Out-of-sample, same forms.'),
    step: length.optional().describe('Between window starts (default: oos).'),
    purge: defaultsTo(z.number().int().min(0).max(100_000).optional(), 0).describe('Bars cut before each OOS window.'),
    embargo: defaultsTo(z.number().int().min(0).max(100_000).optional(), 0).describe('Bars skipped after it.'),
    allow_overlap: z.boolean().optional().describe('Allow step < oos.'),
    n_trials: defaultsTo(z.number().int().min(1).max(10_000).optional(), 40).describe('Per window.'),
    params: documented(
      listedAs(z.union([z.record(z.string(), z.unknown()), z.literal('champion')]), { type: ['object', 'string'] })
        .optional()
        .describe('Fixed params or "champion": no optimisation.'),
      'Walk these params (or the current champion of the strategy/symbol/timeframe) forward unchanged: each window is only backtested out of sample, with no in-sample optimisation.',
    ),
    wait_seconds: documented(z.number().min(0).max(600).optional(), WAIT_DOC),
  })
  .strict();

/** A request after validation (defaults filled in by the schema). */
export type WalkForwardRequest = z.output<typeof walkForwardSchema>;
