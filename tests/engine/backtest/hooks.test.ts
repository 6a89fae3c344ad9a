/**
 * The simulator's two optional inputs for strategies written in the strategy language:
 * per-entry exit levels (Signals.stops) and the per-bar decision hook (Signals.decide), plus
 * a NaN size meaning the spec's fraction. Without them a simulation is unchanged (the
 * built-ins' reference tests pin that); with them, hand-worked cases.
 */
import { describe, expect, it } from 'vitest';
import { sliceSignals } from '../../../src/engine/backtest/lead.js';
import { simulate } from '../../../src/engine/backtest/simulate.js';
import type { Signals } from '../../../src/engine/backtest/types.js';
import { bars, flat, randomWalk, signals, spec } from './fixtures.js';

type Bar = [number, number, number, number];

/** bars 0–1 flat at 100; a long decided at bar 1 fills at bar 2's open of 100. */
function path(...next: Bar[]): ReturnType<typeof bars> {
  const rows: Bar[] = [flat(100), flat(100), ...next];
  while (rows.length < 8) rows.push(flat(rows[rows.length - 1][3]));
  return bars(rows);
}

function withStops(base: Signals, stops: Signals['stops']): Signals {
  return { ...base, stops };
}

const nan = (n: number, at: Record<number, number>): Float64Array => {
  const a = new Float64Array(n).fill(NaN);
  for (const [k, v] of Object.entries(at)) a[Number(k)] = v;
  return a;
};

describe('Signals.stops: exit levels per entry', () => {
  const down: Bar = [99, 99, 93, 94];

  it('an entry\'s own stop-loss is used instead of the spec\'s', () => {
    const s = withStops(signals(8, { entries: { 1: 1 } }), { stop_loss: nan(8, { 1: 0.03 }) });
    const t = simulate(path(flat(100), down), s, spec({ stop_loss: 0.1 })).trades[0];
    expect(t).toMatchObject({ exit_bar: 3, exit_price: 97, exit_reason: 'stop_loss' });
  });

  it('NaN keeps the spec\'s level, for that entry only', () => {
    const s = withStops(signals(8, { entries: { 1: 1, 4: 1 }, exits: { 3: 1 } }), { stop_loss: nan(8, { 4: 0.02 }) });
    const sim = simulate(bars([flat(100), flat(100), flat(100), flat(100), flat(100), [100, 100, 97, 97], [97, 97, 95, 96], flat(96)]), s, spec({ stop_loss: 0.04 }));
    // first trade: no own level, the spec's 4 % is not reached before the signal exit
    expect(sim.trades[0]).toMatchObject({ entry_bar: 2, exit_bar: 4, exit_reason: 'signal' });
    // second trade: its own 2 % stop at 98
    expect(sim.trades[1]).toMatchObject({ entry_bar: 5, exit_bar: 5, exit_price: 98, exit_reason: 'stop_loss' });
  });

  it('take-profit and trailing stop per entry, with no level in the spec', () => {
    const tp = withStops(signals(8, { entries: { 1: 1 } }), { take_profit: nan(8, { 1: 0.02 }) });
    expect(simulate(path(flat(100), [101, 103, 100, 102]), tp, spec()).trades[0]).toMatchObject({ exit_price: 102, exit_reason: 'take_profit' });
    const tr = withStops(signals(8, { entries: { 1: 1 } }), { trailing_stop: nan(8, { 1: 0.05 }) });
    // closes ratchet the reference to 110; the trailing stop at 104.5 is hit on the next bar
    const sim = simulate(path(flat(100), [100, 110, 100, 110], [108, 108, 104, 105]), tr, spec());
    expect(sim.trades[0]).toMatchObject({ exit_bar: 4, exit_price: 104.5, exit_reason: 'trailing_stop' });
  });

  it('a short entry\'s stop is above the reference', () => {
    const s = withStops(signals(8, { entries: { 1: -1 } }), { stop_loss: nan(8, { 1: 0.03 }) });
    expect(simulate(path(flat(100), [101, 104, 100, 103]), s, spec()).trades[0]).toMatchObject({ direction: 'short', exit_price: 103, exit_reason: 'stop_loss' });
  });
});

describe('Signals.size: NaN means the spec\'s fraction', () => {
  it('sizes an entry with spec.fraction where size is NaN and with size where it is a number', () => {
    const s = signals(8, { entries: { 1: 1, 4: 1 }, exits: { 3: 1, 6: 1 }, size: { 1: NaN, 4: 0.25 } });
    const sim = simulate(bars(Array.from({ length: 8 }, () => flat(100))), s, spec({ fraction: 0.5 }));
    expect(sim.trades.map((t) => t.size)).toEqual([5, 2.5]);
  });
});

describe('Signals.decide: decisions that depend on the position', () => {
  it('is called at every decision bar, in order, with the position at that bar\'s close', () => {
    const c = randomWalk(40, 3);
    const s = signals(40, { entries: { 5: 1 }, exits: { 12: 1 }, warmup: 2 });
    const calls: [number, number, number, number][] = [];
    const sim = simulate(c, { ...s, decide: (t, dir, entryBar, entryPrice) => void calls.push([t, dir, dir === 0 ? -1 : entryBar, dir === 0 ? NaN : entryPrice]) }, spec());
    expect(calls.map((x) => x[0])).toEqual(Array.from({ length: 40 - 1 - 3 }, (_, i) => 3 + i)); // bars w+1 … n−2
    const trade = sim.trades[0];
    for (const [t, dir, eb, ep] of calls) {
      const held = t >= trade.entry_bar && t < trade.exit_bar;
      expect([t, dir, eb, ep]).toEqual(held ? [t, 1, trade.entry_bar, trade.entry_price] : [t, 0, -1, NaN]);
    }
  });

  it('what the hook writes at t is what the simulator reads at t: a hold-3-bars exit equals max_hold_bars 3', () => {
    const c = randomWalk(300, 5);
    const n = 300;
    const base = signals(n, { warmup: 1 });
    for (let t = 2; t < n; t += 7) base.entry[t] = t % 2 === 0 ? 1 : -1;
    const held = simulate(c, base, spec({ max_hold_bars: 3 }));
    const entry = Int8Array.from(base.entry);
    const exit = new Uint8Array(n);
    const hooked: Signals = {
      entry,
      exit,
      warmup: 1,
      decide: (t, dir, entryBar) => {
        exit[t] = dir !== 0 && t - entryBar + 1 >= 3 ? 3 : 0;
      },
    };
    const sim = simulate(c, hooked, spec());
    expect(sim.trades.length).toBeGreaterThan(20);
    expect(sim.trades.map(({ exit_reason, ...t }) => ({ ...t, exit_reason: exit_reason === 'signal' ? 'max_hold' : exit_reason }))).toEqual(held.trades);
    expect(Array.from(sim.equity)).toEqual(Array.from(held.equity));
  });

  it('a sliced (lead) simulation calls the hook with whole-series bar indices', () => {
    const n = 30;
    const s = signals(n, { warmup: 0 });
    const seen: number[] = [];
    const sliced = sliceSignals({ ...s, decide: (t, dir, eb) => void seen.push(t, dir === 0 ? -1 : eb), stops: { stop_loss: new Float64Array(n).fill(NaN) } }, 10, 20);
    expect(sliced.stops!.stop_loss!.length).toBe(20);
    simulate(bars(Array.from({ length: 20 }, () => flat(100))), sliced, spec());
    expect(seen.filter((_, i) => i % 2 === 0)).toEqual(Array.from({ length: 18 }, (_, i) => 11 + i));
  });
});
