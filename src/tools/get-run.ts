import { z } from 'zod';
import { requireRun, storedMetrics } from '../research/runs.js';
import { runSection, RUN_SECTIONS, sectionsOf } from '../research/run-sections.js';
import { compactForOutput, decodeCursor, runView } from './format.js';
import { pagingLine, runLine, sectionLines } from './lines.js';
import { pagingFields, runIdField } from './schemas.js';
import { defineTool } from './types.js';
import { getRunOutput } from './outputs/runs.js';

export const getRunTool = defineTool({
  name: 'get_run',
  title: 'Get a run',
  description:
    'A run\'s status, progress and summary; `include` pages one section of it (trades, trials, windows, items, …).',
  tier: 'read',
  inputSchema: {
    run_id: runIdField,
    include: z.enum(RUN_SECTIONS).optional().describe('Default: summary only.'),
    ...pagingFields(50),
  },
  outputSchema: getRunOutput,
  handler(args, ctx) {
    const run = requireRun(ctx.app, args.run_id);
    const data = runView(run, ctx.jobs.isLive(run.id), run.summary ? compactForOutput(run.summary) : null);
    if (run.kind === 'backtest' && !args.include) {
      const metrics = storedMetrics(ctx.app, run.id);
      if (metrics) data.metrics = metrics;
    }
    const lines = [
      `${run.kind} ${run.id}: ${run.status}${run.progress ? ` (${run.progress.done}/${run.progress.total ?? '?'})` : ''}${run.error ? ` — ${run.error}` : ''}`,
      runLine({ run_id: run.id, kind: run.kind, status: run.status, strategy: run.strategy, summary: run.summary }),
    ];
    if (args.include) {
      const offset = decodeCursor(args.cursor);
      const page = runSection(ctx.app, run, args.include, offset, args.limit ?? 50);
      data[args.include] = page;
      lines.push(`${args.include}: ${pagingLine(offset, page.items.length, page.total, page.next_cursor, args.include)}`, ...sectionLines(args.include, page.items));
    } else if (sectionsOf(run.kind).length) lines.push(`Page through details with include: ${sectionsOf(run.kind).join(', ')}.`);
    return { text: lines.join('\n'), data };
  },
});
