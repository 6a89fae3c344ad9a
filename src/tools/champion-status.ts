import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { championFileName, championsDir, getChampion, listChampions } from '../research/champions/index.js';
import { publicPath } from '../research/public-paths.js';
import { keyText, versionView } from './champion-format.js';
import { decodeCursor } from './format.js';
import { brief, pagingLine } from './lines.js';
import { championKeyFields, pagingFields } from './schemas.js';
import { defineTool } from './types.js';
import { championStatusOutput } from './outputs/champions.js';

export const championStatusTool = defineTool({
  name: 'champion_status',
  title: 'Current champions',
  description:
    'Current champions per strategy/symbol/timeframe; with all three, that one in full (params, metrics, evidence, gates).',
  doc: 'With strategy, symbol and timeframe: that champion in full (params, metrics, OOS evidence, gate report, the exported champion file); with fewer keys: the champions matching them, paged. Resource: tradelab://champions/{strategy}/{symbol}/{timeframe}.',
  tier: 'read',
  inputSchema: {
    strategy: championKeyFields.strategy.optional(),
    symbol: championKeyFields.symbol.optional(),
    timeframe: championKeyFields.timeframe.optional(),
    ...pagingFields(50),
  },
  outputSchema: championStatusOutput,
  handler(args, ctx) {
    const app = ctx.app;
    if (args.strategy && args.symbol && args.timeframe) {
      const v = getChampion(app, args.strategy, args.symbol, args.timeframe);
      if (!v) {
        const key = `${args.strategy} ${args.symbol} ${args.timeframe}`;
        return { text: `No champion for ${key}. Promote one with champion_promote (dry run first).`, data: { champion: null } };
      }
      const file = join(championsDir(app), championFileName(v));
      const data = { champion: versionView(v, true), file: existsSync(file) ? publicPath(app, file) : null };
      const text = `${keyText(v)}: champion v${v.version}${v.rollback_of ? ` (rollback to v${v.rollback_of})` : ''}, promoted ${data.champion.promoted_at} by ${JSON.stringify(v.promoted_by)}; params ${JSON.stringify(v.params)}; source run ${v.source_run_id ?? 'n/a'}${v.source_trial !== null ? ` trial ${v.source_trial}` : ''}.${data.file ? ` File ${data.file}.` : ''}`;
      return { text, data };
    }
    const offset = decodeCursor(args.cursor);
    const { champions, total } = listChampions(app, { strategy: args.strategy, symbol: args.symbol, timeframe: args.timeframe }, { offset, limit: args.limit ?? 50 });
    const end = offset + champions.length;
    const items = champions.map((v) => versionView(v));
    const next = end < total ? String(end) : null;
    const lines = champions.map((v) => `- ${keyText(v)} v${v.version}${v.rollback_of ? ` (rollback to v${v.rollback_of})` : ''}: params ${brief(v.params)}, promoted ${new Date(v.promoted_at).toISOString()}`);
    const text = total === 0 ? 'No champions yet.' : [`${total} champion(s):`, ...lines, pagingLine(offset, champions.length, total, next, 'champions')].join('\n');
    return { text, data: { champions: items, total, next_cursor: next, remaining: Math.max(0, total - end) } };
  },
});
