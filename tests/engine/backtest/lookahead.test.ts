/**
 * No look-ahead, by test (DESIGN.md §1.2, STYLE.md habit 3): a signal at t never fills
 * before t+1, and changing anything after bar k changes nothing at or before k. Plus the
 * checkpoint hook that lets a pruner stop a run.
 */
import { describe, expect, it } from 'vitest';
import { checkOneBarDelay } from '../../../src/engine/backtest/run.js';
import { simulate } from '../../../src/engine/backtest/simulate.js';
import type { Candles, Signals, SimulationResult } from '../../../src/engine/backtest/types.js';
import { sliceBars } from '../../../src/engine/data/candles.js';
import { createRng } from '../../../src/engine/random.js';
import { bars, flat, randomWalk, signals, spec } from './fixtures.js';

function randomSignals(n: number, seed: number, warmup = 5): Signals {
  const rng = createRng(seed);
  const entry = new Int8Array(n);
  const exit = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const u = rng.next();
    if (u < 0.06) entry[t] = 1;
    else if (u < 0.12) entry[t] = -1;
    else if (u < 0.15) exit[t] = 3;
  }
  return { entry, exit, warmup };
}

const SPEC = spec({ commission: 0.001, slippage_bps: 5, stop_loss: 0.03, take_profit: 0.04, trailing_stop: 0.05, max_hold_bars: 12 });

/** Everything a run decided at or before bar k. */
function upTo(sim: SimulationResult, k: number): unknown {
  return {
    closed: sim.trades.filter((t) => t.exit_bar <= k),
    entered: [...sim.trades, ...sim.open_trades].filter((t) => t.entry_bar <= k).map((t) => [t.direction, t.entry_bar, t.entry_price, t.size]),
    equity: Array.from(sim.equity.subarray(0, k + 1)),
    skipped: sim.skipped.filter((s) => s.bar <= k),
  };
}

describe('one-bar fill delay', () => {
  it('every entry fills the bar after its signal (checkOneBarDelay finds nothing)', () => {
    const c = randomWalk(400, 7);
    const sig = randomSignals(400, 8);
    const sim = simulate(c, sig, SPEC);
    expect(sim.trades.length).toBeGreaterThan(10);
    expect(checkOneBarDelay(sig, sim)).toEqual([]);
    for (const t of sim.trades) expect(sig.entry[t.entry_bar - 1]).toBe(t.direction === 'long' ? 1 : -1);
  });

  it('checkOneBarDelay flags a fill on the signal bar itself', () => {
    const sig = signals(6, { entries: { 2: 1 } });
    const fake: SimulationResult = {
      trades: [], skipped: [], warmup: 0, equity: new Float64Array(6),
      open_trades: [{ direction: 'long', size: 1, entry_bar: 2, entry_time: 0, entry_price: 1, mark_price: 1, unrealized_pnl: 0, fees: 0 }],
    };
    expect(checkOneBarDelay(sig, fake)).toHaveLength(1);
  });

  it('a signal on the last bar is never filled', () => {
    const c = bars([flat(100), flat(100), flat(100)]);
    const sim = simulate(c, signals(3, { entries: { 2: 1 } }), spec());
    expect(sim.trades).toHaveLength(0);
    expect(sim.open_trades).toHaveLength(0);
  });
});

describe('changing bars after k changes nothing at or before k', () => {
  const n = 400;
  const c = randomWalk(n, 11);
  const sig = randomSignals(n, 12);
  const full = simulate(c, sig, SPEC);

  for (const k of [40, 150, 333]) {
    it(`k = ${k}: future prices and signals perturbed`, () => {
      const rng = createRng(k);
      const cols = { time: c.time.slice(), open: c.open.slice(), high: c.high.slice(), low: c.low.slice(), close: c.close.slice(), volume: c.volume.slice() };
      for (let i = k + 1; i < n; i++) {
        const m = 0.5 + rng.next();
        cols.open[i] *= m;
        cols.close[i] *= m;
        cols.high[i] = Math.max(cols.open[i], cols.close[i]) * 1.02;
        cols.low[i] = Math.min(cols.open[i], cols.close[i]) * 0.98;
      }
      const other: Candles = { ...c, ...cols };
      const otherSig = randomSignals(n, 999);
      const entry = sig.entry.slice();
      const exit = sig.exit.slice();
      entry.set(otherSig.entry.subarray(k + 1), k + 1);
      exit.set(otherSig.exit.subarray(k + 1), k + 1);
      const changed = simulate(other, { entry, exit, warmup: sig.warmup }, SPEC);
      expect(changed.equity[n - 1]).not.toBe(full.equity[n - 1]); // the change did something
      expect(upTo(changed, k)).toEqual(upTo(full, k));
    });

    it(`k = ${k}: a run on bars[0..k] matches the full run up to k`, () => {
      const prefix = simulate(sliceBars(c, 0, k + 1), { entry: sig.entry.subarray(0, k + 1), exit: sig.exit.subarray(0, k + 1), warmup: sig.warmup }, SPEC);
      expect(upTo(prefix, k)).toEqual(upTo(full, k));
    });
  }
});

describe('checkpoint hook', () => {
  const c = randomWalk(50, 3);
  const sig = randomSignals(50, 4, 2);

  it('is called after equity[bar] is recorded and stops the run when it returns true', () => {
    const calls: [number, number, number][] = [];
    const sim = simulate(c, sig, SPEC, {
      bars: Int32Array.from([10, 20, 30]),
      report: (step, bar, equity) => {
        calls.push([step, bar, equity[bar]]);
        return bar === 20;
      },
    });
    const full = simulate(c, sig, SPEC);
    expect(calls.map(([s, b]) => [s, b])).toEqual([[0, 10], [1, 20]]);
    expect(calls[0][2]).toBe(full.equity[10]);
    expect(calls[1][2]).toBe(full.equity[20]);
    expect(sim.stopped_at).toBe(20);
    expect(sim.trades.every((t) => t.exit_bar <= 20)).toBe(true);
    expect(Array.from(sim.equity.subarray(21)).every((v) => v === full.equity[20])).toBe(true);
    expect(full.stopped_at).toBeUndefined();
  });

  it('reports checkpoints inside the warm-up with the starting cash', () => {
    const seen: number[] = [];
    simulate(c, { ...sig, warmup: 8 }, SPEC, { bars: Int32Array.from([3, 12]), report: (_s, bar, eq) => (seen.push(bar, eq[bar]), false) });
    expect(seen.slice(0, 2)).toEqual([3, SPEC.cash]);
    expect(seen[2]).toBe(12);
  });

  it('rejects checkpoint bars out of order', () => {
    expect(() => simulate(c, sig, SPEC, { bars: Int32Array.from([5, 3]), report: () => false })).toThrow(/hook\.bars/);
  });
});
