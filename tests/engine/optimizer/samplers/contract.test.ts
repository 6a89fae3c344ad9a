/**
 * Sampler contract: every sampler, through a real Study, gives the same trials for the same
 * seed, different ones for another seed, and only proposes values its space allows (bounds,
 * steps, log ranges, categorical choices).
 */
import { describe, expect, it } from 'vitest';
import type { SamplerConfig } from '../../../../src/engine/optimizer/samplers/index.js';
import { contains, dimsOf, validateSpace } from '../../../../src/engine/optimizer/space.js';
import type { FlatParams } from '../../../../src/engine/optimizer/space.types.js';
import { InMemoryStudyStore } from '../../../../src/engine/optimizer/store.js';
import { Study } from '../../../../src/engine/optimizer/study.js';

const SPACE = validateSpace({
  x: { type: 'float', low: -5, high: 10 },
  lr: { type: 'float', low: 1e-5, high: 1, log: true },
  conf: { type: 'float', low: 0.2, high: 0.6, step: 0.05 },
  fast: { type: 'int', low: 5, high: 14 },
  slow: { type: 'int', low: 20, high: 60, step: 5 },
  n: { type: 'int', low: 1, high: 20, log: true },
  mode: { type: 'categorical', choices: ['trend', 'range', null] },
});

const SAMPLERS: [string, SamplerConfig][] = [
  ['random', { type: 'random' }],
  ['grid', { type: 'grid', float_points: 3 }],
  ['tpe (tradelab default: multivariate)', { type: 'tpe' }],
  ['tpe univariate (Optuna 3.1 settings)', { type: 'tpe', preset: 'optuna' }],
  ['tpe univariate, tradelab bandwidth', { type: 'tpe', multivariate: false }],
];

function objective(p: FlatParams): number {
  const x = p.x as number;
  return (x - 1) ** 2 + Math.abs(Math.log10(p.lr as number) + 3) + (p.conf as number) + (p.fast as number) / 14 + (p.mode === 'range' ? 0 : 1) + (p.slow as number) / 60 + Math.log(p.n as number);
}

async function run(config: SamplerConfig, seed: number, n = 40): Promise<FlatParams[]> {
  const study = await Study.open({ store: new InMemoryStudyStore(), name: 's', directions: ['minimize'], space: SPACE, sampler: config, seed, clock: () => 0 });
  const out: FlatParams[] = [];
  for (let i = 0; i < n; i++) {
    const a = await study.ask();
    if (a === null) break;
    out.push(a.params);
    await study.tell(a.number, { state: 'COMPLETE', values: [objective(a.params)] });
  }
  return out;
}

describe.each(SAMPLERS)('sampler contract: %s', (_name, config) => {
  it('same seed ⇒ same trials; another seed ⇒ other trials', async () => {
    const a = await run(config, 7);
    const b = await run(config, 7);
    const c = await run(config, 8);
    expect(a).toHaveLength(40);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('respects bounds, steps, log ranges and categorical choices', async () => {
    const dims = dimsOf(SPACE);
    const trials = await run(config, 3, 60);
    for (const p of trials) for (const d of dims) expect(contains(d, p[d.name]), `${d.name}=${String(p[d.name])}`).toBe(true);
    for (const p of trials) {
      expect(Number.isInteger(p.fast) && Number.isInteger(p.slow) && Number.isInteger(p.n)).toBe(true);
      expect(((p.slow as number) - 20) % 5).toBe(0);
      expect([0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]).toContain(p.conf);
    }
  });
});

describe('random sampler distributions', () => {
  it('log parameters are uniform in log space; categorical choices are all drawn', async () => {
    const trials = await run({ type: 'random' }, 11, 400);
    const logs = trials.map((p) => Math.log10(p.lr as number)).sort((a, b) => a - b);
    expect(logs[200]).toBeGreaterThan(-3.4); // median of U(−5, 0) is −2.5
    expect(logs[200]).toBeLessThan(-1.6);
    const small = trials.filter((p) => (p.lr as number) < 1e-3).length / trials.length;
    expect(small).toBeGreaterThan(0.3); // 40 % of a log-uniform draw is below 1e-3; of a linear draw: 0.1 %
    expect(new Set(trials.map((p) => p.mode))).toEqual(new Set(['trend', 'range', null]));
    const ns = trials.map((p) => p.n as number);
    expect(ns.filter((v) => v <= 4).length / ns.length).toBeGreaterThan(0.35); // log-uniform ints: ~45 % at or below 4 of 1..20
  });
});
