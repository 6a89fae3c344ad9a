/**
 * Entry point of `analyze_results` (tool and CLI): exactly one of a run id, several run ids
 * (a comparison) or an inline result, plus depth, seed, ruin level and Monte Carlo paths.
 */
import type { App } from '../app.js';
import { UserError } from '../errors.js';
import { analysisText, analyzeSubject } from './analyze.js';
import { compareRuns } from './compare.js';
import { inlineSubject } from './inline.js';
import { runSubject } from './subject.js';
import { DEFAULT_ANALYZE, DEPTHS, type AnalyzeOptions, type Depth } from './types.js';

export const MAX_MC_PATHS = 5000;

export interface AnalyzeRequest {
  readonly run_id?: string;
  readonly run_ids?: readonly string[];
  readonly inline?: unknown;
  readonly depth?: Depth;
  readonly seed?: number;
  readonly ruin_drawdown_pct?: number;
  readonly mc_paths?: number;
}

export function analyzeOptions(req: AnalyzeRequest): AnalyzeOptions {
  const depth = req.depth ?? DEFAULT_ANALYZE.depth;
  if (!(DEPTHS as readonly string[]).includes(depth)) throw new UserError(`unknown depth ${JSON.stringify(depth)}`, { field: 'depth', value: depth, expected: DEPTHS.join(', ') });
  const seed = req.seed ?? DEFAULT_ANALYZE.seed;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UserError('seed must be an integer >= 0', { field: 'seed', value: seed, expected: 'an integer such as 0 or 42' });
  const ruin = req.ruin_drawdown_pct ?? DEFAULT_ANALYZE.ruinDrawdownPct;
  if (!(ruin > -100 && ruin < 0)) throw new UserError('ruin_drawdown_pct must be a negative percentage above −100', { field: 'ruin_drawdown_pct', value: ruin, expected: 'e.g. −50 (a 50 % drawdown counts as ruin)' });
  const paths = req.mc_paths ?? DEFAULT_ANALYZE.mcPaths;
  if (!Number.isInteger(paths) || paths < 100 || paths > MAX_MC_PATHS) throw new UserError(`mc_paths must be an integer in [100, ${MAX_MC_PATHS}]`, { field: 'mc_paths', value: paths, expected: `100–${MAX_MC_PATHS} (default 1000)` });
  return { depth, seed, ruinDrawdownPct: ruin, mcPaths: paths };
}

export function analyzeResults(app: App, req: AnalyzeRequest): { data: Record<string, unknown>; text: string } {
  const given = (['run_id', 'run_ids', 'inline'] as const).filter((k) => req[k] !== undefined);
  if (given.length !== 1) {
    throw new UserError(given.length === 0 ? 'nothing to analyse' : `give only one of ${given.join(', ')}`, {
      field: given[1] ?? 'run_id',
      expected: 'exactly one of run_id (one run), run_ids (2–10 runs to compare) or inline ({time, equity, trades?, benchmark_close?})',
    });
  }
  const opts = analyzeOptions(req);
  if (req.run_ids !== undefined) return compareRuns(app, req.run_ids, opts);
  const subject = req.inline !== undefined ? inlineSubject(app, req.inline) : runSubject(app, req.run_id as string);
  const data = analyzeSubject(app, subject, opts);
  if (opts.depth === 'deep') data.seed = opts.seed;
  return { data, text: analysisText(data) };
}
