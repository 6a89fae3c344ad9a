/**
 * The wait-budget behaviour shared by long-running tools: wait for the job while relaying
 * its progress as notifications; cancel it if the request is cancelled; if it is not done
 * when the budget runs out, return the run handle with status and progress.
 */
import { compactForOutput, isoDate } from './format.js';
import type { ToolContext, ToolOutput } from './types.js';

export async function waitForJob(
  ctx: ToolContext,
  runId: string,
  waitSeconds: number | undefined,
  describe: (summary: Record<string, unknown>) => string,
): Promise<ToolOutput> {
  const budget = (waitSeconds ?? ctx.app.config.wait_seconds) * 1000;
  const { done, run } = await ctx.jobs.wait(runId, budget, ctx.signal, (p) => {
    void ctx.progress({ progress: p.done, ...(p.total !== null ? { total: p.total } : {}), ...(p.message ? { message: p.message } : {}) });
  });
  if (!done) {
    return {
      text: `${run.kind} ${run.id} is still ${run.status}${run.progress ? ` (${run.progress.done}/${run.progress.total ?? '?'})` : ''}; poll get_run {"run_id": "${run.id}"} or stop it with cancel_run.`,
      data: { run_id: run.id, kind: run.kind, status: run.status, progress: run.progress, created_at: isoDate(run.created_at), next: `get_run {"run_id": "${run.id}"}` },
    };
  }
  // a job that failed is an isError result with the reason (and the run id to inspect it)
  const failed = run.status === 'failed' ? `${run.kind} ${run.id} failed: ${run.error ?? 'unknown error'}` : null;
  // work that ran to its end but failed as a whole (a study whose trials all failed) keeps its summary
  if (failed !== null && !run.summary) return { text: failed, data: { run_id: run.id, kind: run.kind, status: run.status, error: run.error }, isError: true };
  const summary = run.summary ?? {};
  const prefix = failed !== null ? `${failed}. ` : run.status === 'cancelled' ? `${run.kind} ${run.id} cancelled; what finished is stored. ` : `${run.kind} ${run.id} ${run.status}. `;
  const data = { run_id: run.id, kind: run.kind, status: run.status, ...(failed !== null ? { error: run.error } : {}), ...compactForOutput(summary) };
  return { text: prefix + describe(summary), data, ...(failed !== null ? { isError: true } : {}) };
}
