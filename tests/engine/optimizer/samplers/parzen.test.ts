import { mixtureWeights } from '../../../../src/engine/optimizer/samplers/kernels.js';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src/engine/random.js';
import { argsortStable, kernelSigmas } from '../../../../src/engine/optimizer/samplers/bandwidth.js';
import { defaultWeights, ParzenEstimator, type ParzenOptions } from '../../../../src/engine/optimizer/samplers/parzen.js';
import { dimsOf, validateSpace } from '../../../../src/engine/optimizer/space.js';
import { KernelCache } from '../../../../src/engine/optimizer/samplers/kernel-cache.js';

const OPTUNA: ParzenOptions = {
  multivariate: false,
  prior_weight: 1,
  consider_magic_clip: true,
  consider_endpoints: false,
  bandwidth: 'auto',
  magic_clip_exponent: 1,
  min_bandwidth_factor: 0.01,
  weights: 'old-decay',
};

describe('Optuna 3.1 rules, hand-worked', () => {
  it('weights: all 1 below 25 observations, then the oldest m − 25 ramp linearly from 1/m to 1', () => {
    expect([...defaultWeights(3)]).toEqual([1, 1, 1]);
    const w = defaultWeights(28);
    expect(w[0]).toBeCloseTo(1 / 28, 15);
    expect(w[1]).toBeCloseTo((1 / 28 + 1) / 2, 15);
    expect(w[2]).toBe(1);
    expect([...w.slice(3)]).toEqual(new Array(25).fill(1));
    expect([...defaultWeights(26)]).toEqual([1 / 26, ...new Array(25).fill(1)]);
  });

  it('univariate bandwidth: neighbour gaps with the prior centre, endpoint rule, magic clip', () => {
    // centres 0.2, 0.5, 0.9 and the prior 0.5 on [0, 1]: padded 0 | 0.2 0.5 0.5(prior) 0.9 | 1
    // first: inner gap 0.3; 0.5: max(0.3, 0) = 0.3; last: inner gap 0.4; clip >= 1/min(100, 5) = 0.2
    const obs = Float64Array.from([0.9, 0.2, 0.5]);
    const sig = kernelSigmas(obs, 0, 1, 1, { rule: 'gaps', consider_endpoints: false, consider_magic_clip: true, magic_clip_exponent: 1, min_bandwidth_factor: 0.01 });
    expect([...sig].map((x) => +x.toFixed(12))).toEqual([0.4, 0.3, 0.3]);
    // the same with a precomputed order
    expect([...kernelSigmas(obs, 0, 1, 1, { rule: 'gaps', consider_endpoints: false, consider_magic_clip: true, magic_clip_exponent: 1, min_bandwidth_factor: 0.01 }, argsortStable(obs))]).toEqual([...sig]);
    // many close points: the clip range / min(100, m + 2) takes over
    const dense = Float64Array.from({ length: 8 }, (_, i) => 0.5 + i * 1e-4);
    const s2 = kernelSigmas(dense, 0, 1, 1, { rule: 'gaps', consider_endpoints: false, consider_magic_clip: true, magic_clip_exponent: 1, min_bandwidth_factor: 0.01 });
    expect(Math.min(...s2)).toBeCloseTo(1 / 10, 15);
  });

  it('multivariate bandwidth: 0.2 · m^(−1/(d+4)) · range', () => {
    const opts = { rule: 'fixed', consider_endpoints: false, consider_magic_clip: true, magic_clip_exponent: 1, min_bandwidth_factor: 0.01 } as const;
    const obs = Float64Array.from({ length: 20 }, (_, i) => i / 2);
    expect(kernelSigmas(obs, 0, 10, 2, opts)[0]).toBeCloseTo(0.2 * 20 ** (-1 / 6) * 10, 14);
    // with 4 observations the clip range / (m + 2) = 10/6 is larger than 0.2 · 4^(−1/6) · 10
    expect(kernelSigmas(Float64Array.from([1, 2, 3, 4]), 0, 10, 2, opts)[0]).toBeCloseTo(10 / 6, 14);
  });
});

describe("Optuna 3.1.0's log pdf ('optuna-3.1'), against _ParzenEstimator.log_pdf of Optuna 3.1.0", () => {
  // Reference: Optuna 3.1.0's _ParzenEstimator (default TPESampler settings, univariate),
  // observations [0.2, 0.5, 0.55] / [3, 10, 12], log_pdf at the three points below.
  const cases: [string, Record<string, unknown>, number[], number[], number[]][] = [
    ['float [0, 1]', { type: 'float', low: 0, high: 1 }, [0.2, 0.5, 0.55], [0.1, 0.5, 0.9], [-0.8658603818287848, -0.5974094646129592, -1.1504782846923032]],
    ['log int [1, 100]', { type: 'int', low: 1, high: 100, log: true }, [3, 10, 12], [2, 10, 50], [-0.8990590575735501, -0.6597849712290614, -1.1397657354086004]],
    ['int [1, 100]', { type: 'int', low: 1, high: 100 }, [3, 10, 12], [2, 10, 50], [-3.805584478300136, -3.7942380752028573, -4.992178536193506]],
  ];
  it.each(cases)('%s', (_, spec, obs, at, ref) => {
    const dims = dimsOf(validateSpace({ x: spec }));
    const internal = (xs: number[]): Float64Array => Float64Array.from(xs, (v) => (dims[0].log ? Math.log(v) : v));
    const est = new ParzenEstimator(dims, [internal(obs)], { ...OPTUNA, log_pdf: 'optuna-3.1' });
    const got = est.logPdf([internal(at)], at.length);
    ref.forEach((r, i) => expect(got[i]).toBeCloseTo(r, 12));
  });

  it("'exact' differs from it only by normalising the kernels (−log σ; a log int's cell mass)", () => {
    const dims = dimsOf(validateSpace({ x: { type: 'float', low: 0, high: 1 } }));
    const obs = [Float64Array.from([0.2, 0.5, 0.55])];
    const at = [Float64Array.from([0.1, 0.5, 0.9])];
    const exact = new ParzenEstimator(dims, obs, OPTUNA).logPdf(at, 3);
    const legacy = new ParzenEstimator(dims, obs, { ...OPTUNA, log_pdf: 'optuna-3.1' }).logPdf(at, 3);
    // the prior kernel (σ = range = 1) is the only one whose −log σ is 0: the two differ
    for (let i = 0; i < 3; i++) expect(Math.abs(exact[i] - legacy[i])).toBeGreaterThan(0.01);
  });
});

describe('ParzenEstimator densities', () => {
  it('a continuous mixture integrates to 1 (including the sorted one-dimensional path)', () => {
    const dims = dimsOf(validateSpace({ x: { type: 'float', low: -2, high: 3 } }));
    const rng = createRng(5);
    for (const m of [0, 3, 200]) {
      const obs = Float64Array.from({ length: m }, () => -2 + 5 * rng.next() ** 2);
      const est = new ParzenEstimator(dims, [obs], { ...OPTUNA, magic_clip_exponent: 1.5 }, { orders: [argsortStable(obs)] });
      const N = 20_000;
      const xs = Float64Array.from({ length: N }, (_, i) => -2 + (5 * (i + 0.5)) / N);
      const lp = est.logPdf([xs], N);
      expect(lp.reduce((s, v) => s + Math.exp(v), 0) * (5 / N)).toBeCloseTo(1, 4);
    }
  });

  it('a joint 2-D mixture integrates to 1 and a discrete / categorical one sums to 1', () => {
    const dims2 = dimsOf(validateSpace({ x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 1e-3, high: 1, log: true } }));
    const rng = createRng(9);
    const m = 90;
    const obs = [Float64Array.from({ length: m }, () => rng.next()), Float64Array.from({ length: m }, () => Math.log(1e-3) + rng.next() * -Math.log(1e-3))];
    const est = new ParzenEstimator(dims2, obs, { ...OPTUNA, multivariate: true });
    const N = 300;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
      xs.push((i + 0.5) / N);
      ys.push(Math.log(1e-3) + ((j + 0.5) / N) * -Math.log(1e-3));
    }
    const lp = est.logPdf([Float64Array.from(xs), Float64Array.from(ys)], N * N);
    const cell = (1 / N) * (-Math.log(1e-3) / N); // density is over the internal (log) space
    expect(lp.reduce((s, v) => s + Math.exp(v), 0) * cell).toBeCloseTo(1, 3);

    const dimsD = dimsOf(validateSpace({ n: { type: 'int', low: 1, high: 100, log: true }, c: { type: 'categorical', choices: ['a', 'b', 'c'] }, s: { type: 'float', low: 0, high: 1, step: 0.25 } }));
    const obsD = [Float64Array.from([Math.log(3), Math.log(50), Math.log(7)]), Float64Array.from([0, 2, 2]), Float64Array.from([0.25, 0.75, 1])];
    const estD = new ParzenEstimator(dimsD, obsD, { ...OPTUNA, multivariate: true });
    const pts: number[][] = [[], [], []];
    for (let n = 1; n <= 100; n++) for (let c = 0; c < 3; c++) for (let k = 0; k <= 4; k++) {
      pts[0].push(Math.log(n));
      pts[1].push(c);
      pts[2].push(k * 0.25);
    }
    const lpD = estD.logPdf(pts.map((p) => Float64Array.from(p)), pts[0].length);
    expect(lpD.reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(1, 10);
  });

  it('categorical kernels: p(c) ∝ 1/(m+1) + [c = cᵢ], the prior uniform', () => {
    const dims = dimsOf(validateSpace({ c: { type: 'categorical', choices: ['a', 'b', 'c'] } }));
    const est = new ParzenEstimator(dims, [Float64Array.from([0, 2])], OPTUNA);
    const lp = est.logPdf([Float64Array.from([0, 1, 2])], 3);
    // rows: (1/3+1, 1/3, 1/3)/2, (1/3, 1/3, 1/3+1)/2, uniform; weights 1/3 each
    const expected = [(2 / 3 + 1 / 6 + 1 / 3) / 3, (1 / 6 + 1 / 6 + 1 / 3) / 3, (1 / 6 + 2 / 3 + 1 / 3) / 3];
    expect([...lp].map(Math.exp)).toEqual(expected.map((v) => expect.closeTo(v, 14)));
  });

  it('samples stay inside the bounds and on the grids', () => {
    const dims = dimsOf(validateSpace({ x: { type: 'float', low: 0, high: 1 }, n: { type: 'int', low: 2, high: 20, step: 3 } }));
    const est = new ParzenEstimator(dims, [Float64Array.from([0.01, 0.99]), Float64Array.from([2, 20])], { ...OPTUNA, multivariate: true });
    const s = est.sample(createRng(1), 500);
    for (const x of s[0]) expect(x >= 0 && x <= 1).toBe(true);
    for (const n of s[1]) expect([2, 5, 8, 11, 14, 17, 20]).toContain(n);
  });
});

describe('mixtureWeights', () => {
  const opts = { weights: 'old-decay', prior_weight: 1 } as const;
  function fresh(m: number, w: Float64Array): { cum: number[]; logW: number[] } {
    const all = [...w, m === 0 ? 1 : opts.prior_weight];
    const total = all.reduce((a, b) => a + b, 0);
    let c = 0;
    return { cum: all.map((x) => (c += x / total)), logW: all.map((x) => Math.log(x / total)) };
  }

  it('normalises the observation weights plus the prior, and reuses the last default mixture', () => {
    for (const m of [0, 3, 30, 30, 100]) {
      const got = mixtureWeights(m, opts);
      const want = fresh(m, defaultWeights(m, 'old-decay'));
      expect([...got.cum]).toEqual(want.cum);
      expect([...got.logW]).toEqual(want.logW);
    }
    expect(mixtureWeights(30, opts)).toBe(mixtureWeights(30, opts));
    expect(mixtureWeights(30, opts)).not.toBe(mixtureWeights(31, opts));
    expect(mixtureWeights(30, { ...opts, prior_weight: 2 }).logW[30]).toBeCloseTo(Math.log(2 / (2 + [...defaultWeights(30)].reduce((a, b) => a + b, 0))), 12);
  });

  it('never caches explicit weights', () => {
    const a = mixtureWeights(2, opts, Float64Array.of(1, 3));
    const b = mixtureWeights(2, opts, Float64Array.of(3, 1));
    expect([...a.logW]).toEqual(fresh(2, Float64Array.of(1, 3)).logW);
    expect([...b.logW]).toEqual(fresh(2, Float64Array.of(3, 1)).logW);
  });
});

describe('kernel normalisers kept by trial (kernel-cache.ts)', () => {
  it('give the same densities to the bit, whether computed, looked up, or stale', () => {
    const dims = dimsOf(validateSpace({ x: { type: 'float', low: 0, high: 1 }, n: { type: 'int', low: 1, high: 9 } }));
    const rng = createRng(3);
    // many kernels near the bounds, so the mass of most of them is not 1
    const xs = Float64Array.from({ length: 200 }, () => rng.next() ** 4);
    const ns = Float64Array.from({ length: 200 }, () => 1 + Math.floor(9 * rng.next()));
    const nums = Int32Array.from({ length: 200 }, (_, i) => i);
    const at = [Float64Array.from([0, 0.001, 0.3, 0.999]), Float64Array.from([1, 2, 5, 9])];
    const caches = [new KernelCache(), new KernelCache()];
    const plain = new ParzenEstimator(dims, [xs, ns], { ...OPTUNA, multivariate: true, bandwidth: 'gaps' }).logPdf(at, 4);
    for (let round = 0; round < 2; round++) {
      const cached = new ParzenEstimator(dims, [xs, ns], { ...OPTUNA, multivariate: true, bandwidth: 'gaps' }, { nums, caches }).logPdf(at, 4);
      expect([...cached]).toEqual([...plain]);
    }
    // another trial under the same number (other centre): recomputed, not reused
    const moved = Float64Array.from(xs, (x, i) => (i === 0 ? 0.5 : x));
    const fresh = new ParzenEstimator(dims, [moved, ns], { ...OPTUNA, multivariate: true, bandwidth: 'gaps' }).logPdf(at, 4);
    expect([...new ParzenEstimator(dims, [moved, ns], { ...OPTUNA, multivariate: true, bandwidth: 'gaps' }, { nums, caches }).logPdf(at, 4)]).toEqual([...fresh]);
  });
});
