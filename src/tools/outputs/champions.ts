/** Output schemas of the champion tools: versions, gate reports, promotions, rollbacks. */
import { z } from 'zod';
import { anyObject, count, exportResult, metrics, paging, time } from './common.js';
import { gateNames, gateResult } from './evidence.js';

const key = z.looseObject({ strategy: z.string(), symbol: z.string(), timeframe: z.string() });

/**
 * One champion version (the exported document's fields). Its metrics and evidence (OOS
 * run, DSR, PBO, gate results, overrides; a rollback's restored record) pass through as
 * recorded: versions stored by earlier releases carry what was recorded then.
 */
export const championVersion = z.looseObject({ ...key.shape, version: count, params: anyObject, rollback_of: count.nullable(), promoted_at: time, reason: z.string() }).meta({ id: 'champion' });

export const championStatusOutput = z.looseObject({
  // one key asked for
  champion: championVersion.nullable().optional(),
  // the list
  champions: z.array(championVersion).optional(),
  ...z.looseObject(paging).partial().shape,
});

export const championHistoryOutput = z.looseObject({ key, current_version: count.nullable(), versions: z.array(championVersion), ...paging });

export const promoteOutput = z.looseObject({
  dry_run: z.boolean(),
  key,
  promotable: z.boolean(),
  blocking: gateNames,
  gates: z.array(gateResult),
  thresholds: z.record(z.string(), z.number()),
  candidate: z.looseObject({ kind: z.enum(['backtest', 'walk_forward', 'optimize_trial']), run_id: z.string(), trial: count.nullable(), params: anyObject, metrics }),
  evidence: z.looseObject({ run_id: z.string(), kind: z.enum(['walk_forward', 'holdout_backtest']), metrics }).nullable(),
  incumbent: z.looseObject({ version: count }).nullable(),
  diff: anyObject,
  // dry run
  confirm_token: z.string().nullable().optional(),
  // promotion: the new version (as champion_history shows it)
  promoted: z.looseObject({ version: count }).nullable().optional(),
  export: exportResult.optional(),
});

export const rollbackOutput = z.looseObject({ from_version: count, restored_version: count, champion: championVersion, export: exportResult });
