/**
 * Rollback to any earlier version: writes a NEW version carrying the old version's params,
 * metrics and evidence, with `rollback_of` pointing at it. History is never rewritten. The
 * write checks the current version like a promotion (optionally the caller's
 * `expected_version`) and the champion file is exported afterwards.
 */
import { appendChampionVersion, ChampionChangedError, getChampionVersion, getCurrentChampion, type ChampionVersion, type ChampionWriteHooks } from '../../storage/champions.js';
import type { App } from '../app.js';
import { UserError } from '../errors.js';
import type { ExportResult } from './export.js';
import { safeExport } from './promote.js';
import { championKey } from './registry.js';

export interface RollbackRequest {
  readonly strategy: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly to_version: number;
  readonly reason: string;
  /** Refuse unless the current version is this one (guards against rolling back someone else's promotion). */
  readonly expected_version?: number;
  readonly promoted_by?: string;
}

export interface RollbackResult {
  readonly from_version: number;
  readonly restored_version: number;
  readonly version: ChampionVersion;
  readonly export: ExportResult | { readonly error: string } | null;
}

export function rollback(app: App, req: RollbackRequest, hooks: ChampionWriteHooks = {}): RollbackResult {
  const key = championKey(req.strategy, req.symbol, req.timeframe, app.db);
  const reason = req.reason.trim();
  if (reason.length < 3) throw new UserError('a rollback needs a reason', { field: 'reason', value: req.reason, expected: 'a sentence saying why (recorded in the history)' });
  const cur = getCurrentChampion(app.db, key);
  if (!cur) throw new UserError(`there is no champion for ${key.strategy} on ${key.symbol} ${key.timeframe} to roll back`, { field: 'strategy', hint: 'champion_status lists the champions' });
  if (req.expected_version !== undefined && req.expected_version !== cur.version) {
    throw new UserError(`the champion is at version ${cur.version}, not ${req.expected_version}`, { field: 'expected_version', value: req.expected_version, hint: 'check champion_history and retry with the current version' });
  }
  if (req.to_version === cur.version) {
    throw new UserError(`version ${cur.version} is already the current champion`, { field: 'to_version', value: req.to_version, expected: `an earlier version, 1 … ${cur.version - 1}` });
  }
  const target = getChampionVersion(app.db, key, req.to_version);
  if (!target || req.to_version > cur.version) {
    throw new UserError(`${key.strategy} ${key.symbol} ${key.timeframe} has no version ${req.to_version}`, {
      field: 'to_version',
      value: req.to_version,
      expected: cur.version > 1 ? `an earlier version, 1 … ${cur.version - 1}` : 'an earlier version (there is only version 1)',
    });
  }
  let version: ChampionVersion;
  try {
    version = appendChampionVersion(
      app.db,
      {
        ...key,
        params: target.params,
        metrics: target.metrics,
        source_run_id: target.source_run_id,
        source_trial: target.source_trial,
        evidence: { rollback: { from_version: cur.version, to_version: target.version }, restored: target.evidence },
        dataset_hash: target.dataset_hash,
        engine_version: target.engine_version,
        promoted_at: app.now(),
        promoted_by: req.promoted_by ?? 'unknown',
        reason,
        rollback_of: target.version,
      },
      cur.version,
      hooks,
    );
  } catch (e) {
    if (e instanceof ChampionChangedError) {
      throw new UserError(`the champion changed while you were rolling back (expected version ${e.expected ?? 'none'}, found ${e.actual ?? 'none'})`, { field: 'to_version', hint: 'check champion_history and retry' });
    }
    throw e;
  }
  return { from_version: cur.version, restored_version: target.version, version, export: safeExport(app, key) };
}
