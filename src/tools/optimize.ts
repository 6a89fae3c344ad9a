import { z } from 'zod';
import { documented, WAIT_DOC } from '../research/listing.js';
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
  title: 'Optimise parameters',
  description:
    'Searches params on a stored dataset in a resumable study (every trial in the ledger): best/top trials and why it stopped, or after wait_seconds a run_id (get_run, cancel_run).',
  doc:
    'Samplers: TPE (default), random, grid; pruning; constraints; several objectives give a Pareto front; `n_jobs` worker threads; `validate` re-runs the top trials on a later holdout; `refine` adds a fine study around the best coarse trials. ' +
    'Backtests are cached across studies. A study with the same `study_name` and signature resumes. ' +
    'How it ended is in the result: `stopped: {reason, detail}` (n_trials, timeout, wall_limit, cancelled, exhausted), `stopped_short` when it ended before n_trials, `fail_reasons` counting failed trials by reason. ' +
    'Trials are ranked feasible first (infeasible by total constraint violation), then by the objective; lists hold distinct configurations with `copies`. ' +
    'Progress is sent per trial when the request has a progress token. Past `wait_seconds` the answer is a run handle (status, progress); `get_run` reports later, with `include: "trials"` or `"top"` to page trials; `cancel_run` stops it at the next trial boundary, keeping what finished. ' +
    'Next: walk_forward on the best params, analyze_results, champion_promote.',
  tier: 'compute',
  app: true,
  inputSchema: {
    ...optimizeTaskSchema.shape,
    wait_seconds: documented(z.number().min(0).max(600).optional(), WAIT_DOC),
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
