import { requireRun } from '../research/runs.js';
import { runIdField } from './schemas.js';
import { defineTool } from './types.js';
import { cancelRunOutput } from './outputs/basic.js';

export const cancelRunTool = defineTool({
  name: 'cancel_run',
  title: 'Cancel a job',
  description:
    'Stops a running optimize, walk_forward or batch at its next trial/window/item; finished work stays.',
  tier: 'compute',
  inputSchema: { run_id: runIdField },
  outputSchema: cancelRunOutput,
  handler(args, ctx) {
    const run = requireRun(ctx.app, args.run_id);
    const cancelled = ctx.jobs.cancel(run.id);
    const text = cancelled ? `Cancellation requested for ${run.id}; it stops at the next boundary.` : `${run.id} is not running (status ${run.status}); nothing to cancel.`;
    return { text, data: { run_id: run.id, cancelled, status: run.status } };
  },
});
