/**
 * Reading the champion registry: the current champion of a key, its history (newest
 * first, paged), the list of current champions, and `resolveChampionParams` for
 * `params: "champion"` in backtest and walk_forward.
 */
import { championVersions, getCurrentChampion, listCurrentChampions, type ChampionFilter, type ChampionKey, type ChampionVersion } from '../../storage/champions.js';
import type { App } from '../app.js';
import { checkSymbol, checkTimeframe } from '../datasets.js';
import { UserError } from '../errors.js';
import type { StrategyDef } from '../../engine/strategies/types.js';
import type { Db } from '../../storage/db.js';
import { resolveParams, resolveStrategy } from '../strategy-params.js';
import { definitionRef } from '../strategies.js';

/** Validates and normalises a key (known strategy, canonical timeframe, trimmed symbol). */
export function championKey(strategy: string, symbol: string, timeframe: string, db?: Db): ChampionKey {
  return { strategy: resolveStrategy(strategy, db).name, symbol: checkSymbol(symbol), timeframe: checkTimeframe(timeframe) };
}

export function getChampion(app: App, strategy: string, symbol: string, timeframe: string): ChampionVersion | null {
  return getCurrentChampion(app.db, championKey(strategy, symbol, timeframe, app.db)) ?? null;
}

export interface HistoryPage {
  readonly key: ChampionKey;
  readonly current_version: number | null;
  readonly versions: ChampionVersion[];
  readonly total: number;
  readonly remaining: number;
  readonly next_cursor: string | null;
}

export function championHistory(app: App, strategy: string, symbol: string, timeframe: string, page: { offset?: number; limit?: number } = {}): HistoryPage {
  const key = championKey(strategy, symbol, timeframe, app.db);
  const offset = page.offset ?? 0;
  const { versions, total } = championVersions(app.db, key, page.limit ?? 20, offset);
  const end = offset + versions.length;
  return {
    key,
    current_version: getCurrentChampion(app.db, key)?.version ?? null,
    versions,
    total,
    remaining: Math.max(0, total - end),
    next_cursor: end < total ? String(end) : null,
  };
}

export function listChampions(app: App, f: ChampionFilter, page: { offset?: number; limit?: number } = {}): { champions: ChampionVersion[]; total: number } {
  const filter: ChampionFilter = {
    ...(f.strategy !== undefined ? { strategy: resolveStrategy(f.strategy, app.db).name } : {}),
    ...(f.symbol !== undefined ? { symbol: checkSymbol(f.symbol) } : {}),
    ...(f.timeframe !== undefined ? { timeframe: checkTimeframe(f.timeframe) } : {}),
  };
  return listCurrentChampions(app.db, filter, page.limit ?? 50, page.offset ?? 0);
}

/**
 * The current champion's params (re-validated against the strategy's schema, defaults
 * filled) and its version, for `params: "champion"`. Throws a UserError naming the key and
 * the champions that do exist when there is none.
 */
export function resolveChampionParams(app: App, strategy: string, symbol: string, timeframe: string): { params: Record<string, unknown>; version: number } {
  const key = championKey(strategy, symbol, timeframe, app.db);
  const v = getCurrentChampion(app.db, key);
  if (!v) {
    const others = listCurrentChampions(app.db, { strategy: key.strategy }, 20, 0).champions.map((c) => `${c.symbol} ${c.timeframe} (v${c.version})`);
    throw new UserError(`there is no champion for ${key.strategy} on ${key.symbol} ${key.timeframe}`, {
      field: 'params',
      value: 'champion',
      expected: others.length ? `a key with a champion; ${key.strategy} has champions on ${others.join(', ')}` : 'explicit params (no champion of this strategy exists yet)',
      hint: 'promote one with champion_promote (dry run first), or pass params explicitly',
    });
  }
  const def = resolveStrategy(key.strategy, app.db);
  checkSameDefinition(v, def);
  return { params: resolveParams(def, v.params, `champion v${v.version} params`), version: v.version };
}

/**
 * A champion of a language strategy holds for the definition it was promoted with: when the
 * stored definition has changed since, the champion does not silently carry over.
 */
export function checkSameDefinition(v: ChampionVersion, current: StrategyDef): void {
  const then = (v.evidence as { strategy_definition?: { hash?: unknown; version?: unknown } } | undefined)?.strategy_definition;
  const now = definitionRef(current);
  const thenHash = typeof then?.hash === 'string' ? then.hash : null;
  if ((thenHash ?? null) === (now?.hash ?? null)) return;
  throw new UserError(
    `champion v${v.version} of ${v.strategy} on ${v.symbol} ${v.timeframe} was promoted with ${thenHash ? `definition version ${String(then?.version)} (hash ${thenHash.slice(0, 12)})` : 'no recorded definition'}, but the strategy is now ${now ? `definition version ${now.version ?? 'inline'} (hash ${now.hash.slice(0, 12)})` : 'a built-in'}: a champion does not carry over to a changed definition`,
    { field: 'params', value: 'champion', hint: 'validate the new definition (walk_forward) and promote it, or pass params explicitly' },
  );
}
