import { walkForwardSchema } from '../research/walk-forward/job.js';
import { startWalkForward } from '../research/walk-forward/index.js';
import { num } from './format.js';
import { waitForJob } from './job-wait.js';
import { sectionLines } from './lines.js';
import { defineTool } from './types.js';
import { walkForwardOutput } from './outputs/jobs.js';

export const walkForwardTool = defineTool({
  name: 'walk_forward',
  title: 'Walk-forward validation',
  description:
    'Per window (rolling or anchored): optimise in-sample, backtest best params out-of-sample. Returns IS vs OOS per window, ' +
    'WFE, param drift, stitched OOS Sharpe, t, PSR, DSR (deflated by this market\'s overlapping OOS evaluations). run_id after wait_seconds.',
  tier: 'compute',
  app: true,
  inputSchema: walkForwardSchema.shape,
  outputSchema: walkForwardOutput,
  async handler(args, ctx) {
    const run = startWalkForward(ctx.app, ctx.jobs, ctx.clientId, args);
    return waitForJob(ctx, run.id, args.wait_seconds, (s) => {
      const oos = s.oos as { sharpe: number | null; return_pct: number; trades: number; dsr: number | null; psr: number | null; dsr_n: number | null } | null;
      const stopped = s.stopped as { reason: string; detail: string } | undefined;
      return (
        `${String(s.windows)} windows (${String(s.params_source)}). ` +
        (stopped && stopped.reason !== 'windows' ? `Stopped by ${stopped.reason} (${stopped.detail}). ` : '') +
        (oos
          ? `Stitched OOS: return ${num(oos.return_pct)} %, Sharpe ${num(oos.sharpe)}, ${oos.trades} trades, PSR ${num(oos.psr, 3)}, DSR ${num(oos.dsr, 3)} (N = ${oos.dsr_n ?? 'n/a'} out-of-sample evaluations on overlapping bars, no-skill V₀; dsr_detail says which). `
          : 'No OOS window finished. ') +
        `WFE ${s.wfe === null ? 'n/a' : num(s.wfe, 3)}; final params ${JSON.stringify(s.final_params ?? null)}. Per-window details: get_run include "windows"; OOS equity: include "oos_equity".\n` +
        sectionLines('windows', (s.per_window ?? []) as unknown[]).join('\n')
      );
    });
  },
});
