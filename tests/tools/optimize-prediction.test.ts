/** Prediction-quality metrics as optimizer objectives and constraints, through the in-process MCP client. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';

let h: Harness;
const BASE = { strategy: 'confidence', symbol: 'SYN', timeframe: '1h', seed: 5, sampler: 'random' };
// a small space, so a dozen trials cover configurations with clearly different entries
const SPACE = {
  'thresholds.entry_conf_overall': { type: 'float', low: 0.5, high: 0.8, step: 0.05 },
  exit_conf_threshold: { type: 'float', low: 0.3, high: 0.45, step: 0.05 },
  rsi_period: { type: 'int', low: 7, high: 21 },
};

interface Trial {
  number: number;
  state: string;
  values: number[] | null;
  params: Record<string, unknown>;
  metrics: Record<string, number | null> | null;
  fail_reason: string | null;
}

beforeAll(async () => {
  h = await harness();
  const candles = generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 4000, seed: 11, start: Date.UTC(2024, 0, 1) });
  insertDataset(h.app.db, { candles, source: 'test', isSynthetic: true, now: 1 });
});
afterAll(async () => h.close());

async function trialsOf(runId: string): Promise<Trial[]> {
  return dataOf<{ trials: { items: Trial[] } }>(await h.call('get_run', { run_id: runId, include: 'trials', limit: 50 })).trials.items;
}

describe('optimize with prediction metrics', () => {
  it('objective brier is minimised by default; ece and predictions constrain the trials', async () => {
    const constraints = ['ece <= 0.2', 'predictions >= 40'];
    const d = dataOf<{
      run_id: string;
      status: string;
      best: { number: number; values: number[]; params: Record<string, unknown> } | null;
      top: { number: number; feasible: boolean }[];
    }>(await h.call('optimize', { ...BASE, space: SPACE, n_trials: 12, study_name: 'pred-brier', objective: 'brier', constraints, execution: { prediction_horizon: 6 } }));
    expect(d.status).toBe('succeeded');
    const trials = await trialsOf(d.run_id);
    const complete = trials.filter((t) => t.state === 'COMPLETE');
    expect(complete.length).toBe(12);
    for (const t of complete) {
      expect(t.values).toEqual([t.metrics!.brier]);
      expect(typeof t.metrics!.hit_rate_pct).toBe('number'); // a confidence strategy's trials keep all four
    }
    const ok = (t: Trial): boolean => (t.metrics!.ece as number) <= 0.2 && (t.metrics!.predictions as number) >= 40;
    const feasible = complete.filter(ok);
    // the top list says which trials meet the constraints, and ranks them first
    for (const top of d.top) expect(top.feasible, `trial ${top.number}`).toBe(ok(complete.find((t) => t.number === top.number)!));
    const flags = d.top.map((t) => t.feasible);
    expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
    expect(feasible.length).toBeGreaterThan(0);
    expect(feasible.length).toBeLessThan(complete.length); // the constraints did bite
    expect(d.best!.values[0]).toBe(Math.min(...feasible.map((t) => t.values![0])));
    expect(new Set(complete.map((t) => t.values![0])).size).toBeGreaterThan(3);

    // the best trial's numbers are those of a plain backtest with its params and horizon
    const bt = dataOf<{ metrics: Record<string, number | null> }>(
      await h.call('backtest', { strategy: 'confidence', symbol: 'SYN', timeframe: '1h', params: d.best!.params, execution: { prediction_horizon: 6 } }),
    );
    expect(bt.metrics.brier).toBe(d.best!.values[0]);
    expect(bt.metrics.ece as number).toBeLessThanOrEqual(0.2);
    expect(bt.metrics.predictions as number).toBeGreaterThanOrEqual(40);
  });

  it('an explicit direction still wins: brier:maximize picks the worst-calibrated trial', async () => {
    const d = dataOf<{ run_id: string; best: { values: number[] } | null }>(
      await h.call('optimize', { ...BASE, space: SPACE, n_trials: 8, study_name: 'pred-brier-max', objective: 'brier:maximize' }),
    );
    const values = (await trialsOf(d.run_id)).filter((t) => t.state === 'COMPLETE').map((t) => t.values![0]);
    expect(d.best!.values[0]).toBe(Math.max(...values));
  });

  it('walk_forward on brier shows the objective and constraint metrics in and out of sample per window', async () => {
    type M = Record<string, number | null>;
    const d = dataOf<{ status: string; per_window: { index: number; is_metrics: M | null; oos_metrics: M | null }[] }>(
      await h.call('walk_forward', { ...BASE, space: SPACE, is: '60d', oos: '20d', n_trials: 6, objective: 'brier', constraints: ['predictions >= 5'] }),
    );
    expect(d.status).toBe('succeeded');
    expect(d.per_window.length).toBeGreaterThanOrEqual(4);
    for (const w of d.per_window) {
      for (const m of [w.is_metrics!, w.oos_metrics!]) {
        expect(Object.keys(m).sort()).toEqual(['brier', 'max_drawdown_pct', 'predictions', 'return_pct', 'sharpe', 'trades']);
        expect(m.predictions as number).toBeLessThanOrEqual((m.trades as number) + 1); // closed trades + at most one still open
      }
      expect(w.is_metrics!.brier as number).toBeGreaterThan(0);
      expect(w.is_metrics!.brier as number).toBeLessThan(1);
    }
    expect(d.per_window.some((w) => typeof w.oos_metrics!.brier === 'number')).toBe(true);
  });

  it('on a strategy without a confidence the objective is null in every trial, and says why', async () => {
    const r = await h.call('optimize', { ...BASE, strategy: 'sma_cross', n_trials: 3, study_name: 'pred-none', objective: 'hit_rate_pct' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/objective hit_rate_pct is null: predictions, hit_rate_pct, brier, ece: the strategy emits no confidence/);
  });

  it('a mistyped prediction metric gets a did-you-mean before any study exists', async () => {
    const r = await h.call('optimize', { ...BASE, n_trials: 3, study_name: 'pred-typo', constraints: ['eces <= 0.03'] });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/constraints\.0.*did you mean ece\?/);
  });
});
