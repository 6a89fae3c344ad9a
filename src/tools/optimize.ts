import { z } from 'zod';
import { optimizeTaskSchema } from '../research/optimize/job.js';
import { startOptimize } from '../research/optimize/index.js';
import { duplicatesText, failReasonsText, stopText } from '../research/optimize/outcome.js';
import { waitForJob } from './job-wait.js';
import { defineTool } from './types.js';

export const optimizeTool = defineTool({
  name: 'optimize',
  title: 'Optimise strategy parameters',
  description:
    'Runs a persistent, resumable study (TPE by default; grid or random) over a search space of strategy params on a stored dataset, ' +
    'with objectives (any metric, or several for a Pareto front), constraints (e.g. "trades >= 30"), pruning (median/hyperband), ' +
    'parallel trials (n_jobs), a result cache shared by all studies, optional holdout validation of the top trials and coarse → fine refinement. ' +
    'Progress per trial; waits up to wait_seconds, then returns the run_id (poll get_run; stop with cancel_run). Every trial is counted in the trial ledger. ' +
    'The result says why the study stopped and why trials failed; a study whose trials all failed ends failed.',
  tier: 'compute',
  inputSchema: {
    ...optimizeTaskSchema.shape,
    wait_seconds: z.number().min(0).max(600).optional().describe('How long to wait for the result before returning the run handle (default: server setting, about 45 s).'),
  },
  async handler(args, ctx) {
    const { wait_seconds, ...task } = args;
    const run = await startOptimize(ctx.app, ctx.jobs, ctx.clientId, task);
    return waitForJob(ctx, run.id, wait_seconds, (summary) => {
      const best = summary.best as { number: number; values: number[]; params: unknown; run_id: string } | null;
      const counts = summary.counts as Record<string, number>;
      return (
        `Study ${String(summary.study_name)}: ${String(summary.trials_total)} trials (${Object.entries(counts)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')}), ${stopText(summary)}. ` +
        (best ? `Best trial #${best.number}: value ${best.values?.[0]}, params ${JSON.stringify(best.params)}, run ${best.run_id}.` : 'No complete trial.') +
        duplicatesText(summary) +
        failReasonsText(summary)
      );
    });
  },
});
