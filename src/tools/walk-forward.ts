import { walkForwardSchema } from '../research/walk-forward/job.js';
import { startWalkForward } from '../research/walk-forward/index.js';
import { num } from './format.js';
import { waitForJob } from './job-wait.js';
import { sectionLines } from './lines.js';
import { defineTool } from './types.js';
import { walkForwardOutput } from './outputs/jobs.js';

export const walkForwardTool = defineTool({
  name: 'walk_forward',
  title: 'Walk-forward',
  description:
    'Optimises each in-sample window (or fixes params), backtests out-of-sample; stored. IS vs OOS, WFE, drift, stitched OOS Sharpe/PSR/DSR, or after wait_seconds a run_id (get_run).',
  doc:
    'Windows are rolling (fixed in-sample length) or anchored (in-sample from the first bar), in bars or calendar durations, with optional purge and embargo. ' +
    'Each window runs its own in-sample study (the optimize arguments: space, objective, constraints, sampler, pruner, n_trials per window) and backtests its best params on the out-of-sample window; `params` (or "champion") skips the optimisation. ' +
    'The out-of-sample windows are stitched into one curve with Sharpe, t, PSR and DSR (deflated by the out-of-sample evaluations on overlapping bars of this market; `dsr_detail` says which), the walk-forward efficiency (WFE) and the drift of each parameter across windows. ' +
    '`stopped: {reason, detail}` says how it ended (windows, wall_limit, cancelled). A split into more than limits.max_windows windows, or windows × n_trials above limits.max_trials, is refused before anything runs. ' +
    'Pages: get_run include "windows", "oos_equity". Next: analyze_results, champion_promote (a walk-forward is OOS evidence).',
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
