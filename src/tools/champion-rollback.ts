import { z } from 'zod';
import { rollback } from '../research/champions/index.js';
import { keyText, publicExport, versionView } from './champion-format.js';
import { championKeyFields } from './schemas.js';
import { defineTool } from './types.js';
import { rollbackOutput } from './outputs/champions.js';

export const championRollbackTool = defineTool({
  name: 'champion_rollback',
  title: 'Roll back a champion',
  description:
    'Makes an earlier version champion again as a new version (history is kept) and exports the champion file.',
  doc: 'The new version records `rollback_of` (the restored version), the reason and who did it; the champion file is config/champions/<strategy>_<symbol>_<timeframe>.json. `expected_version` refuses if another promotion came first.',
  tier: 'write',
  inputSchema: {
    ...championKeyFields,
    to_version: z.number().int().min(1).describe('See champion_history.'),
    reason: z.string().min(3).max(500).describe('Recorded.'),
    expected_version: z.number().int().min(1).optional().describe('Refuse unless current.'),
  },
  outputSchema: rollbackOutput,
  annotations: { destructiveHint: true },
  handler(args, ctx) {
    const r = publicExport(ctx.app, rollback(ctx.app, { ...args, promoted_by: `mcp:${ctx.clientId}` }));
    const exp = r.export && 'file' in r.export ? ` Exported ${r.export.file}.` : r.export && 'error' in r.export ? ` Warning: ${r.export.error}` : '';
    return {
      text: `${keyText(r.version)}: rolled back from v${r.from_version} to the params of v${r.restored_version}, as new version v${r.version.version}.${exp}`,
      data: { from_version: r.from_version, restored_version: r.restored_version, champion: versionView(r.version), export: r.export },
    };
  },
});
