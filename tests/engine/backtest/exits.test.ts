/**
 * Hand-worked exits (EXECUTION.md §1–§2): stop-loss / take-profit fills and gaps, SL over
 * TP inside one bar, stops live on the entry bar, shorts, the trailing stop, max hold,
 * bankruptcy and what happens to a trade still open at the end in each profile.
 * Long entries fill at bar 2 (signal at bar 1, warm-up 0) at the open of 100.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/engine/backtest/simulate.js';
import { bars, flat, signals, spec } from './fixtures.js';

type Bar = [number, number, number, number];
const LONG = signals(6, { entries: { 1: 1 } });
const SHORT = signals(6, { entries: { 1: -1 } });

/** bars 0–1 flat at 100, entry bar 2 = `entryBar`, then `next`, padded to 6 bars. */
function path(entryBar: Bar, ...next: Bar[]): ReturnType<typeof bars> {
  const rows: Bar[] = [flat(100), flat(100), entryBar, ...next];
  while (rows.length < 6) rows.push(flat(rows[rows.length - 1][3]));
  return bars(rows);
}

describe('stop-loss and take-profit (default profile: levels from the entry fill)', () => {
  const sl = spec({ stop_loss: 0.05, take_profit: 0.05 });

  it('long stop inside the bar fills at the stop price', () => {
    const t = simulate(path(flat(100), [98, 99, 94, 96]), LONG, sl).trades[0];
    expect(t).toMatchObject({ exit_bar: 3, exit_price: 95, exit_reason: 'stop_loss' });
  });

  it('long stop gapped through fills at the open (min(Open, stop))', () => {
    const t = simulate(path(flat(100), [90, 92, 85, 88]), LONG, sl).trades[0];
    expect(t).toMatchObject({ exit_bar: 3, exit_price: 90, exit_reason: 'stop_loss' });
  });

  it('long take-profit fills at the limit, or at a better gap open', () => {
    expect(simulate(path(flat(100), [101, 106, 100, 104]), LONG, sl).trades[0]).toMatchObject({ exit_price: 105, exit_reason: 'take_profit' });
    expect(simulate(path(flat(100), [108, 110, 107, 109]), LONG, sl).trades[0]).toMatchObject({ exit_price: 108, exit_reason: 'take_profit' });
  });

  it('stop-loss wins when SL and TP are both inside one bar', () => {
    const t = simulate(path(flat(100), [100, 106, 94, 100]), LONG, sl).trades[0];
    expect(t).toMatchObject({ exit_bar: 3, exit_price: 95, exit_reason: 'stop_loss' });
  });

  it('SL and TP are live on the entry bar itself', () => {
    expect(simulate(path([100, 101, 94, 97]), LONG, sl).trades[0]).toMatchObject({ entry_bar: 2, exit_bar: 2, exit_price: 95, exit_reason: 'stop_loss' });
    expect(simulate(path([100, 106, 99, 104]), LONG, sl).trades[0]).toMatchObject({ entry_bar: 2, exit_bar: 2, exit_price: 105, exit_reason: 'take_profit' });
  });

  it('short: buy stop above (max(Open, stop)), take-profit below (min(Open, tp))', () => {
    expect(simulate(path(flat(100), [102, 107, 101, 106]), SHORT, sl).trades[0]).toMatchObject({ direction: 'short', exit_price: 105, exit_reason: 'stop_loss' });
    expect(simulate(path(flat(100), [110, 112, 108, 111]), SHORT, sl).trades[0]).toMatchObject({ exit_price: 110, exit_reason: 'stop_loss' });
    expect(simulate(path(flat(100), [98, 99, 94, 96]), SHORT, sl).trades[0]).toMatchObject({ exit_price: 95, exit_reason: 'take_profit' });
    expect(simulate(path(flat(100), [90, 91, 88, 89]), SHORT, sl).trades[0]).toMatchObject({ exit_price: 90, exit_reason: 'take_profit' });
    // both inside one bar: the stop wins for shorts too
    expect(simulate(path(flat(100), [100, 106, 94, 100]), SHORT, sl).trades[0]).toMatchObject({ exit_price: 105, exit_reason: 'stop_loss' });
  });

  it('a stop fill pays slippage in the default profile', () => {
    const t = simulate(path(flat(100), [98, 99, 94, 96]), LONG, spec({ stop_loss: 0.05, slippage_bps: 100 })).trades[0];
    // entry 100·1.01 = 101, stop 101·0.95 = 95.95, fill 95.95·0.99
    expect(t.entry_price).toBeCloseTo(101, 12);
    expect(t.exit_price).toBeCloseTo(95.95 * 0.99, 12);
  });
});

describe('backtesting.py profile: SL/TP from the signal bar close', () => {
  // signal bar 1 closes at 100; entry bar 2 opens at 102 and dips to 96
  const c = path([102, 103, 96, 97], [97, 98, 94, 95]);

  it('places the stop at 100·0.95 = 95, not at 102·0.95 = 96.9', () => {
    const t = simulate(c, LONG, spec({ stop_loss: 0.05, profile: 'backtesting.py' })).trades[0];
    expect(t).toMatchObject({ entry_price: 102, exit_bar: 3, exit_price: 95, exit_reason: 'stop_loss' });
  });

  it('the default profile on the same bars stops out on the entry bar at 96.9', () => {
    const t = simulate(c, LONG, spec({ stop_loss: 0.05 })).trades[0];
    expect(t.exit_bar).toBe(2);
    expect(t.exit_price).toBeCloseTo(96.9, 12);
  });
});

describe('trailing stop ratchets with the best CLOSE since entry', () => {
  it('long: closes 100 → 120 → 130 put the stop at 117; a high of 150 does not move it', () => {
    const c = path(flat(100), [100, 121, 100, 120], [120, 150, 119, 130], [125, 126, 116, 118]);
    const sim = simulate(c, LONG, spec({ trailing_stop: 0.1 }));
    // bar 3 stop = 90, bar 4 stop = 108 (low 119 is above), bar 5 stop = 130·0.9 = 117 → hit
    expect(sim.trades[0]).toMatchObject({ exit_bar: 5, exit_reason: 'trailing_stop' });
    expect(sim.trades[0].exit_price).toBeCloseTo(117, 12);
  });

  it('short: lowest close 80 puts the stop at 88; a gap above fills at the open', () => {
    const c = path(flat(100), [100, 100, 79, 90], [90, 91, 85, 80], [92, 95, 91, 94]);
    const sim = simulate(c, SHORT, spec({ trailing_stop: 0.1 }));
    expect(sim.trades[0]).toMatchObject({ exit_bar: 5, exit_price: 92, exit_reason: 'trailing_stop' });
  });

  it('the tighter of stop-loss and trailing stop applies', () => {
    // stop-loss 5 % = 95 is tighter than the trailing 10 % = 90 on bar 3
    const c = path(flat(100), [99, 99, 94, 96]);
    expect(simulate(c, LONG, spec({ trailing_stop: 0.1, stop_loss: 0.05 })).trades[0]).toMatchObject({ exit_price: 95, exit_reason: 'stop_loss' });
  });
});

describe('max_hold_bars', () => {
  const c = bars([flat(100), flat(100), flat(100), flat(101), flat(102), flat(103), flat(104)]);

  it('closes a trade entered at bar e at Open[e + k]', () => {
    const sim = simulate(c, signals(7, { entries: { 1: 1 } }), spec({ max_hold_bars: 2 }));
    expect(sim.trades[0]).toMatchObject({ entry_bar: 2, exit_bar: 4, exit_price: 102, exit_reason: 'max_hold' });
    const one = simulate(c, signals(7, { entries: { 1: 1 } }), spec({ max_hold_bars: 1 }));
    expect(one.trades[0]).toMatchObject({ entry_bar: 2, exit_bar: 3, exit_reason: 'max_hold' });
  });
});

describe('bankruptcy', () => {
  it('closes everything at the close when equity reaches ≤ 0, zeroes equity and stops', () => {
    // short 10 units at 100 with 1000 cash; close 210 → equity 1000 − 10·110 = −100
    const c = bars([flat(100), flat(100), flat(100), [150, 215, 150, 210], flat(100), flat(100), flat(100)]);
    const sim = simulate(c, signals(7, { entries: { 1: -1, 4: 1 } }), spec());
    expect(sim.bankrupt_at).toBe(3);
    expect(sim.trades).toHaveLength(1);
    expect(sim.trades[0]).toMatchObject({ direction: 'short', exit_bar: 3, exit_price: 210, exit_reason: 'liquidation', pnl: -1100 });
    expect(sim.open_trades).toHaveLength(0);
    expect(Array.from(sim.equity)).toEqual([1000, 1000, 1000, 0, 0, 0, 0]);
  });
});

describe('a trade still open at the end', () => {
  const c = bars([flat(100), flat(100), flat(100), [105, 112, 104, 110]]);
  const sig = signals(4, { entries: { 1: 1 } });

  it('default, no finalize: reported open, marked to the last close in equity', () => {
    const sim = simulate(c, sig, spec({ commission: 0.01 }));
    const u = 1000 / 101;
    expect(sim.trades).toHaveLength(0);
    expect(sim.open_trades).toHaveLength(1);
    expect(sim.open_trades[0]).toMatchObject({ direction: 'long', entry_bar: 2, entry_price: 100, mark_price: 110 });
    expect(sim.open_trades[0].unrealized_pnl).toBeCloseTo(10 * u - u, 9);
    expect(sim.equity[3]).toBeCloseTo(1000 - u + 10 * u, 9);
  });

  it('default, finalize: closed at the last close with the exit fee', () => {
    const sim = simulate(c, sig, spec({ commission: 0.01, finalize_trades: true }));
    const u = 1000 / 101;
    expect(sim.open_trades).toHaveLength(0);
    expect(sim.trades[0]).toMatchObject({ exit_bar: 3, exit_price: 110, exit_reason: 'end' });
    expect(sim.equity[3]).toBeCloseTo(1000 - u + 10 * u - 1.1 * u, 9);
  });

  it('backtesting.py, finalize: closed at the last bar OPEN with the exit fee', () => {
    const sim = simulate(c, sig, spec({ commission: 0.01, finalize_trades: true, profile: 'backtesting.py' }));
    // units ⌊1000·(1−ε)/(100·1.01)⌋ = 9; exit at 105
    expect(sim.trades[0]).toMatchObject({ size: 9, exit_bar: 3, exit_price: 105, exit_reason: 'end' });
    expect(sim.equity[3]).toBeCloseTo(1000 - 9 + 9 * 5 - 9 * 1.05, 9);
  });

  it('backtesting.py, no finalize: left out of the trades, equity marked to the last close', () => {
    const sim = simulate(c, sig, spec({ profile: 'backtesting.py' }));
    expect(sim.trades).toHaveLength(0);
    expect(sim.open_trades[0].size).toBe(9);
    expect(sim.equity[3]).toBe(1000 + 9 * 10);
  });
});
