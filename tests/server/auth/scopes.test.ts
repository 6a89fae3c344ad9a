import { describe, expect, it } from 'vitest';
import { closeScopes, effectiveTiers, splitScopes, tiersOfScopes } from '../../../src/server/auth/scopes.js';

describe('scopes and tiers', () => {
  it('each scope grants its tier and the ones below; unknown scopes grant nothing', () => {
    expect([...tiersOfScopes(['tradelab:read'])]).toEqual(['read']);
    expect([...tiersOfScopes(['tradelab:compute'])]).toEqual(['read', 'compute']);
    expect([...tiersOfScopes(['openid', 'tradelab:write'])]).toEqual(['read', 'compute', 'write']);
    expect([...tiersOfScopes(['openid', 'tradelab:admin'])]).toEqual([]);
    expect(closeScopes(['tradelab:compute', 'x'])).toEqual(['tradelab:read', 'tradelab:compute']);
  });
  it('effective tiers = the server allow-list ∩ the token scopes', () => {
    const compute = new Set(['read', 'compute'] as const);
    expect([...effectiveTiers(compute, ['tradelab:write'])]).toEqual(['read', 'compute']);
    expect([...effectiveTiers(compute, ['tradelab:read'])]).toEqual(['read']);
    expect([...effectiveTiers(new Set(['read'] as const), ['tradelab:write'])]).toEqual(['read']);
    expect([...effectiveTiers(compute, [])]).toEqual([]);
  });
  it('splits a scope string or an scp array', () => {
    expect(splitScopes('a  b')).toEqual(['a', 'b']);
    expect(splitScopes(['a', 3, ''])).toEqual(['a']);
    expect(splitScopes(undefined)).toEqual([]);
  });
});
