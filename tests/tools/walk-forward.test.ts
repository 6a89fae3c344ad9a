import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candles } from '../../src/engine/data/candles.js';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';
import { sqliteOf } from '../helpers/sqlite.js';

let h: Harness;
const START = Date.UTC(2024, 0, 1);
const base = generateSynthetic({ symbol: 'WF', timeframe: '1h', bars: 24 * 200, seed: 21, start: START });
const SPACE = { fast: { type: 'int', low: 5, high: 20 }, slow: { type: 'int', low: 30, high: 120, step: 10 } };
const REQ = { strategy: 'sma_cross', timeframe: '1h', is: '60d', oos: '20d', n_trials: 8, seed: 4, space: SPACE };

interface Wf {
  run_id: string;
  status: string;
  windows: number;
  per_window: { index: number; params: Record<string, unknown>; is: { from: string; to: string }; oos: { from: string; to: string }; oos_metrics: { return_pct: number } | null; trials: number }[];
  oos: {
    sharpe: number | null;
    psr: number | null;
    dsr: number | null;
    dsr_n: number | null;
    dsr_detail: { evidence: string; n: number; used: string; n_source: string; selection: { entries: number; by_source: Record<string, number>; configurations: number } } | null;
    trades: number;
    bars: number;
  } | null;
  is_trials: number;
  is_configurations: number;
  wfe: number | null;
  parameter_drift: Record<string, unknown>;
  overlapping_oos: boolean;
  final_params: Record<string, unknown> | null;
}

/** The same series with every bar from `from` on scaled by a wobble (OOS-only tampering). */
function perturbFrom(c: Candles, symbol: string, fromIdx: number, toIdx: number): Candles {
  const f = (i: number): number => (i >= fromIdx && i < toIdx ? 1 + 0.2 * Math.sin(i / 3) : 1);
  const scale = (a: Float64Array): Float64Array => Float64Array.from(a, (x, i) => x * f(i));
  return { ...c, symbol, open: scale(c.open), high: scale(c.high), low: scale(c.low), close: scale(c.close) };
}

beforeAll(async () => {
  h = await harness();
  insertDataset(h.app.db, { candles: { ...base, symbol: 'WF' }, source: 'test', isSynthetic: true, now: 1 });
});
afterAll(async () => h.close());

describe('walk_forward through the in-process MCP client', () => {
  it('optimises per window, reports IS vs OOS, WFE, drift and stitched OOS stats; the DSR counts OOS evaluations, not in-sample trials', async () => {
    const progress: string[] = [];
    const r = await h.client.callTool({ name: 'walk_forward', arguments: { ...REQ, symbol: 'WF' } }, undefined, { onprogress: (p) => progress.push(String(p.message)) });
    const d = dataOf<Wf>(r as never);
    expect(d.status).toBe('succeeded');
    expect(d.windows).toBeGreaterThanOrEqual(5);
    expect(progress.length).toBe(d.windows);
    // OOS windows never overlap and follow each other
    for (let i = 1; i < d.per_window.length; i++) expect(Date.parse(d.per_window[i].oos.from)).toBeGreaterThan(Date.parse(d.per_window[i - 1].oos.to));
    for (const w of d.per_window) expect(Date.parse(w.is.to)).toBeLessThan(Date.parse(w.oos.from));
    expect(d.overlapping_oos).toBe(false);
    expect(d.oos).not.toBeNull();
    expect(d.is_trials).toBe(d.per_window.reduce((s, w) => s + w.trials, 0));
    expect(d.is_trials).toBeGreaterThanOrEqual(d.windows * 8);
    expect(d.is_configurations).toBeGreaterThan(8);
    expect(d.is_configurations).toBeLessThanOrEqual(d.is_trials);
    // the stitched curve is the only out-of-sample evaluation on its bars so far: N = 1, DSR = PSR(0)
    expect(d.oos!.dsr_detail).toMatchObject({ evidence: 'walk_forward_oos', n: 1, used: 'no_skill' });
    expect(d.oos!.dsr_n).toBe(1);
    expect(d.oos!.dsr).toBeCloseTo(d.oos!.psr!, 12);
    expect(d.oos!.dsr_detail!.selection.by_source).toEqual({ wf_oos: 1 });
    expect(Object.keys(d.parameter_drift)).toEqual(['fast', 'slow']);
    expect(d.final_params).toEqual(d.per_window[d.per_window.length - 1].params);
    const eq = dataOf<{ oos_equity: { items: { equity: number }[]; total: number } }>(await h.call('get_run', { run_id: d.run_id, include: 'oos_equity', limit: 3 }));
    expect(eq.oos_equity.total).toBe(d.oos!.bars);
    expect(eq.oos_equity.items[0].equity).toBe(10_000);
    // the stitched curve cannot be recomputed cheaply: it is kept, compressed, with its bar times
    const row = sqliteOf(h.app).prepare('SELECT codec, equity_stored, length(equity) AS eq, length(equity_time) AS t FROM run_results WHERE run_id = ?').get(d.run_id) as { codec: number; equity_stored: number; eq: number; t: number };
    expect(row).toMatchObject({ codec: 1, equity_stored: 1 });
    expect(row.eq + row.t).toBeLessThan(d.oos!.bars * 8); // both together below the raw size of one
    const last = dataOf<{ oos_equity: { items: { equity: number }[] } }>(await h.call('get_run', { run_id: d.run_id, include: 'oos_equity', cursor: String(d.oos!.bars - 1), limit: 1 }));
    expect(last.oos_equity.items[0].equity / 10_000 - 1).toBeCloseTo((d.oos as unknown as { return_pct: number }).return_pct / 100, 12); // read back intact
    // same inputs and seed ⇒ identical output
    const again = dataOf<Wf>(await h.call('walk_forward', { ...REQ, symbol: 'WF' }));
    expect(again.per_window.map((w) => w.params)).toEqual(d.per_window.map((w) => w.params));
    // the same procedure again is the same configuration: N stays 1 (one more ledger entry)
    const counts = (o: NonNullable<Wf['oos']>) => ({ ...o, dsr_detail: { ...o.dsr_detail, n_source: '', selection: { ...o.dsr_detail!.selection, entries: 0, by_source: {} } } });
    expect(again.oos!.dsr_detail!.selection.entries).toBe(2);
    expect(counts(again.oos!)).toEqual(counts(d.oos!));
  });

  it('no out-of-sample bar influences its own window: perturbing OOS data leaves that window\'s params unchanged', async () => {
    const ref = dataOf<Wf>(await h.call('walk_forward', { ...REQ, symbol: 'WF' }));
    const w1 = ref.per_window[1];
    const fromIdx = Math.round((Date.parse(w1.oos.from) - START) / 3_600_000);
    const toIdx = Math.round((Date.parse(w1.oos.to) - START) / 3_600_000) + 1;
    insertDataset(h.app.db, { candles: perturbFrom(base, 'WFP', fromIdx, toIdx), source: 'test', isSynthetic: true, now: 2 });
    const p = dataOf<Wf>(await h.call('walk_forward', { ...REQ, symbol: 'WFP' }));
    expect(p.per_window[0].params).toEqual(ref.per_window[0].params);
    expect(p.per_window[1].params).toEqual(ref.per_window[1].params);
    // the tampering did reach the OOS result of window 1
    expect(p.per_window[1].oos_metrics!.return_pct).not.toBe(ref.per_window[1].oos_metrics!.return_pct);
  });

  it('rejects overlapping OOS windows unless allowed, and then flags them', async () => {
    const bad = await h.call('walk_forward', { ...REQ, symbol: 'WF', step: '10d' });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/overlap/i);
    const ok = dataOf<Wf>(await h.call('walk_forward', { ...REQ, symbol: 'WF', step: '10d', allow_overlap: true, n_trials: 3 }));
    expect(ok.overlapping_oos).toBe(true);
  });

  it('walks fixed params forward without optimising; "champion" without a champion is a clear error', async () => {
    const fixed = dataOf<Wf>(await h.call('walk_forward', { ...REQ, symbol: 'WF', params: { fast: 10, slow: 50 } }));
    expect(fixed.per_window.every((w) => w.trials === 0 && w.params.fast === 10)).toBe(true);
    const champ = await h.call('walk_forward', { ...REQ, symbol: 'WF', params: 'champion' });
    expect(champ.isError).toBe(true);
    expect(textOf(champ)).toMatch(/champion/);
  });
});
