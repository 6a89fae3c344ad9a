import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp } from '../../src/research/app.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';
import { sqliteOf } from '../helpers/sqlite.js';

let h: Harness;
const BASE = { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h', seed: 3 };

beforeAll(async () => {
  h = await harness();
  const candles = generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 4000, seed: 11, start: Date.UTC(2024, 0, 1) });
  insertDataset(h.app.db, { candles, source: 'test', isSynthetic: true, now: 1 });
});
afterAll(async () => h.close());

interface OptData {
  run_id: string;
  status: string;
  study_name: string;
  trials_total: number;
  counts: Record<string, number>;
  stop_reason: string;
  stopped: { reason: string; detail: string };
  best: { number: number; values: number[]; params: Record<string, unknown>; run_id: string } | null;
  top: { number: number; values: number[] | null }[];
  cache_hits: number;
  convergence: { number: number; best: number }[];
  importance: Record<string, number> | null;
  pareto_front: unknown[];
  validated?: { number: number; passed: boolean; holdout_run_id: string }[];
}

describe('optimize through the in-process MCP client', () => {
  it('runs a seeded TPE study with progress notifications, stores trials, and ranks the best', async () => {
    const progress: number[] = [];
    const r = await h.client.callTool(
      { name: 'optimize', arguments: { ...BASE, n_trials: 16, study_name: 'opt-a' } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    const d = dataOf<OptData>(r as never);
    expect(d.status).toBe('succeeded');
    expect(d.trials_total).toBe(16);
    expect(d.stop_reason).toBe('n_trials');
    expect(d.stopped).toEqual({ reason: 'n_trials', detail: 'started the 16 trial(s) asked for' });
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress[progress.length - 1]).toBe(16);
    expect(d.best).not.toBeNull();
    const completeValues = d.top.map((t) => t.values?.[0] ?? -Infinity);
    expect(d.best!.values[0]).toBe(Math.max(...completeValues));
    expect(d.best!.run_id).toMatch(/^bt_/);
    expect(d.convergence.length).toBeGreaterThan(0);
    // trial table page by page
    const page = dataOf<{ trials: { items: { number: number }[]; total: number; next_cursor: string | null } }>(await h.call('get_run', { run_id: d.run_id, include: 'trials', limit: 5 }));
    expect(page.trials.total).toBe(16);
    expect(page.trials.items.map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
    // every distinct evaluated configuration is in the trial ledger, under this run's id
    const all = dataOf<{ trials: { items: { state: string; params: unknown }[] } }>(await h.call('get_run', { run_id: d.run_id, include: 'trials', limit: 50 }));
    const distinct = new Set(all.trials.items.filter((t) => t.state === 'COMPLETE').map((t) => JSON.stringify(t.params)));
    const entries = sqliteOf(h.app).prepare("SELECT COUNT(DISTINCT params_hash) AS n FROM ledger_entries WHERE source_kind = 'trial' AND source_id LIKE ?").get(`${d.run_id}#%`) as { n: number };
    expect(entries.n).toBe(distinct.size);
  });

  it('same seed ⇒ same trials; a second study answers evaluated points from the cache', async () => {
    const a = dataOf<OptData>(await h.call('optimize', { ...BASE, n_trials: 12, study_name: 'opt-b1' }));
    const b = dataOf<OptData>(await h.call('optimize', { ...BASE, n_trials: 12, study_name: 'opt-b2' }));
    const ta = dataOf<{ trials: { items: { params: unknown; values: unknown }[] } }>(await h.call('get_run', { run_id: a.run_id, include: 'trials', limit: 50 }));
    const tb = dataOf<{ trials: { items: { params: unknown; values: unknown }[] } }>(await h.call('get_run', { run_id: b.run_id, include: 'trials', limit: 50 }));
    expect(tb.trials.items.map((t) => t.params)).toEqual(ta.trials.items.map((t) => t.params));
    expect(tb.trials.items.map((t) => t.values)).toEqual(ta.trials.items.map((t) => t.values));
    expect(b.cache_hits).toBeGreaterThan(0);
  });

  it('resuming with a changed objective is refused, naming what changed', async () => {
    await h.call('optimize', { ...BASE, n_trials: 3, study_name: 'opt-c' });
    const r = await h.call('optimize', { ...BASE, n_trials: 5, study_name: 'opt-c', objective: 'return_pct' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/objectives/);
    const forced = dataOf<OptData>(await h.call('optimize', { ...BASE, n_trials: 5, study_name: 'opt-c', objective: 'return_pct', force: true }));
    expect(forced.trials_total).toBe(5);
  });

  it('an exhausted grid stops with reason exhausted', async () => {
    const d = dataOf<OptData>(
      await h.call('optimize', {
        ...BASE,
        study_name: 'opt-grid',
        sampler: 'grid',
        n_trials: 50,
        space: { fast: { type: 'int', low: 5, high: 7 }, slow: { type: 'categorical', choices: [30, 40] } },
      }),
    );
    expect(d.stop_reason).toBe('exhausted');
    expect(d.stopped).toEqual({ reason: 'exhausted', detail: expect.stringMatching(/no point left to propose/) });
    expect(d.counts.COMPLETE + (d.counts.FAIL ?? 0)).toBe(6);
  });

  it('top lists and holdout validation take distinct configurations, saying how many repeats were collapsed', async () => {
    // 6 configurations and 30 random trials: repeats are certain, and answered from their twins with the same value
    const space = { fast: { type: 'int', low: 5, high: 7 }, slow: { type: 'categorical', choices: [30, 40] } };
    const r = await h.call('optimize', { ...BASE, space, sampler: 'random', n_trials: 30, study_name: 'opt-dups', to: '2024-05-01', validate: { top_k: 3, holdout: { from: '2024-05-01' } } });
    type P = { fast: number; slow: number };
    const d = dataOf<Omit<OptData, 'top'> & { top: { number: number; params: P; copies: number }[]; top_duplicates_collapsed: number; distinct_configurations: number }>(r);
    const all = dataOf<{ trials: { items: { number: number; state: string; params: P }[] } }>(await h.call('get_run', { run_id: d.run_id, include: 'trials', limit: 50 }));
    const complete = all.trials.items.filter((t) => t.state === 'COMPLETE');
    // the top list shows full params (defaults included), the trial table the searched ones
    const key = (p: P): string => `${p.fast}/${p.slow}`;
    const distinct = new Set(complete.map((t) => key(t.params)));
    expect(complete.length).toBeGreaterThan(distinct.size); // the study did repeat itself
    expect(d.distinct_configurations).toBe(distinct.size);
    expect(d.top).toHaveLength(Math.min(5, distinct.size));
    expect(new Set(d.top.map((t) => key(t.params))).size).toBe(d.top.length);
    for (const t of d.top) expect(t.copies).toBe(complete.filter((c) => key(c.params) === key(t.params)).length);
    expect(d.top_duplicates_collapsed).toBe(d.top.reduce((n, t) => n + t.copies - 1, 0));
    // each listed trial is the first (lowest-numbered) trial of its configuration
    for (const t of d.top) expect(t.number).toBe(complete.find((c) => key(c.params) === key(t.params))!.number);
    expect(d.validated!.map((v) => v.number)).toEqual(d.top.slice(0, 3).map((t) => t.number));
    expect(d.top_duplicates_collapsed).toBeGreaterThan(0);
    expect(textOf(r)).toMatch(new RegExp(`${d.top_duplicates_collapsed} repeated trial\\(s\\) collapsed`));
    const page = dataOf<{ top: { items: { number: number }[] } }>(await h.call('get_run', { run_id: d.run_id, include: 'top' }));
    expect(page.top.items.map((t) => t.number)).toEqual(d.top.map((t) => t.number));
  });

  it('bad input is an isError naming the field', async () => {
    const bad = await h.call('optimize', { ...BASE, space: { fsat: { type: 'int', low: 1, high: 5 } } });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/space\.fsat/);
    const bounds = await h.call('optimize', { ...BASE, space: { fast: { type: 'int', low: 9, high: 5 } } });
    expect(bounds.isError).toBe(true);
    expect(textOf(bounds)).toMatch(/fast/);
    const obj = await h.call('optimize', { ...BASE, constraints: ['trades => 3'] });
    expect(obj.isError).toBe(true);
    expect(textOf(obj)).toMatch(/constraints/);
  });

  it('an unknown objective or constraint metric is refused before any study or run exists', async () => {
    const runs = (): number => (sqliteOf(h.app).prepare("SELECT COUNT(*) AS n FROM runs WHERE kind = 'optimize'").get() as { n: number }).n;
    const before = runs();
    const bad = await h.call('optimize', { ...BASE, n_trials: 20, study_name: 'opt-badmetric', objective: 'sharpe_ratio' });
    expect(bad.isError).toBe(true);
    const text = textOf(bad);
    expect(text).toMatch(/unknown metric "sharpe_ratio"/);
    expect(text).toMatch(/field: objective/);
    expect(text).toMatch(/did you mean sharpe\?/);
    expect(text).toMatch(/return_pct, .*max_drawdown_pct, .*trades/);
    const many = await h.call('optimize', { ...BASE, n_trials: 5, study_name: 'opt-badmetric', objectives: ['sharpe', { metric: 'retrun_pct', direction: 'maximize' }] });
    expect(textOf(many)).toMatch(/objectives\.1.*did you mean return_pct\?/);
    const constraint = await h.call('optimize', { ...BASE, n_trials: 5, study_name: 'opt-badmetric', constraints: ['trade >= 3'] });
    expect(constraint.isError).toBe(true);
    expect(textOf(constraint)).toMatch(/constraints\.0.*did you mean trades\?/);
    expect(runs()).toBe(before);
    expect(sqliteOf(h.app).prepare("SELECT COUNT(*) AS n FROM studies WHERE study_name = 'opt-badmetric'").get()).toEqual({ n: 0 });
  });

  it('a study whose trials all fail ends failed, with the most common reason and the trials keeping their metrics', async () => {
    // RSI never below 1 nor above 99: no trade, so the Sharpe objective is undefined in every trial
    const space = { period: { type: 'int', low: 10, high: 20 }, lower: { type: 'int', low: 1, high: 1 }, upper: { type: 'int', low: 99, high: 99 } };
    const r = await h.call('optimize', { ...BASE, strategy: 'rsi_reversion', space, sampler: 'random', n_trials: 6, study_name: 'opt-allfail' });
    // a failed job is an isError result that still carries the run's summary
    expect(r.isError).toBe(true);
    const d = r.structuredContent as unknown as OptData & { error: string; fail_reasons: { reason: string; count: number; trials: number[] }[]; failure: { message: string; failed: number } };
    expect(d.status).toBe('failed');
    expect(d.error).toMatch(/^all 6 trials failed; most common reason \(6 of 6\): objective sharpe is null: sharpe: /);
    expect(d.failure.failed).toBe(6);
    expect(d.fail_reasons).toEqual([{ reason: expect.stringMatching(/^objective sharpe is null/), count: 6, trials: [0, 1, 2, 3, 4] }]);
    expect(textOf(r as never)).toMatch(/failed: all 6 trials failed/);
    expect(textOf(r as never)).toMatch(/Failed trials: "objective sharpe is null[^"]*" ×6/);
    const run = dataOf<{ status: string; error: string; summary: { counts: Record<string, number> } }>(await h.call('get_run', { run_id: d.run_id }));
    expect(run.status).toBe('failed');
    expect(run.error).toBe(d.error);
    expect(run.summary.counts.FAIL).toBe(6);
    const page = dataOf<{ trials: { items: { state: string; fail_reason: string | null; metrics: { trades: number } | null }[] } }>(await h.call('get_run', { run_id: d.run_id, include: 'trials' }));
    for (const t of page.trials.items) {
      expect(t.state).toBe('FAIL');
      expect(t.fail_reason).toBe(d.fail_reasons[0].reason);
      expect(t.metrics?.trades).toBe(0);
    }
    // calling optimize again on the failed study: nothing left to run, and still a failure
    const again = await h.call('optimize', { ...BASE, strategy: 'rsi_reversion', space, sampler: 'random', n_trials: 6, study_name: 'opt-allfail' });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/failed: all 6 trials failed/);
    expect((again.structuredContent as { status: string; run_id: string }).status).toBe('failed');
    expect((again.structuredContent as { run_id: string }).run_id).not.toBe(d.run_id);
  });

  it('returns a run handle when the wait budget runs out, and cancel_run stops the job', async () => {
    const r = dataOf<{ run_id: string; status: string }>(await h.call('optimize', { ...BASE, n_trials: 3000, study_name: 'opt-long', sampler: 'random', wait_seconds: 0 }));
    expect(['queued', 'running']).toContain(r.status);
    const c = dataOf<{ cancelled: boolean }>(await h.call('cancel_run', { run_id: r.run_id }));
    expect(c.cancelled).toBe(true);
    let status = 'running';
    for (let i = 0; i < 200 && (status === 'running' || status === 'queued'); i++) {
      await new Promise((res) => setTimeout(res, 25));
      status = dataOf<{ status: string }>(await h.call('get_run', { run_id: r.run_id })).status;
    }
    expect(status).toBe('cancelled');
    const run = dataOf<{ summary: { trials_total: number; stop_reason: string; stopped: { reason: string; detail: string } } }>(await h.call('get_run', { run_id: r.run_id }));
    expect(run.summary.stop_reason).toBe('cancelled');
    expect(run.summary.stopped.detail).toMatch(/^cancelled after \d+ trial\(s\) had started$/);
    expect(run.summary.trials_total).toBeLessThan(3000);
  });

  it('validate re-runs the top trials on a later holdout and marks which passed', async () => {
    const d = dataOf<OptData>(
      await h.call('optimize', { ...BASE, n_trials: 12, study_name: 'opt-val', to: '2024-05-01', validate: { top_k: 3, holdout: { from: '2024-05-01' } } }),
    );
    expect(d.validated).toHaveLength(3);
    for (const v of d.validated!) expect(v.holdout_run_id).toMatch(/^bt_/);
    const overlap = await h.call('optimize', { ...BASE, n_trials: 2, study_name: 'opt-val2', to: '2024-05-01', validate: { top_k: 1, holdout: { from: '2024-03-01' } } });
    expect(textOf(overlap)).toMatch(/holdout/);
  });
});

describe('optimize under the server wall-time limit', () => {
  it('stops at limits.max_wall_seconds with reason wall_limit, and says so', async () => {
    // a clock that moves 50 ms per reading: the 1 s limit passes after a few trials
    let t = Date.UTC(2025, 0, 1);
    const root = mkdtempSync(join(tmpdir(), 'tradelab-wall-'));
    const app = openApp({ dbFile: ':memory:', home: root, root, config: { limits: { max_wall_seconds: 1 } }, now: () => (t += 50) });
    insertDataset(app.db, { candles: generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 1500, seed: 11, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
    const w = await harness({ app });
    try {
      const r = await w.call('optimize', { ...BASE, n_trials: 500, study_name: 'opt-wall', sampler: 'random', refine: { n_trials: 10 } });
      const d = dataOf<OptData>(r);
      expect(d.status).toBe('succeeded');
      expect(d.stopped.reason).toBe('wall_limit');
      expect(d.stopped.detail).toMatch(/^the wall-time limit of 1 s per job \(limits\.max_wall_seconds\) was reached after \d+ trial\(s\) had started$/);
      expect(d.trials_total).toBeLessThan(500);
      expect(d.trials_total).toBeGreaterThan(0);
      expect((d as unknown as { stage: string }).stage).toBe('study'); // no fine stage after the wall limit
      expect(textOf(r)).toMatch(/stopped by wall_limit \(the wall-time limit of 1 s/);
    } finally {
      await w.close();
    }
  });
});
