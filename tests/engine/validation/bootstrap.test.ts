import { describe, expect, it } from 'vitest';
import { barBootstrap, tradeMonteCarlo, tradeReturns } from '../../../src/engine/validation/bootstrap.js';
import { createRng } from '../../../src/engine/random.js';

function randomReturns(n: number, seed: number, mu = 0.002, sigma = 0.03): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => mu + sigma * rng.normal());
}

describe('tradeMonteCarlo', () => {
  const trades = randomReturns(120, 1, 0.004, 0.05);

  it('is deterministic: same seed ⇒ identical result, different seed ⇒ different paths', () => {
    const a = tradeMonteCarlo(trades, { seed: 42, paths: 300 });
    const b = tradeMonteCarlo(trades, { seed: 42, paths: 300 });
    const c = tradeMonteCarlo(trades, { seed: 43, paths: 300 });
    expect(b).toEqual(a);
    expect(c.final_return).not.toEqual(a.final_return);
  });

  it('reshuffling leaves the final compounded return (and Sharpe) unchanged, only path statistics vary', () => {
    const r = tradeMonteCarlo(trades, { seed: 7, paths: 500, mode: 'shuffle' });
    const obs = r.observed.final_return;
    for (const q of [r.final_return.p05, r.final_return.p50, r.final_return.p95]) expect(Math.abs(q / obs - 1)).toBeLessThan(1e-12);
    expect(r.sharpe?.p05).toBeCloseTo(r.observed.sharpe as number, 12);
    expect(r.max_drawdown.p05).toBeLessThan(r.max_drawdown.p95); // drawdowns differ between orders
    expect(r.method).toBe('trade_shuffle');
  });

  it('hand-worked observed path: +10 %, −50 %, +20 % → final −34 %, max drawdown −50 %, 2 steps under water', () => {
    const r = tradeMonteCarlo([0.1, -0.5, 0.2], { seed: 1, paths: 10, mode: 'shuffle' });
    expect(r.observed.final_return).toBeCloseTo(-0.34, 14);
    expect(r.observed.max_drawdown).toBeCloseTo(-0.5, 14);
    expect(r.observed.longest_underwater).toBe(2);
    expect(r.p_loss).toBe(1);
  });

  it('identical trade returns give identical paths; P(loss) and risk of ruin follow', () => {
    const r = tradeMonteCarlo([-0.1, -0.1, -0.1], { seed: 3, paths: 50, ruinLevels: [0.2, 0.3] });
    expect(r.final_return.p05).toBeCloseTo(0.9 ** 3 - 1, 14);
    expect(r.final_return.p95).toBeCloseTo(0.9 ** 3 - 1, 14);
    expect(r.p_loss).toBe(1);
    // drawdown 27.1 %: deeper than 20 %, not deeper than 30 %
    expect(r.p_drawdown_worse_than).toEqual([
      { depth: 0.2, p: 1 },
      { depth: 0.3, p: 0 },
    ]);
    expect(r.sharpe).toBeNull();
    expect(r.warnings.join()).toMatch(/undefined on every path/);
  });

  it('treats a return ≤ −100 % as ruin and converts percent trade returns', () => {
    const r = tradeMonteCarlo([0.5, -1.2], { seed: 1, paths: 20, mode: 'shuffle' });
    expect(r.final_return.p50).toBe(-1);
    expect(r.max_drawdown.p50).toBe(-1);
    expect(r.warnings.join()).toMatch(/total loss/);
    expect(Array.from(tradeReturns([{ return_pct: 5 }, { return_pct: -2.5 }]))).toEqual([0.05, -0.025]);
  });
});

describe('barBootstrap', () => {
  it('is deterministic per seed', () => {
    const r = randomReturns(2000, 2);
    expect(barBootstrap(r, { seed: 5, paths: 200 })).toEqual(barBootstrap(r, { seed: 5, paths: 200 }));
    expect(barBootstrap(r, { seed: 6, paths: 200 }).final_return).not.toEqual(barBootstrap(r, { seed: 5, paths: 200 }).final_return);
  });

  it('fixed blocks as long as the series are rotations: the final return is unchanged', () => {
    const r = randomReturns(500, 3);
    const b = barBootstrap(r, { seed: 1, paths: 100, method: 'fixed', blockLength: 500 });
    expect(b.final_return.p05 / b.observed.final_return - 1).toBeCloseTo(0, 12);
    expect(b.final_return.p95 / b.observed.final_return - 1).toBeCloseTo(0, 12);
    expect(b.block_length).toBe(500);
  });

  it('block resampling keeps autocorrelation: wider Sharpe spread than i.i.d. resampling on an AR(1) series', () => {
    const rng = createRng(11);
    const r = new Float64Array(4000);
    for (let i = 1; i < r.length; i++) r[i] = 0.9 * r[i - 1] + 0.01 * rng.normal();
    const iid = barBootstrap(r, { seed: 1, paths: 400, blockLength: 1 });
    const block = barBootstrap(r, { seed: 1, paths: 400, blockLength: 50 });
    const spread = (x: typeof iid): number => (x.sharpe?.p95 ?? 0) - (x.sharpe?.p05 ?? 0);
    expect(spread(block)).toBeGreaterThan(2 * spread(iid));
  });

  it('defaults to 1000 paths and L = round(n^(1/3)), and validates options', () => {
    const r = randomReturns(1000, 4);
    const b = barBootstrap(r, { seed: 1 });
    expect(b.paths).toBe(1000);
    expect(b.block_length).toBe(10);
    expect(b.method).toBe('stationary_bootstrap');
    expect(() => barBootstrap(r, { seed: 1, paths: 0 })).toThrow(/paths/);
    expect(() => barBootstrap(r, { seed: 1, method: 'fixed', blockLength: 2.5 })).toThrow(/blockLength/);
    expect(() => barBootstrap([0.1, NaN], { seed: 1 })).toThrow(/finite/);
    expect(() => barBootstrap(r, { seed: 1, method: 'moving' as 'fixed' })).toThrow(/method/);
    expect(() => tradeMonteCarlo(r, { seed: 1, mode: 'permute' as 'shuffle' })).toThrow(/mode/);
  });

  it('runs 1,000,000 bar returns × 100 paths (speed: npm run bench:components)', () => {
    const r = randomReturns(1_000_000, 5, 0.0001, 0.01);
    const b = barBootstrap(r, { seed: 1, paths: 100, periodsPerYear: 365 });
    expect(b.paths).toBe(100);
  });
});
