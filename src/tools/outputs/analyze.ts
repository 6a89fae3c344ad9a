/**
 * Output schema of analyze_results: one analysis (a run or inline data; `subject`, sections
 * by depth, `verdict`) or a comparison of runs (`runs`, `ranking`). The MCP SDK needs one
 * object at the top, so the fields of both forms are optional except `depth`. Each section
 * is typed as an object (or a list); the figures inside it pass through (the deep sections,
 * Monte Carlo and cost sensitivity, are still evolving).
 */
import { z } from 'zod';
import { DEPTHS } from '../../research/analyze/types.js';
import { anyObject, strings } from './common.js';
import { dsrDetail, pboDetail, verdictBlock } from './evidence.js';

const single = {
  // kind (backtest, optimize, walk_forward, inline), run_id, analyzed_run_id
  subject: anyObject,
  overview: anyObject,
  drawdowns: anyObject,
  // advanced: risk (sharpe, sortino, …), benchmark, breakdown, long_short; deep: sharpe_inference (psr0, …)
  risk: anyObject,
  dsr: dsrDetail.nullable(),
  pbo: pboDetail.nullable(),
  monte_carlo: anyObject,
  cost_sensitivity: anyObject.nullable(),
  verdict: verdictBlock,
  warnings: strings,
};

const comparison = {
  // run_id, sharpe, dsr, verdict of each run
  runs: z.array(anyObject),
  ranking: z.array(anyObject),
  dsr_order: strings,
};

export const analyzeOutput = z.looseObject({ depth: z.enum(DEPTHS), ...z.looseObject({ ...single, ...comparison }).partial().shape });
