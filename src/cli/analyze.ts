/** `tradelab analyze <run_id> [<run_id> …]`: analyze_results from the command line. */
import { analyzeResults } from '../research/analyze/request.js';
import { UserError } from '../research/errors.js';
import { analysisReport } from './analysis-text.js';
import { openCliApp } from './app.js';
import { numberFlag, out, parse } from './args.js';

export const ANALYZE_HELP = `tradelab analyze <run_id> [<run_id> ...] [--depth basic|advanced|deep] [--seed N] [--mc-paths N] [--ruin-drawdown-pct -50] [--json]
  One run: trade, drawdown and distribution statistics (basic), risk-adjusted and benchmark (advanced),
  Monte Carlo, PSR/DSR from the trial ledger, PBO and cost sensitivity (deep), and a verdict.
  Several runs: a side-by-side comparison.`;

export async function analyzeCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    argv,
    { depth: { type: 'string' }, seed: { type: 'string' }, 'mc-paths': { type: 'string' }, 'ruin-drawdown-pct': { type: 'string' }, json: { type: 'boolean' } },
    'analyze',
    Infinity,
  );
  if (v.help) return (out(ANALYZE_HELP), 0);
  if (positionals.length === 0) throw new UserError('analyze needs a run id', { field: '<run_id>', hint: 'tradelab analyze bt_... --depth deep (list_runs / get_run show run ids)' });
  const depth = v.depth === undefined ? undefined : String(v.depth);
  if (depth !== undefined && !['basic', 'advanced', 'deep'].includes(depth)) throw new UserError(`--depth must be basic, advanced or deep`, { field: '--depth', value: depth });
  const app = openCliApp();
  try {
    const r = analyzeResults(app, {
      ...(positionals.length === 1 ? { run_id: positionals[0] } : { run_ids: positionals }),
      depth: depth as 'basic' | 'advanced' | 'deep' | undefined,
      seed: numberFlag(v.seed, 'seed'),
      mc_paths: numberFlag(v['mc-paths'], 'mc-paths'),
      ruin_drawdown_pct: numberFlag(v['ruin-drawdown-pct'], 'ruin-drawdown-pct'),
    });
    // one run: every section as text; a comparison keeps its summary text
    out(v.json ? JSON.stringify(r.data) : positionals.length === 1 ? analysisReport(r.data) : r.text);
    return 0;
  } finally {
    app.db.close();
  }
}
