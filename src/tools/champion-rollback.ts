import { z } from 'zod';
import { rollback } from '../research/champions/index.js';
import { keyText, publicExport, versionView } from './champion-format.js';
import { defineTool } from './types.js';
import { rollbackOutput } from './outputs/champions.js';

export const championRollbackTool = defineTool({
  name: 'champion_rollback',
  title: 'Roll back a champion',
  description:
    'Makes an earlier version champion again as a NEW version copying it (rollback_of); history is never rewritten. ' +
    'Then exports config/champions/<strategy>_<symbol>_<timeframe>.json.',
  tier: 'write',
  inputSchema: {
    strategy: z.string().min(1).max(64).describe('Strategy name.'),
    symbol: z.string().min(1).max(64).describe('Symbol.'),
    timeframe: z.string().min(1).max(8).describe('Timeframe.'),
    to_version: z.number().int().min(1).describe('Version to restore (see champion_history).'),
    reason: z.string().min(3).max(500).describe('Why (recorded).'),
    expected_version: z.number().int().min(1).optional().describe('Refuse unless the current version is this one.'),
  },
  outputSchema: rollbackOutput,
  annotations: { destructiveHint: true, idempotentHint: false },
  handler(args, ctx) {
    const r = publicExport(ctx.app, rollback(ctx.app, { ...args, promoted_by: `mcp:${ctx.clientId}` }));
    const exp = r.export && 'file' in r.export ? ` Exported ${r.export.file}.` : r.export && 'error' in r.export ? ` Warning: ${r.export.error}` : '';
    return {
      text: `${keyText(r.version)}: rolled back from v${r.from_version} to the params of v${r.restored_version}, as new version v${r.version.version}.${exp}`,
      data: { from_version: r.from_version, restored_version: r.restored_version, champion: versionView(r.version), export: r.export },
    };
  },
});
