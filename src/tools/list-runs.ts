import { z } from 'zod';
import { runPage, RUN_KINDS, RUN_STATUSES } from '../research/runs.js';
import { decodeCursor, isoDate } from './format.js';
import { pagingLine, runLine } from './lines.js';
import { pagingFields } from './schemas.js';
import { documented } from '../research/listing.js';
import { defineTool } from './types.js';
import { listRunsOutput } from './outputs/runs.js';

export const listRunsTool = defineTool({
  name: 'list_runs',
  title: 'List runs',
  description: 'Stored runs, newest first, with status and summary; details with get_run.',
  tier: 'read',
  inputSchema: {
    kind: documented(z.enum(RUN_KINDS).optional(), 'Only runs of this kind.'),
    status: documented(z.enum(RUN_STATUSES).optional(), 'Only runs with this status.'),
    strategy: documented(z.string().max(64).optional(), 'Only runs of this strategy.'),
    ...pagingFields(50),
  },
  outputSchema: listRunsOutput,
  handler(args, ctx) {
    const offset = decodeCursor(args.cursor);
    const limit = args.limit ?? 50;
    const { runs, total } = runPage(ctx.app, { kind: args.kind, status: args.status, strategy: args.strategy, limit, offset });
    const items = runs.map((r) => ({ run_id: r.id, kind: r.kind, status: r.status, strategy: r.strategy, created_at: isoDate(r.created_at), summary: r.summary }));
    const end = offset + items.length;
    const next = end < total ? String(end) : null;
    const filters = [args.kind, args.status, args.strategy].filter((f) => f !== undefined);
    const lines = runs.map((r) => runLine({ run_id: r.id, kind: r.kind, status: r.status, strategy: r.strategy, progress: r.progress, error: r.error, summary: r.summary }));
    const text = [`${total} run(s)${filters.length ? ` (${filters.join(', ')})` : ''}, newest first.`, ...lines, pagingLine(offset, items.length, total, next, 'runs')].join('\n');
    return { text, data: { runs: items, total, next_cursor: next, remaining: Math.max(0, total - end) } };
  },
});
