import { championHistory } from '../research/champions/index.js';
import { keyText, versionView } from './champion-format.js';
import { decodeCursor } from './format.js';
import { pagingLine } from './lines.js';
import { championKeyFields, pagingFields } from './schemas.js';
import { defineTool } from './types.js';
import { championHistoryOutput } from './outputs/champions.js';

export const championHistoryTool = defineTool({
  name: 'champion_history',
  title: 'Champion history',
  description:
    'Champion versions of a strategy/symbol/timeframe, newest first: params, metrics, source, gates, who/when/why.',
  tier: 'read',
  inputSchema: {
    ...championKeyFields,
    ...pagingFields(20),
  },
  outputSchema: championHistoryOutput,
  handler(args, ctx) {
    const offset = decodeCursor(args.cursor);
    const h = championHistory(ctx.app, args.strategy, args.symbol, args.timeframe, { offset, limit: args.limit ?? 20 });
    const lines = h.versions.map((v) => `v${v.version}${v.rollback_of ? ` (rollback to v${v.rollback_of})` : ''} ${new Date(v.promoted_at).toISOString()} by ${JSON.stringify(v.promoted_by)}, reason (quoted as given): ${JSON.stringify(v.reason)}`);
    const text =
      h.total === 0
        ? `No champion history for ${keyText(h.key)}.`
        : [`${keyText(h.key)}: ${h.total} version(s), current v${h.current_version}.`, ...lines.map((l) => `- ${l}`), pagingLine(offset, h.versions.length, h.total, h.next_cursor, 'versions')].join('\n');
    return { text, data: { key: h.key, current_version: h.current_version, versions: h.versions.map((v) => versionView(v)), total: h.total, next_cursor: h.next_cursor, remaining: h.remaining } };
  },
});
