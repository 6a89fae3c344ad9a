/**
 * Output schema of analyze_results: one analysis (a run or inline data; `subject`, sections
 * by depth, `verdict`) or a comparison of runs (`runs`, `ranking`). The MCP SDK needs one
 * object at the top, so the fields of both forms are optional except `depth`. Sections
 * type their headline figures; everything else in them passes through (the deep sections,
 * Monte Carlo and cost sensitivity, are still evolving).
 */
import { z } from 'zod';
import { DEPTHS } from '../../research/analyze/types.js';
import { anyObject, count, num, strings } from './common.js';
import { dsrDetail, pboDetail, verdictBlock, verdictName } from './evidence.js';

const single = {
  subject: z.looseObject({ kind: z.enum(['backtest', 'optimize', 'walk_forward', 'inline']), run_id: z.string().nullable(), analyzed_run_id: z.string().nullable() }),
  overview: z.looseObject({ bars: count, return_pct: num, closed_trades: count }),
  drawdowns: z.looseObject({ max_drawdown_pct: num }),
  // advanced: risk (sharpe, sortino, …), benchmark, breakdown, long_short; deep: sharpe_inference (psr0, …)
  risk: z.looseObject({ sharpe: num }),
  dsr: dsrDetail.nullable(),
  pbo: pboDetail.nullable(),
  monte_carlo: anyObject,
  cost_sensitivity: anyObject.nullable(),
  verdict: verdictBlock,
  warnings: strings,
};

const comparison = {
  runs: z.array(z.looseObject({ run_id: z.string(), sharpe: num, dsr: num, verdict: verdictName })),
  ranking: z.array(z.looseObject({ rank: count, run_id: z.string() })),
  dsr_order: strings,
};

export const analyzeOutput = z.looseObject({ depth: z.enum(DEPTHS), ...z.looseObject({ ...single, ...comparison }).partial().shape });
