import { describe, expect, it } from 'vitest';
import { pairedBootstrap } from '../../../src/engine/validation/paired-bootstrap.js';
import { normalCdf } from '../../../src/engine/math/normal.js';
import { createRng } from '../../../src/engine/random.js';

/** Exact i.i.d. bootstrap p-value by enumerating all n^n equally likely resamples. */
function exactBootstrapP(d: readonly number[]): number {
  const n = d.length;
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const c = d.map((x) => x - mean);
  let hits = 0;
  let total = 0;
  const idx = new Array<number>(n).fill(0);
  for (;;) {
    let s = 0;
    for (const i of idx) s += c[i];
    if (s / n >= mean) hits++;
    total++;
    let k = 0;
    while (k < n && ++idx[k] === n) idx[k++] = 0;
    if (k === n) break;
  }
  return hits / total;
}

describe('pairedBootstrap', () => {
  it('hand-worked n = 2: d = [3, −1] → centred [2, −2]; resample means 2, 0, 0, −2; P(mean ≥ 1) = 1/4', () => {
    const r = pairedBootstrap([3, 0], [0, 1], { seed: 1, resamples: 40_000 });
    expect(r.mean_diff).toBe(1);
    expect(r.std_diff).toBeCloseTo(Math.sqrt(8), 12);
    expect(Math.abs(r.p_value - 0.25)).toBeLessThan(3 * Math.sqrt((0.25 * 0.75) / 40_000));
  });

  it('agrees with the exact bootstrap distribution (all n^n resamples enumerated)', () => {
    // multiples of 1/8: every sum is exact in binary floating point
    const d = [4, 0, -1, 2.5, -0.625, 1.75];
    const exact = exactBootstrapP(d);
    expect(exact).toBeGreaterThan(0.01);
    expect(exact).toBeLessThan(0.5);
    const r = pairedBootstrap(d, new Array(d.length).fill(0), { seed: 9, resamples: 50_000 });
    expect(Math.abs(r.p_value - exact)).toBeLessThan(3 * Math.sqrt((exact * (1 - exact)) / 50_000) + 1e-4);
  });

  it('matches the normal approximation 1 − Φ(d̄ / (s/√n)) for a large i.i.d. sample', () => {
    const rng = createRng(2024);
    const n = 400;
    const a = Float64Array.from({ length: n }, () => 0.1 + rng.normal());
    const b = new Float64Array(n);
    const r = pairedBootstrap(a, b, { seed: 3, resamples: 20_000 });
    const z = r.mean_diff / (r.std_diff / Math.sqrt(n));
    const pNormal = 1 - normalCdf(z);
    expect(pNormal).toBeGreaterThan(0.001);
    expect(Math.abs(r.p_value - pNormal)).toBeLessThan(0.015);
    // the 90 % interval brackets the observed mean and has width ≈ 2·1.645·s/√n
    expect(r.ci90[0]).toBeLessThan(r.mean_diff);
    expect(r.ci90[1]).toBeGreaterThan(r.mean_diff);
    expect((r.ci90[1] - r.ci90[0]) / ((2 * 1.6449 * r.std_diff) / Math.sqrt(n))).toBeCloseTo(1, 1);
  });

  it('a constant positive edge gives the smallest p = 1/(B + 1); no edge gives p = 1', () => {
    const up = pairedBootstrap([0.02, 0.01, 0.03], [0.01, 0, 0.02], { seed: 5, resamples: 999 });
    expect(up.p_value).toBeCloseTo(1 / 1000, 12);
    expect(up.warnings.join(' ')).toMatch(/constant/);
    const same = pairedBootstrap([0.01, -0.02, 0.03], [0.01, -0.02, 0.03], { seed: 5, resamples: 999 });
    expect(same.mean_diff).toBe(0);
    expect(same.p_value).toBe(1);
  });

  it('a worse candidate gets a large p-value', () => {
    const rng = createRng(11);
    const b = Float64Array.from({ length: 300 }, () => 0.001 + 0.01 * rng.normal());
    const a = b.map((x, i) => x - 0.002 + 0.001 * Math.sin(i));
    expect(pairedBootstrap(a, b, { seed: 1, resamples: 5000 }).p_value).toBeGreaterThan(0.99);
  });

  it('block resampling is more conservative for autocorrelated differences; one block of length n has no spread', () => {
    const rng = createRng(77);
    const n = 500;
    const d = new Float64Array(n);
    let x = 0;
    for (let i = 0; i < n; i++) {
      x = 0.9 * x + rng.normal();
      d[i] = 0.08 + x;
    }
    const zero = new Float64Array(n);
    const iid = pairedBootstrap(d, zero, { seed: 1, resamples: 5000 });
    const block = pairedBootstrap(d, zero, { seed: 1, resamples: 5000, blockLength: 25 });
    expect(block.method).toBe('circular_block');
    expect(block.p_value).toBeGreaterThan(iid.p_value);
    const whole = pairedBootstrap(d, zero, { seed: 1, resamples: 200, blockLength: n });
    expect(whole.ci90[1] - whole.ci90[0]).toBeLessThan(1e-9);
  });

  it('is deterministic per seed', () => {
    const rng = createRng(4);
    const a = Float64Array.from({ length: 50 }, () => rng.normal());
    const b = Float64Array.from({ length: 50 }, () => rng.normal());
    expect(pairedBootstrap(a, b, { seed: 8, resamples: 500 })).toEqual(pairedBootstrap(a, b, { seed: 8, resamples: 500 }));
    expect(pairedBootstrap(a, b, { seed: 8, resamples: 500 }).ci90).not.toEqual(pairedBootstrap(a, b, { seed: 9, resamples: 500 }).ci90);
  });

  it('rejects misaligned, too short or non-finite input', () => {
    expect(() => pairedBootstrap([1, 2], [1], { seed: 1 })).toThrow(/aligned/);
    expect(() => pairedBootstrap([1], [1], { seed: 1 })).toThrow(/at least 2/);
    expect(() => pairedBootstrap([1, NaN], [1, 2], { seed: 1 })).toThrow(/finite/);
    expect(() => pairedBootstrap([1, 2], [1, 2], { seed: 1, blockLength: 3 })).toThrow(/blockLength/);
  });
});
