import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../../../src/engine/random.js';
import { createSampler, type SamplerConfig } from '../../../../src/engine/optimizer/samplers/index.js';
import { sampleRandomParams } from '../../../../src/engine/optimizer/samplers/random.js';
import { validateSpace } from '../../../../src/engine/optimizer/space.js';
import type { FlatParams } from '../../../../src/engine/optimizer/space.types.js';
import { optimize } from '../../../../src/engine/optimizer/optimize.js';
import { InMemoryStudyStore } from '../../../../src/engine/optimizer/store.js';
import { Study } from '../../../../src/engine/optimizer/study.js';
import { freezeTrial, type FrozenTrial, type StudyHistory, type TrialState } from '../../../../src/engine/optimizer/trial.js';
import { collect, splitObservations } from '../../../../src/engine/optimizer/samplers/tpe-split.js';
import { cachedDims } from '../../../../src/engine/optimizer/samplers/random.js';
import branin from '../../../../bench/functions/branin.js';

const X = validateSpace({ x: { type: 'float', low: 0, high: 1 } });

function trial(number: number, x: number, state: TrialState, value: number | null, extra: Partial<FrozenTrial> = {}): FrozenTrial {
  return freezeTrial({ number, state, params: { x }, values: value === null ? null : [value], datetime_start: 0, ...extra });
}

/** x proposed for 40 different trial RNGs from one history. */
function proposals(config: SamplerConfig, history: StudyHistory): number[] {
  const s = createSampler(config);
  return Array.from({ length: 40 }, (_, i) => (s.sample(X, history, createRng(deriveSeed(1, i))) as FlatParams).x as number);
}

const near = (xs: number[], c: number, r = 0.1): number => xs.filter((x) => Math.abs(x - c) < r).length / xs.length;

describe('TPE', () => {
  it('is random (the same draws as the random sampler) for the first 10 finished trials', () => {
    const space = branin.space;
    const history: StudyHistory = { study_name: 's', directions: ['minimize'], trials: Array.from({ length: 9 }, (_, i) => freezeTrial({ number: i, state: 'COMPLETE', params: { x0: i, x1: i }, values: [i], datetime_start: 0 })) };
    const tpe = createSampler({ type: 'tpe' });
    expect(tpe.sample(space, history, createRng(5))).toEqual(sampleRandomParams(space, createRng(5)));
  });

  it('beats random search on Branin at n = 100 (median regret over 5 seeds)', async () => {
    async function regret(config: SamplerConfig, seed: number): Promise<number> {
      const study = await Study.open({ store: new InMemoryStudyStore(), name: 'b', directions: ['minimize'], space: branin.space, sampler: config, seed, clock: () => 0 });
      await optimize(study, (p) => branin.f(p), { n_trials: 100 });
      return Math.min(...study.trials.map((t) => t.values?.[0] ?? Infinity)) - branin.min;
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[2];
    const seeds = [0, 1, 2, 3, 4];
    const tpe = median(await Promise.all(seeds.map((s) => regret({ type: 'tpe' }, s))));
    const rnd = median(await Promise.all(seeds.map((s) => regret({ type: 'random' }, s))));
    expect(tpe).toBeLessThan(rnd);
    expect(tpe).toBeLessThan(0.05);
  });

  it('concentrates proposals around the good trials', () => {
    const trials = Array.from({ length: 30 }, (_, i) => trial(i, i < 3 ? 0.2 + i * 0.01 : 0.5 + (i % 10) / 20, 'COMPLETE', i < 3 ? 0 : 10));
    for (const config of [{ type: 'tpe' }, { type: 'tpe', preset: 'optuna' }] as SamplerConfig[]) {
      expect(near(proposals(config, { study_name: 's', directions: ['minimize'], trials }), 0.21)).toBeGreaterThan(0.7);
      // maximising turns the ranking around
      expect(near(proposals(config, { study_name: 's', directions: ['maximize'], trials }), 0.21)).toBeLessThan(0.2);
    }
  });

  it('constant liar: RUNNING trials join the bad set, steering proposals away from them', () => {
    const done = Array.from({ length: 20 }, (_, i) => trial(i, i < 4 ? 0.2 + i * 0.01 : 0.3 + i / 30, 'COMPLETE', i < 4 ? 0 : 10));
    // Without the liar, proposals go to x ≈ 0.12 (left of the good trials, away from the bad
    // ones); twelve workers are already evaluating points there.
    const running = Array.from({ length: 12 }, (_, i) => trial(20 + i, 0.114 + i * 0.001, 'RUNNING', null));
    const history: StudyHistory = { study_name: 's', directions: ['minimize'], trials: [...done, ...running] };
    const without = near(proposals({ type: 'tpe', constant_liar: false }, history), 0.12, 0.02);
    const withLiar = near(proposals({ type: 'tpe', constant_liar: true }, history), 0.12, 0.02);
    expect(without).toBeGreaterThan(0.5);
    expect(withLiar).toBeLessThan(without / 2);
  });

  it('constant liar: RUNNING trials rank after every finished one (PRUNED too) and do not count in γ', () => {
    const history: StudyHistory = {
      study_name: 's',
      directions: ['minimize'],
      trials: [trial(0, 0.1, 'COMPLETE', 3), trial(1, 0.2, 'RUNNING', null), trial(2, 0.3, 'PRUNED', null), trial(3, 0.4, 'RUNNING', null, { constraints: null })],
    };
    const { obs, nFinished } = collect(cachedDims(X), history, { constant_liar: true });
    expect(obs.length).toBe(4);
    expect(nFinished).toBe(2);
    // Optuna's keys: COMPLETE (−inf, 3), PRUNED without steps (1, 0), RUNNING (inf, inf)
    expect(splitObservations(obs, 2, false, false)).toEqual([[0, 2], [1, 3]]);
    // with constraints a running trial (no constraint values yet) is neither feasible nor before an infeasible one
    const constrained = { ...history, trials: history.trials.map((t) => (t.state === 'RUNNING' ? t : freezeTrial({ ...t, constraints: t.number === 2 ? [1] : [0] }))) };
    const c = collect(cachedDims(X), constrained, { constant_liar: true });
    expect(splitObservations(c.obs, 2, false, true)).toEqual([[0, 2], [1, 3]]);
  });

  it('with constraints, infeasible trials rank after feasible ones whatever their value', () => {
    // the best values are infeasible (x near 0.8); the feasible good ones are near 0.2
    const trials = Array.from({ length: 30 }, (_, i) => {
      if (i < 4) return trial(i, 0.8 + i * 0.01, 'COMPLETE', -100, { constraints: [5] });
      if (i < 7) return trial(i, 0.2 + i * 0.01, 'COMPLETE', 0, { constraints: [-1] });
      return trial(i, 0.4 + (i % 8) / 40, 'COMPLETE', 10, { constraints: [0] });
    });
    const xs = proposals({ type: 'tpe' }, { study_name: 's', directions: ['minimize'], trials });
    expect(near(xs, 0.25)).toBeGreaterThan(0.6);
    expect(near(xs, 0.815)).toBeLessThan(0.1);
  });

  it('ranks PRUNED trials after COMPLETE ones, later steps first', () => {
    // 1 COMPLETE (x≈0.9) + 19 PRUNED: γ(20) = 2, so the good set is the COMPLETE trial and the
    // PRUNED trial with the latest step (x≈0.1), not the step-1 ones with better values (x≈0.5).
    const trials = [trial(0, 0.9, 'COMPLETE', 5)];
    for (let i = 1; i < 20; i++) {
      const late = i < 3;
      trials.push(trial(i, late ? 0.1 : 0.45 + i / 200, 'PRUNED', null, { intermediate_values: new Map(late ? [[1, 0], [5, 4]] : [[1, -50]]) }));
    }
    const xs = proposals({ type: 'tpe', preset: 'optuna' }, { study_name: 's', directions: ['minimize'], trials });
    expect(near(xs, 0.5)).toBeLessThan(0.15);
    expect(near(xs, 0.1) + near(xs, 0.9)).toBeGreaterThan(0.6);
  });

  it('multi-objective: proposals move to the Pareto set (non-domination rank, hypervolume ties)', async () => {
    const space = validateSpace({ x: { type: 'float', low: -5, high: 5 } });
    const study = await Study.open({ store: new InMemoryStudyStore(), name: 'mo', directions: ['minimize', 'minimize'], space, sampler: { type: 'tpe' }, seed: 4, clock: () => 0 });
    await optimize(study, (p) => [(p.x as number) ** 2, ((p.x as number) - 2) ** 2], { n_trials: 60 });
    const late = study.trials.slice(30).map((t) => t.params.x as number);
    expect(late.filter((x) => x >= -0.1 && x <= 2.1).length / late.length).toBeGreaterThan(0.6); // random: 22 %
  });
});
