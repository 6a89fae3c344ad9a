import { describe, expect, it } from 'vitest';
import { createGridSampler, gridValues } from '../../../../src/engine/optimizer/samplers/grid.js';
import { dimsOf, paramsKey, validateSpace } from '../../../../src/engine/optimizer/space.js';
import { optimize } from '../../../../src/engine/optimizer/optimize.js';
import { InMemoryStudyStore } from '../../../../src/engine/optimizer/store.js';
import { Study } from '../../../../src/engine/optimizer/study.js';

const SPACE = validateSpace({
  fast: { type: 'int', low: 5, high: 15, step: 5 },
  mode: { type: 'categorical', choices: ['a', 'b'] },
  conf: { type: 'float', low: 0.2, high: 0.3, step: 0.05 },
});

async function open(seed: number, space = SPACE): Promise<Study> {
  return Study.open({ store: new InMemoryStudyStore(), name: 'g', directions: ['maximize'], space, sampler: { type: 'grid' }, seed, clock: () => 0 });
}

describe('grid sampler', () => {
  it('visits every declared point exactly once, in a seeded order, then reports exhaustion', async () => {
    const study = await open(1);
    const summary = await optimize(study, (p) => (p.fast as number) + (p.conf as number), { n_trials: 100 });
    expect(summary.stop_reason).toBe('exhausted');
    expect(summary.stop_detail).toMatch(/no point left to propose/);
    expect(study.trials).toHaveLength(3 * 2 * 3);
    const keys = study.trials.map((t) => paramsKey(SPACE, t.params));
    expect(new Set(keys).size).toBe(18);
    expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expect(await study.ask()).toBeNull();

    const again = await open(1);
    await optimize(again, () => 0, { n_trials: 18 });
    expect(again.trials.map((t) => t.params)).toEqual(study.trials.map((t) => t.params));
    const other = await open(2);
    await optimize(other, () => 0, { n_trials: 18 });
    expect(other.trials.map((t) => t.params)).not.toEqual(study.trials.map((t) => t.params));
  });

  it('gives a float without step 10 evenly spaced values (log-spaced for log), ends included', () => {
    const [f, l] = dimsOf(validateSpace({ f: { type: 'float', low: 0, high: 0.9 }, l: { type: 'float', low: 1, high: 1e9, log: true } }));
    expect(gridValues(f)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(gridValues(l).map((v) => Math.round(Math.log10(v as number) * 1e9) / 1e9)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(gridValues(f, 3)).toEqual([0, 0.45, 0.9]);
  });

  it('skips points already in the study (e.g. enqueued or resumed) and refuses huge grids', async () => {
    const study = await open(3);
    const first = await study.ask({ fast: 10, mode: 'b', conf: 0.25 });
    await study.tell(first!.number, { state: 'COMPLETE', values: [1] });
    await optimize(study, () => 0, { n_trials: 100 });
    expect(study.trials).toHaveLength(18);
    const huge = validateSpace({ a: { type: 'int', low: 0, high: 9999 }, b: { type: 'int', low: 0, high: 9999 } });
    const sampler = createGridSampler({ seed: 0 });
    expect(() => sampler.sample(huge, { study_name: 'h', directions: ['minimize'], trials: [] }, { next: () => 0, int: () => 0, normal: () => 0, fork: () => { throw new Error(); } })).toThrow(/grid has 100000000 points/);
  });
});
