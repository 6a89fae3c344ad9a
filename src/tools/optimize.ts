import { z } from 'zod';
import { optimizeTaskSchema } from '../research/optimize/job.js';
import { startOptimize } from '../research/optimize/index.js';
import { duplicatesText, failReasonsText, stopText } from '../research/optimize/outcome.js';
import { num } from './format.js';
import { waitForJob } from './job-wait.js';
import { sectionLines } from './lines.js';
import { defineTool } from './types.js';
import { optimizeOutput } from './outputs/jobs.js';

/** The top trials and the validated ones, one line each. */
function optimizeLines(summary: Record<string, unknown>): string {
  const top = (summary.top ?? []) as Record<string, unknown>[];
  const validated = (summary.validated ?? []) as { number: number; passed: boolean; holdout_run_id: string | null; reasons: string[]; metrics: Record<string, unknown> }[];
  const lines = [
    ...(top.length ? [`Top ${top.length} (get_run include "top" / "trials" pages them):`] : []),
    ...sectionLines('top', top),
    ...validated.map((v) => `- validated #${v.number}: ${v.passed ? 'passed' : `failed (${v.reasons.join('; ')})`}, holdout sharpe ${num(v.metrics.sharpe)}, return ${num(v.metrics.return_pct)} %, run ${v.holdout_run_id ?? 'n/a'}`),
  ];
  return lines.length ? `\n${lines.join('\n')}` : '';
}

export const optimizeTool = defineTool({
  name: 'optimize',
  title: 'Optimise strategy parameters',
  description:
    'Resumable study of strategy params on a stored dataset (result cache shared by all studies). Progress per trial; after wait_seconds returns run_id ' +
    '(poll get_run, stop with cancel_run). Every trial counts in the trial ledger. Says why it stopped and why trials failed.',
  tier: 'compute',
  app: true,
  inputSchema: {
    ...optimizeTaskSchema.shape,
    wait_seconds: z.number().min(0).max(600).optional().describe('Seconds to wait for the result (default 45).'),
  },
  outputSchema: optimizeOutput,
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
        failReasonsText(summary) +
        optimizeLines(summary)
      );
    });
  },
});
