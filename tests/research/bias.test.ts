/**
 * The research-level checkBias that define_strategy calls with a StrategyDef of its own: no
 * tool layer, any strategy, times on the findings, user errors naming the field.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/research/config.js';
import { checkBias, validateBiasOptions } from '../../src/research/bias.js';
import { getStrategy } from '../../src/engine/strategies/registry.js';
import { randomWalk } from '../engine/strategies/helpers.js';
import { peekNextClose } from '../engine/validation/biased-strategies.js';
import { userError } from '../helpers/user-error.js';

const app = { config: parseConfig({}) };
const candles = randomWalk(42, 500);

describe('research checkBias', () => {
  it('takes any StrategyDef and reports the first offense with its time', () => {
    const r = checkBias(app, { strategy: peekNextClose, candles });
    expect(r.strategy).toBe('peek_next_close');
    expect(r.verdict).toBe('lookahead');
    expect(r.first_offense).toMatchObject({ check: 'lookahead', bar: (r.lookahead.first as { bar: number }).bar });
    expect(r.first_offense!.time).toBe(new Date(candles.time[r.first_offense!.bar]).toISOString());
    expect(r.range).toEqual({ from: new Date(candles.time[0]).toISOString(), to: new Date(candles.time[499]).toISOString() });
    expect(r.options).toEqual({ cuts: 8, starts: 6, seed: 1, tolerance: 1e-9, warmup: null });
  });

  it('fills params from the schema and names the bad one', () => {
    const sma = getStrategy('sma_cross');
    expect(checkBias(app, { strategy: sma, candles, params: { fast: 5 } }).params).toEqual({ fast: 5, slow: 30, direction: 'long_only' });
    expect(userError(() => checkBias(app, { strategy: sma, candles, params: { fats: 5 } })).message).toMatch(/params\.fats: unknown parameter of sma_cross \(did you mean fast\?\)/);
  });

  it('validates options and the bar limit before running anything', () => {
    expect(userError(() => validateBiasOptions({ cuts: 0 }, 100)).detail.field).toBe('cuts');
    expect(userError(() => validateBiasOptions({ starts: 40 }, 100)).detail.field).toBe('starts');
    expect(userError(() => validateBiasOptions({ tolerance: 0.5 }, 100)).detail.field).toBe('tolerance');
    expect(userError(() => validateBiasOptions({ warmup: 100 }, 100)).detail.field).toBe('warmup');
    expect(userError(() => validateBiasOptions({ seed: -1 }, 100)).detail.field).toBe('seed');
    const small = { config: parseConfig({ limits: { max_bars: 100 } }) };
    expect(userError(() => checkBias(small, { strategy: getStrategy('sma_cross'), candles })).message).toMatch(/500 bars are above the limit of 100/);
  });
});
