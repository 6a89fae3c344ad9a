import { z } from 'zod';
import { inlineResultSchema } from '../research/analyze/inline.js';
import { analyzeResults, MAX_MC_PATHS } from '../research/analyze/request.js';
import { MAX_COMPARE } from '../research/analyze/compare.js';
import { DEPTHS } from '../research/analyze/types.js';
import { defineTool } from './types.js';
import { analyzeOutput } from './outputs/analyze.js';

export const analyzeResultsTool = defineTool({
  name: 'analyze_results',
  title: 'Analyze results',
  description:
    'Analyse a stored run (optimize: best trial; walk_forward: stitched OOS), compare runs, or inline equity. ' +
    'basic: trades, drawdowns, returns; advanced: + risk ratios, beta/alpha, monthly, long/short; ' +
    'deep: + Monte Carlo, PSR, MinTRL, DSR, PBO, costs, break-even. ' +
    'Verdict (promote-able/caution/reject) with reasons.',
  tier: 'read',
  app: true,
  inputSchema: {
    run_id: z.string().min(1).max(64).optional().describe('One run.'),
    run_ids: z.array(z.string().min(1).max(64)).min(2).max(MAX_COMPARE).optional().describe('Runs to compare.'),
    inline: inlineResultSchema.optional().describe('Outside data; rows capped by limits.max_inline_rows.'),
    depth: z.enum(DEPTHS).optional().describe('Default basic.'),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe('Monte Carlo seed (default 0); deterministic.'),
    ruin_drawdown_pct: z.number().gt(-100).lt(0).optional().describe('Ruin drawdown, negative % (default -50).'),
    mc_paths: z.number().int().min(100).max(MAX_MC_PATHS).optional().describe('Monte Carlo paths per method (default 1000).'),
  },
  outputSchema: analyzeOutput,
  annotations: { idempotentHint: true },
  handler(args, ctx) {
    return analyzeResults(ctx.app, args);
  },
});
