/** What every scenario builder gets: the app, where it is (for errors), and the merged shared keys. */
import type { App } from '../app.js';
import { UserError } from '../errors.js';
import type { BatchItemInput } from '../batch/spec.js';
import type { ItemResult } from '../batch/rank.js';
import type { BatchSpecInput } from '../batch/spec.js';
import type { DatasetRefInput, ScenarioFile, ScenarioInput, SharedKeys } from './schema.js';
import { scenarioError } from './load.js';
import type { StrategyDef } from '../../engine/strategies/types.js';
import { resolveChampionParams } from '../champions/index.js';
import { resolveParams } from '../strategy-params.js';

export interface EarlierScenario {
  readonly name: string;
  readonly run_id: string;
  readonly ranked: readonly ItemResult[];
}

export interface ScenarioContext {
  readonly app: App;
  readonly file: string;
  readonly scenario: ScenarioInput;
  /** Defaults overlaid with the scenario's own shared keys. */
  readonly shared: SharedKeys;
  /** Scenarios of the same file that ran before this one, by name. */
  readonly earlier: ReadonlyMap<string, EarlierScenario>;
}

export interface BuiltScenario {
  readonly items: BatchItemInput[];
  /** Facts about how the items were built (stored on the batch run's spec). */
  readonly info: Record<string, unknown>;
  /** The kind's report section, computed from the item results (stored in the summary). */
  readonly report?: (results: readonly ItemResult[]) => Record<string, unknown>;
  /** Ranking metric when the scenario names none (e.g. the study's objective). */
  readonly rank_by?: string;
}

export function sharedKeys(file: ScenarioFile, s: ScenarioInput): SharedKeys {
  const d = file.defaults ?? {};
  const pick = <K extends keyof SharedKeys>(k: K): SharedKeys[K] => (s[k] !== undefined ? s[k] : d[k]);
  return {
    dataset: pick('dataset'),
    from: pick('from'),
    to: pick('to'),
    execution: d.execution || s.execution ? { ...d.execution, ...s.execution } : undefined,
    metrics: pick('metrics'),
    rank_by: pick('rank_by'),
    rank_order: pick('rank_order'),
    top: pick('top'),
    concurrency: pick('concurrency'),
  };
}

/** A UserError naming this scenario, the key and the value. */
export function fail(ctx: ScenarioContext, key: string, value: unknown, message: string, expected?: string): UserError {
  return scenarioError(ctx.file, `scenario ${JSON.stringify(ctx.scenario.name)}`, key, value, message, expected);
}

/** Runs `f`, turning its UserError into one that names the scenario and key. */
export function within<T>(ctx: ScenarioContext, key: string, value: unknown, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UserError) throw fail(ctx, key, value, e.message, e.detail.expected ?? e.detail.hint);
    throw e;
  }
}

export function datasetOf(ref: DatasetRefInput | undefined): Pick<BatchItemInput, 'dataset_id' | 'symbol' | 'timeframe' | 'version'> {
  if (!ref) return {};
  return { dataset_id: ref.dataset_id, symbol: ref.symbol, timeframe: ref.timeframe, version: ref.version };
}

/** The batch spec of a built scenario (items plus the scenario's ranking options). */
export function batchOf(ctx: ScenarioContext, built: BuiltScenario): BatchSpecInput {
  const s = ctx.shared;
  return {
    items: built.items,
    label: ctx.scenario.name,
    ...(s.metrics ? { metrics: s.metrics } : {}),
    ...(s.rank_by || built.rank_by ? { rank_by: s.rank_by ?? built.rank_by } : {}),
    ...(s.rank_order ? { rank_order: s.rank_order } : {}),
    ...(s.top ? { top: s.top } : {}),
    ...(s.concurrency ? { concurrency: s.concurrency } : {}),
  };
}

export interface ChampionUsed {
  readonly symbol: string;
  readonly timeframe: string;
  readonly version: number;
}

/** A scenario's base params: explicit `params`, or the current champion's (`kind.champion`), validated. */
export function baseParams(ctx: ScenarioContext, kind: string, def: StrategyDef, given: { params?: Record<string, unknown>; champion?: { symbol: string; timeframe: string } }): { params: Record<string, unknown>; champion: ChampionUsed | null } {
  let raw: Record<string, unknown> = given.params ?? {};
  let champion: ChampionUsed | null = null;
  if (given.champion) {
    const c = given.champion;
    const r = within(ctx, `${kind}.champion`, c, () => resolveChampionParams(ctx.app, def.name, c.symbol, c.timeframe));
    raw = r.params;
    champion = { ...c, version: r.version };
  }
  return { params: within(ctx, `${kind}.params`, raw, () => resolveParams(def, raw, `${kind}.params`)), champion };
}
