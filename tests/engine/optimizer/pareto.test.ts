import { describe, expect, it } from 'vitest';
import { hypervolume, hypervolumeContributions, nonDominatedRanks, paretoFront, referencePoint, selectByHypervolume } from '../../../src/engine/optimizer/pareto.js';
import { freezeTrial } from '../../../src/engine/optimizer/trial.js';

describe('Pareto helpers', () => {
  it('non-dominated sorting of a hand-worked set', () => {
    const pts = [[1, 5], [2, 3], [4, 1], [3, 4], [5, 5], [2, 3]];
    expect([...nonDominatedRanks(pts)]).toEqual([0, 0, 0, 1, 2, 0]);
  });

  it('2-D and 3-D hypervolumes and exclusive contributions', () => {
    // union of [1,4]x[3,4] and [2,4]x[1,4]: 3 + 6 − 2 = 7
    expect(hypervolume([[1, 3], [2, 1]], [4, 4])).toBe(7);
    expect(hypervolume([[1, 3], [2, 1], [3, 3]], [4, 4])).toBe(7); // a dominated point adds nothing
    expect(hypervolume([[5, 0]], [4, 4])).toBe(0);
    // 3-D: two unit-corner boxes from the origin-ish points in a cube of side 2
    expect(hypervolume([[0, 0, 1], [1, 1, 0]], [2, 2, 2])).toBe(4 + 2 - 1);
    expect(hypervolumeContributions([[1, 3], [2, 1]], [4, 4])).toEqual([1, 4]);
    expect(referencePoint([[1, -2], [3, -4]])).toEqual([3.3000000000000003, -1.8]);
  });

  it('greedy hypervolume subset selection takes the largest gains first', () => {
    const pts = [[0, 10], [5, 5], [10, 0], [4.9, 5.1]];
    expect(selectByHypervolume(pts, 1, [11, 11])).toEqual([1]);
    expect(selectByHypervolume(pts, 3, [11, 11]).slice(0, 1)).toEqual([1]);
  });

  it('the Pareto front of a two-objective toy (maximize return, minimize drawdown)', () => {
    const t = (number: number, ret: number, dd: number) => freezeTrial({ number, state: 'COMPLETE', params: {}, values: [ret, dd], datetime_start: 0 });
    const trials = [t(0, 10, 5), t(1, 12, 8), t(2, 9, 6), t(3, 15, 20), t(4, 12, 8), t(5, 8, 1), freezeTrial({ number: 6, state: 'FAIL', params: {}, datetime_start: 0 })];
    expect(paretoFront(trials, ['maximize', 'minimize']).map((x) => x.number)).toEqual([0, 1, 3, 4, 5]);
  });
});
