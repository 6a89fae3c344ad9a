/** Output schemas of the champion tools: versions, gate reports, promotions, rollbacks. */
import { z } from 'zod';
import { anyObject, count, exportResult, paging } from './common.js';
import { gateNames, gateResult } from './evidence.js';

/**
 * One champion version (the exported document's fields): its version and params; the key,
 * metrics, evidence (OOS run, DSR, PBO, gate results, overrides; a rollback's restored
 * record), who, when and why pass through as recorded: versions stored by earlier releases
 * carry what was recorded then.
 */
export const championVersion = z.looseObject({ version: count, params: anyObject });

export const championStatusOutput = z.looseObject({
  // one key asked for
  champion: championVersion.nullable().optional(),
  // the list
  champions: z.array(championVersion).optional(),
  ...z.looseObject(paging).partial().shape,
});

export const championHistoryOutput = z.looseObject({ key: anyObject, current_version: count.nullable(), versions: z.array(championVersion), ...paging });

export const promoteOutput = z.looseObject({
  dry_run: z.boolean(),
  // strategy, symbol, timeframe
  key: anyObject,
  promotable: z.boolean(),
  blocking: gateNames,
  gates: z.array(gateResult),
  thresholds: anyObject,
  // kind, run_id, trial, params, metrics
  candidate: anyObject,
  evidence: anyObject.nullable(),
  incumbent: anyObject.nullable(),
  diff: anyObject,
  // dry run
  confirm_token: z.string().nullable().optional(),
  // promotion: the new version (as champion_history shows it)
  promoted: anyObject.nullable().optional(),
  export: exportResult.optional(),
});

export const rollbackOutput = z.looseObject({ from_version: count, restored_version: count, champion: championVersion, export: exportResult });
