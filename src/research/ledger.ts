/**
 * Recording evaluated configurations in the trial ledger (STATISTICS.md): every backtest,
 * batch item, optimisation trial (pruned and failed ones too), holdout re-run, walk-forward
 * window and stitched walk-forward curve lands in its research family (strategy, dataset
 * content, first/last bar used, with the dataset's symbol and timeframe) so DSR and PBO can
 * count them later: a DSR's selection set is every family of the same market whose range
 * overlaps the candidate's bars (research/selection.ts).
 */
import type { Candles } from '../engine/data/candles.js';
import type { LedgerStats } from '../engine/ledger.js';
import type { StrategyDef } from '../engine/strategies/types.js';
import { strategyKey } from './strategies.js';
import { addLedgerEntry, ensureFamily, familyCounts, familyEntries, findFamily, type FamilyKey, type LedgerEntry, type LedgerOutcome, type LedgerSource } from '../storage/ledger.js';
import type { App } from './app.js';
import { fingerprint } from './fingerprint.js';

/** `strategy` is a StrategyDef (a language strategy counts by name and definition hash) or a built-in's name. */
export function familyKey(strategy: StrategyDef | string, datasetHash: string, candles: Candles): FamilyKey {
  const n = candles.time.length;
  return { strategy: strategyKey(strategy), dataset_hash: datasetHash, range_from: candles.time[0], range_to: candles.time[n - 1], symbol: candles.symbol, timeframe: candles.timeframe };
}

export function paramsHash(params: unknown): string {
  return fingerprint(params).slice(0, 32);
}

export interface LedgerRecord {
  readonly key: FamilyKey;
  readonly source_kind: LedgerSource;
  readonly source_id: string;
  readonly params: Record<string, unknown>;
  /** Default 'complete'; pruned and failed trials are recorded too (they count in N). */
  readonly outcome?: LedgerOutcome;
  readonly stats: LedgerStats;
}

export function recordLedger(app: App, r: LedgerRecord): number {
  const fam = ensureFamily(app.db, r.key, app.now());
  addLedgerEntry(app.db, fam, { source_kind: r.source_kind, source_id: r.source_id, params_hash: paramsHash(r.params), params: r.params, outcome: r.outcome, stats: r.stats }, app.now());
  return fam;
}

export interface FamilyView {
  readonly family_id: number | null;
  readonly entries: LedgerEntry[];
  readonly counts: { entries: number; configurations: number; by_source: Record<string, number> };
}

export function familyView(app: App, key: FamilyKey): FamilyView {
  const id = findFamily(app.db, key);
  if (id === undefined) return { family_id: null, entries: [], counts: { entries: 0, configurations: 0, by_source: {} } };
  return { family_id: id, entries: familyEntries(app.db, id), counts: familyCounts(app.db, id) };
}

/**
 * Trial-ledger source id of an optimisation trial: `<optimize run id>#<trial number>`, or
 * `<run id>#<stage>-<n>` for a later stage (coarse → fine) of the same run.
 */
export function trialSourceId(runId: string, trialNumber: number, stage?: string): string {
  return stage ? `${runId}#${stage}-${trialNumber}` : `${runId}#${trialNumber}`;
}
