/**
 * OAuth scopes ↔ tool tiers. One scope per tier, cumulative like the tiers (read < compute <
 * write): a token granted `tradelab:compute` may also read, `tradelab:write` may do all three.
 * What a request may do is the server's `--allow` tiers ∩ the tiers its token's scopes grant.
 */
import { TIERS, type Tier } from '../../tools/types.js';

export const SCOPES = ['tradelab:read', 'tradelab:compute', 'tradelab:write'] as const;
export type Scope = (typeof SCOPES)[number];

export function scopeOf(tier: Tier): Scope {
  return `tradelab:${tier}`;
}

/** The tiers a list of scopes grants (unknown scopes ignored; each tier implies the lower ones). */
export function tiersOfScopes(scopes: readonly string[]): Set<Tier> {
  const top = Math.max(-1, ...scopes.map((s) => SCOPES.indexOf(s as Scope)));
  return new Set(TIERS.slice(0, top + 1));
}

/** The explicit scope list a grant stores: the known scopes, closed downwards, in tier order. */
export function closeScopes(scopes: readonly string[]): Scope[] {
  return [...tiersOfScopes(scopes)].map(scopeOf);
}

/** The server's tiers ∩ the tiers the token's scopes grant. */
export function effectiveTiers(allow: ReadonlySet<Tier>, scopes: readonly string[]): Set<Tier> {
  const granted = tiersOfScopes(scopes);
  return new Set(TIERS.filter((t) => allow.has(t) && granted.has(t)));
}

/** `scope` parameter text from a string (space-separated) or an array claim (`scp`). */
export function splitScopes(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((s) => s !== '');
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string' && s !== '');
  return [];
}
