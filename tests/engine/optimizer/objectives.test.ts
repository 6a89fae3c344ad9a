import { describe, expect, it } from 'vitest';
import { compareTrials, constraintValues, objectiveValues, parseConstraint, parseObjective, rankDistinct, rankTrials, topDistinct } from '../../../src/engine/optimizer/objectives.js';
import { bestTrial, topTrials } from '../../../src/engine/optimizer/results.js';
import { configKey } from '../../../src/engine/optimizer/space.js';
import { freezeTrial, totalViolation } from '../../../src/engine/optimizer/trial.js';

describe('objectives and constraints', () => {
  it('parses objectives in the short and the object form', () => {
    expect(parseObjective('sharpe')).toEqual({ metric: 'sharpe', direction: 'maximize' });
    expect(parseObjective('max_drawdown_pct:minimize')).toEqual({ metric: 'max_drawdown_pct', direction: 'minimize' });
    expect(parseObjective('-turnover')).toEqual({ metric: 'turnover', direction: 'minimize' });
    expect(parseObjective({ metric: 'score' })).toEqual({ metric: 'score', direction: 'maximize' });
    expect(() => parseObjective('sharpe:up')).toThrow(/expected "metric", "metric:maximize"/);
    expect(() => parseObjective({ metric: 'x', direction: 'down' })).toThrow(/direction must be "minimize" or "maximize", got "down"/);
  });

  it('takes the default direction per metric when given a function; an explicit direction wins', () => {
    const lowerIsBetter = (m: string) => (m === 'brier' ? 'minimize' : 'maximize');
    expect(parseObjective('brier', lowerIsBetter)).toEqual({ metric: 'brier', direction: 'minimize' });
    expect(parseObjective({ metric: 'brier' }, lowerIsBetter)).toEqual({ metric: 'brier', direction: 'minimize' });
    expect(parseObjective('hit_rate_pct', lowerIsBetter)).toEqual({ metric: 'hit_rate_pct', direction: 'maximize' });
    expect(parseObjective('brier:maximize', lowerIsBetter).direction).toBe('maximize');
    expect(parseObjective('+brier', lowerIsBetter).direction).toBe('maximize');
    expect(parseObjective({ metric: 'brier', direction: 'maximize' }, lowerIsBetter).direction).toBe('maximize');
  });

  it('parses constraints and measures violations (Optuna convention: > 0 = violated by that much)', () => {
    const trades = parseConstraint('trades >= 30');
    const dd = parseConstraint(' max_drawdown_pct>=-25 ');
    const exposure = parseConstraint('exposure_pct <= 80.5');
    expect(trades).toMatchObject({ metric: 'trades', op: '>=', bound: 30 });
    expect(dd).toMatchObject({ metric: 'max_drawdown_pct', op: '>=', bound: -25, source: 'max_drawdown_pct>=-25' });
    expect(constraintValues([trades, dd, exposure], { trades: 12, max_drawdown_pct: -10, exposure_pct: 90 })).toEqual([18, -15, 9.5]);
    expect(constraintValues([trades], { trades: null })).toEqual([Infinity]);
    expect(totalViolation([18, -15, 9.5])).toBe(27.5);
    expect(() => parseConstraint('trades > 30')).toThrow(/operator ">" is not supported; use >= or <=/);
    expect(() => parseConstraint('trades at least 30')).toThrow(/expected "<metric> >= <number>"/);
    expect(objectiveValues([{ metric: 'sharpe', direction: 'maximize' }, { metric: 'nope', direction: 'minimize' }], { sharpe: 1.2 })).toEqual([1.2, NaN]);
  });

  it('ranks feasible trials first, infeasible ones by total violation, then by value', () => {
    const t = (number: number, value: number, constraints: number[] | null) => freezeTrial({ number, state: 'COMPLETE', params: {}, values: [value], constraints, datetime_start: 0 });
    const trials = [t(0, 100, [3]), t(1, 5, [-1, 0]), t(2, 50, [1, 0.5]), t(3, 7, null), t(4, 1000, [0.5]), freezeTrial({ number: 5, state: 'FAIL', params: {}, datetime_start: 0 })];
    expect(rankTrials(trials, ['maximize']).map((x) => x.number)).toEqual([3, 1, 4, 2, 0]);
    expect(rankTrials(trials, ['minimize']).map((x) => x.number)).toEqual([1, 3, 4, 2, 0]);
    expect(bestTrial(trials, ['maximize'])?.number).toBe(3);
    expect([t(7, 1, null), t(6, 1, null)].sort(compareTrials('minimize')).map((x) => x.number)).toEqual([6, 7]);
  });

  it('ranks any trial-like row (a report row too): null and NaN values last, consistently, either direction', () => {
    const row = (number: number, v: number | null) => ({ number, state: 'COMPLETE', values: [v] });
    const rows = [row(0, null), row(1, 3), row(2, NaN), row(3, 5), { number: 4, state: 'PRUNED', values: null }, row(5, NaN)];
    expect(rankTrials(rows, ['maximize']).map((x) => x.number)).toEqual([3, 1, 0, 2, 5]);
    expect(rankTrials(rows, ['minimize']).map((x) => x.number)).toEqual([1, 3, 0, 2, 5]);
    const cmp = compareTrials('minimize');
    expect(Math.sign(cmp(row(2, NaN), row(5, NaN)))).toBe(-Math.sign(cmp(row(5, NaN), row(2, NaN))));
  });

  it('collapses repeated configurations, keeping the best-ranked occurrence and counting the copies', () => {
    const t = (number: number, params: Record<string, number | string>, value: number, constraints: number[] | null = null) =>
      freezeTrial({ number, state: 'COMPLETE', params, values: [value], constraints, datetime_start: 0 });
    const trials = [
      t(0, { a: 1, b: 'x' }, 5),
      t(1, { b: 'x', a: 1 }, 5), // the same configuration, keys in another order
      t(2, { a: 2, b: 'x' }, 9, [2]), // best value, infeasible
      t(3, { a: 3, b: 'x' }, 4),
      t(4, { a: 1, b: 'x' }, 5),
      t(5, { a: '1', b: 'x' }, 1), // a string "1" is another value than the number 1
      t(6, { a: 2, b: 'x' }, 9, [2]),
      freezeTrial({ number: 7, state: 'FAIL', params: { a: 3, b: 'x' }, datetime_start: 0 }),
    ];
    expect(configKey(trials[0].params)).toBe(configKey(trials[1].params));
    expect(configKey(trials[0].params)).not.toBe(configKey(trials[5].params));
    const r = rankDistinct(trials, ['maximize']);
    expect(r.trials.map((x) => x.number)).toEqual([0, 3, 5, 2]);
    expect(r.copies).toEqual([3, 1, 1, 2]);
    expect(topDistinct(r, 2)).toEqual({ trials: [r.trials[0], r.trials[1]], copies: [3, 1], duplicates_collapsed: 2 });
    expect(topDistinct(r, 10).duplicates_collapsed).toBe(3);
    expect(topDistinct(r, 0)).toEqual({ trials: [], copies: [], duplicates_collapsed: 0 });
    expect(topTrials(trials, ['minimize'], 3).map((x) => x.number)).toEqual([5, 3, 0]);
    expect(rankTrials(trials, ['maximize']).map((x) => x.number)).toEqual([0, 1, 4, 3, 5, 2, 6]);
  });
});
