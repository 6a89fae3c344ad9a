import { z } from 'zod';
import { allStrategies, definitionOf, resolveStrategy } from '../research/strategies.js';
import { UserError } from '../research/errors.js';
import { brief } from './lines.js';
import { defineTool } from './types.js';
import { listStrategiesOutput } from './outputs/basic.js';

export const listStrategiesTool = defineTool({
  name: 'list_strategies',
  title: 'List strategies',
  description:
    'Built-in and defined strategies with defaults and default search space (paged); `name`: one, with its params schema (a defined one also with its document).',
  tier: 'read',
  inputSchema: {
    name: z.string().max(64).optional().describe('Only this strategy, in full.'),
    limit: z.number().int().min(1).max(200).optional().default(50).describe('Page size.'),
    cursor: z.string().max(20).optional().describe('next_cursor of the previous page.'),
  },
  outputSchema: listStrategiesOutput,
  handler(args, ctx) {
    const db = ctx.app.db;
    const defs = args.name ? [resolveStrategy(args.name, db)] : allStrategies(db);
    const offset = args.name ? 0 : pageOffset(args.cursor);
    const page = args.name ? defs : defs.slice(offset, offset + args.limit);
    const strategies = page.map((d) => {
      const ref = definitionOf(d);
      return {
        name: d.name,
        source: ref ? 'user' : 'built-in',
        ...(ref ? { version: ref.version, hash: ref.hash } : {}),
        description: d.description,
        defaults: d.params.parse({}),
        default_space: d.defaultSpace,
        // the full parameter schema (the largest part) only for one strategy
        ...(args.name ? { params_schema: z.toJSONSchema(d.params, { io: 'input', unrepresentable: 'any' }) } : {}),
        ...(ref && args.name ? { document: JSON.parse(ref.canonical) as unknown } : {}),
      };
    });
    const end = offset + strategies.length;
    const more = end < defs.length ? `; ${defs.length - end} more: cursor "${end}"` : '';
    const text = [
      `${strategies.length} of ${defs.length} strateg${defs.length === 1 ? 'y' : 'ies'}${more}${args.name ? '' : ' (name: one strategy with its params schema)'}:`,
      ...strategies.map((s) => `- ${s.name}${s.source === 'user' ? ` [user v${String(s.version)}]` : ''} (defaults ${brief(s.defaults, 300)}): ${s.description}`),
    ].join('\n');
    return { text, data: { strategies, total: defs.length, next_cursor: end < defs.length ? String(end) : null, remaining: defs.length - end } };
  },
});

function pageOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const n = Number(cursor);
  if (!/^\d+$/.test(cursor) || !Number.isSafeInteger(n)) throw new UserError('cursor is not one list_strategies gave', { field: 'cursor', value: cursor, expected: 'the next_cursor of a previous page' });
  return n;
}
