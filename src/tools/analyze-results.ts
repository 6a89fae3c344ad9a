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
    'Analyse a stored run (backtest; optimize = its best trial; walk_forward = stitched out-of-sample curve), compare 2–10 runs, or an inline equity curve. ' +
    'basic: trade stats, drawdowns, return distribution. advanced: + Sharpe/Sortino/Calmar/Omega/SQN/Kelly/K-ratio, buy & hold beta/alpha, monthly/yearly, long vs short. ' +
    'deep: + seeded Monte Carlo with risk of ruin, PSR, MinTRL, DSR from the trial ledger, PBO for optimisations, cost sensitivity and break-even bps. ' +
    'Ends with a verdict (promote-able/caution/reject) and reasons. Stores nothing.',
  tier: 'read',
  inputSchema: {
    run_id: z.string().min(1).max(64).optional().describe('One run to analyse.'),
    run_ids: z.array(z.string().min(1).max(64)).min(2).max(MAX_COMPARE).optional().describe(`2–${MAX_COMPARE} runs to compare side by side.`),
    inline: inlineResultSchema.optional().describe('Outside data: {time (epoch ms), equity, trades?, benchmark_close?}; rows capped by limits.max_inline_rows.'),
    depth: z.enum(DEPTHS).optional().describe('basic (default), advanced or deep.'),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe('Monte Carlo seed (default 0); same inputs and seed give the same output.'),
    ruin_drawdown_pct: z.number().gt(-100).lt(0).optional().describe('Drawdown counted as ruin in the Monte Carlo, negative percent (default -50).'),
    mc_paths: z.number().int().min(100).max(MAX_MC_PATHS).optional().describe(`Monte Carlo paths per method (default 1000, max ${MAX_MC_PATHS}).`),
  },
  outputSchema: analyzeOutput,
  annotations: { idempotentHint: true },
  handler(args, ctx) {
    return analyzeResults(ctx.app, args);
  },
});
