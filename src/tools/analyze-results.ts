import { z } from 'zod';
import { inlineResultSchema } from '../research/analyze/inline.js';
import { analyzeResults, MAX_MC_PATHS } from '../research/analyze/request.js';
import { MAX_COMPARE } from '../research/analyze/compare.js';
import { DEFAULT_ANALYZE, DEPTHS } from '../research/analyze/types.js';
import { defaultsTo, documented } from '../research/listing.js';
import { runIdField } from './schemas.js';
import { defineTool } from './types.js';
import { analyzeOutput } from './outputs/analyze.js';

export const analyzeResultsTool = defineTool({
  name: 'analyze_results',
  title: 'Analyze results',
  description:
    'Analyses a run (optimize: best trial; walk_forward: OOS), several runs, or inline equity, basic/advanced/deep; verdict promote-able/caution/reject with reasons. Then champion_promote.',
  doc:
    '`basic`: trades, drawdowns, returns. `advanced`: + risk ratios, beta/alpha against buy & hold, monthly returns, long/short breakdown. ' +
    '`deep`: + Monte Carlo (`mc_paths` per method, `seed`, ruin at `ruin_drawdown_pct`), PSR, MinTRL, DSR (deflated by the trial ledger), PBO of an optimisation, cost sensitivity and break-even costs. ' +
    '`run_ids` compares 2–10 runs (ranking, DSR order, a verdict each). `inline` analyses outside data: {time (epoch ms, ascending), equity (same length, first > 0), trades?, benchmark_close?}, rows capped by limits.max_inline_rows. ' +
    'The verdict\'s reasons are machine-readable (`code`, `level`, `message`, `value`, `threshold`). Nothing is stored; the same request gives the same answer.',
  tier: 'read',
  app: true,
  inputSchema: {
    run_id: runIdField.optional(),
    run_ids: z.array(z.string().min(1).max(64)).min(2).max(MAX_COMPARE).optional().describe('Runs to compare.'),
    inline: inlineResultSchema.optional().describe('{time, equity, trades?, benchmark_close?}: outside data.'),
    depth: documented(defaultsTo(z.enum(DEPTHS).optional(), DEFAULT_ANALYZE.depth), 'How far the analysis goes (see above).'),
    seed: defaultsTo(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(), DEFAULT_ANALYZE.seed).describe('Monte Carlo.'),
    ruin_drawdown_pct: defaultsTo(z.number().gt(-100).lt(0).optional(), DEFAULT_ANALYZE.ruinDrawdownPct).describe('Monte Carlo ruin.'),
    mc_paths: defaultsTo(z.number().int().min(100).max(MAX_MC_PATHS).optional(), DEFAULT_ANALYZE.mcPaths).describe('Monte Carlo, per method.'),
  },
  outputSchema: analyzeOutput,
  annotations: { idempotentHint: true },
  handler(args, ctx) {
    return analyzeResults(ctx.app, args);
  },
});
