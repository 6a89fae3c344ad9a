/**
 * The registry of built-in strategies. `getStrategy(name)` throws an `UnknownStrategyError`
 * that names the unknown value, suggests the closest known name and lists all known ones.
 */
import { InputError } from '../errors.js';
import { bollingerReversion } from './bollinger-reversion.js';
import { confidence } from './confidence.js';
import { donchianBreakout } from './donchian-breakout.js';
import { emaCross } from './ema-cross.js';
import { macdTrend } from './macd-trend.js';
import { rsiReversion } from './rsi-reversion.js';
import { smaCross } from './sma-cross.js';
import { closestName } from './suggest.js';
import type { StrategyDef } from './types.js';

/** A strategy whose params type is erased (parse params with `def.params` first). */
export type AnyStrategyDef = StrategyDef<Record<string, unknown>>;

export const STRATEGIES: Readonly<Record<string, AnyStrategyDef>> = Object.freeze({
  [smaCross.name]: smaCross,
  [emaCross.name]: emaCross,
  [rsiReversion.name]: rsiReversion,
  [bollingerReversion.name]: bollingerReversion,
  [macdTrend.name]: macdTrend,
  [donchianBreakout.name]: donchianBreakout,
  [confidence.name]: confidence,
});

export class UnknownStrategyError extends InputError {
  readonly value: string;
  readonly known: readonly string[];
  readonly suggestion: string | undefined;
  constructor(value: string, known: readonly string[]) {
    const suggestion = closestName(value, known);
    const hint = suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
    super(`Unknown strategy "${value}".${hint} Known strategies: ${known.join(', ')}.`);
    this.name = 'UnknownStrategyError';
    this.value = value;
    this.known = known;
    this.suggestion = suggestion;
  }
}

/** Names of all registered strategies, sorted. */
export function strategyNames(): string[] {
  return Object.keys(STRATEGIES).sort();
}

/** All registered strategies, sorted by name. */
export function listStrategies(): AnyStrategyDef[] {
  return strategyNames().map((n) => STRATEGIES[n]);
}

export function hasStrategy(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(STRATEGIES, name);
}

export function getStrategy(name: string): AnyStrategyDef {
  if (!hasStrategy(name)) throw new UnknownStrategyError(name, strategyNames());
  return STRATEGIES[name];
}
