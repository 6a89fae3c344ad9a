import { removeRun, requireRun } from '../research/runs.js';
import { UserError } from '../research/errors.js';
import { runIdField } from './schemas.js';
import { defineTool } from './types.js';
import { deleteRunOutput } from './outputs/basic.js';

export const deleteRunTool = defineTool({
  name: 'delete_run',
  title: 'Delete a run',
  description: 'Deletes a finished run and its result; the trial ledger still counts it.',
  tier: 'write',
  inputSchema: { run_id: runIdField },
  outputSchema: deleteRunOutput,
  annotations: { destructiveHint: true, idempotentHint: true },
  handler(args, ctx) {
    const run = requireRun(ctx.app, args.run_id);
    if (ctx.jobs.isLive(run.id)) throw new UserError(`run ${run.id} is still ${run.status}`, { field: 'run_id', hint: 'cancel it first with cancel_run' });
    removeRun(ctx.app, run.id);
    return { text: `Deleted ${run.id}.`, data: { run_id: run.id, deleted: true } };
  },
});
