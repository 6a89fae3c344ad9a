/**
 * Degenerate walk-forwards (issue 10, item 4): an out-of-sample window that goes bankrupt
 * completes the run and reports the ruin (it used to fail with "stitchEquity: return NaN"
 * after its ledger entries were written); a position open at a window's end is closed there
 * with exit costs and counted in the trade statistics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candles } from '../../src/engine/data/candles.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, type Harness } from '../helpers/mcp.js';
import { sqliteOf } from '../helpers/sqlite.js';

const DAY = 86_400_000;
const START = Date.UTC(2022, 0, 3);
const JUMP = 260;

/**
 * Daily bars swinging ±8 % over 40-day cycles (sma_cross 2/5 long_short crosses often and is
 * short in every falling half, bar JUMP included), then one ×4 gap up at bar JUMP.
 */
function crashUp(n: number): Candles {
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  let p = 100;
  for (let i = 0; i < n; i++) {
    const prev = p;
    p = 100 * Math.exp(-0.001 * i + 0.08 * Math.sin((2 * Math.PI * i) / 40)) * (i >= JUMP ? 4 : 1);
    time[i] = START + i * DAY;
    open[i] = i === JUMP ? p : prev;
    close[i] = p;
    high[i] = Math.max(open[i], close[i]) * 1.001;
    low[i] = Math.min(open[i], close[i]) * 0.999;
  }
  return { symbol: 'RUIN', timeframe: '1d', time, open, high, low, close, volume: new Float64Array(n).fill(1000) };
}

interface Wf {
  status: string;
  per_window: { index: number; oos: { from: string; to: string }; oos_metrics: { trades: number } | null }[];
  oos: { ruin: { at: string; window: number } | null; trades: number; return_pct: number; warnings: string[]; open_positions: string; dsr_detail: { n_source: unknown } | null };
  run_id: string;
}

let h: Harness;
beforeAll(async () => {
  h = await harness();
  insertDataset(h.app.db, { candles: crashUp(400), source: 'test', isSynthetic: true, now: 1 });
});
afterAll(async () => h.close());

describe('walk-forward degenerate cases', () => {
  it('a bankrupt out-of-sample window completes the run and reports the ruin', async () => {
    const r = await h.call('walk_forward', { strategy: 'sma_cross', symbol: 'RUIN', timeframe: '1d', params: { fast: 2, slow: 5, direction: 'long_short' }, is: 100, oos: 50, execution: { commission: 0.001 } });
    const d = dataOf<Wf>(r);
    expect(d.status).toBe('succeeded');
    const hit = d.per_window.find((w) => Date.parse(w.oos.from) <= START + JUMP * DAY && START + JUMP * DAY <= Date.parse(w.oos.to))!;
    expect(d.oos.ruin).not.toBeNull();
    expect(d.oos.ruin!.window).toBe(hit.index);
    expect(Date.parse(d.oos.ruin!.at)).toBe(START + JUMP * DAY);
    expect(d.oos.return_pct).toBe(-100);
    expect(d.oos.warnings.join()).toMatch(/ruin: the stitched out-of-sample account was wiped out/);
    const eq = dataOf<{ oos_equity: { items: { equity: number }[]; total: number } }>(await h.call('get_run', { run_id: d.run_id, include: 'oos_equity', limit: 500 }));
    expect(eq.oos_equity.items[eq.oos_equity.total - 1].equity).toBe(0);
    // every window's ledger entry has finite statistics (or none), nothing NaN
    const rows = sqliteOf(h.app).prepare("SELECT sharpe, n_periods FROM ledger_entries WHERE source_id LIKE ?").all(`${d.run_id}#oos%`) as { sharpe: number | null; n_periods: number }[];
    expect(rows.length).toBe(d.per_window.length);
    for (const row of rows) expect(row.sharpe === null || Number.isFinite(row.sharpe)).toBe(true);
    expect(typeof d.oos.dsr_detail?.n_source).toBe('string');
  });

  it('a position open at the end of an out-of-sample window is closed there with exit costs and counted', async () => {
    const r = await h.call('walk_forward', { strategy: 'sma_cross', symbol: 'RUIN', timeframe: '1d', params: { fast: 2, slow: 5, direction: 'long_short' }, to: '2022-09-01', is: 60, oos: 30, execution: { commission: 0.001 } });
    const d = dataOf<Wf>(r);
    const trades = dataOf<{ trades: { items: { exit_reason: string; fees: number; exit_time: number | string }[]; total: number } }>(await h.call('get_run', { run_id: d.run_id, include: 'trades', limit: 500 }));
    const atEnd = trades.trades.items.filter((t) => t.exit_reason === 'end');
    expect(atEnd.length).toBeGreaterThan(0);
    for (const t of atEnd) expect(t.fees).toBeGreaterThan(0);
    expect(trades.trades.total).toBe(d.oos.trades);
    expect(d.per_window.reduce((s, w) => s + (w.oos_metrics?.trades ?? 0), 0)).toBe(d.oos.trades);
    expect(d.oos.open_positions).toMatch(/closed at that window's last bar with exit costs/);
  });
});
