import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/research/app.js';
import { listTrialsSync } from '../../../src/research/optimize/index.js';
import { pickMetrics } from '../../../src/research/optimize/objective.js';
import { studyFailureOf } from '../../../src/research/optimize/outcome.js';
import { runStudy } from '../../../src/research/optimize/run-study.js';
import { createRun } from '../../../src/storage/runs.js';
import { seededApp } from '../batch-fixtures.js';
import { sqliteOf } from '../../helpers/sqlite.js';

let app: App;
beforeEach(() => {
  app = seededApp();
});
afterEach(() => app.db.close());

const count = (sql: string): number => (sqliteOf(app).prepare(sql).get() as { n: number }).n;

async function study(name: string, space: Record<string, unknown>, n: number): Promise<Record<string, unknown>> {
  const run = createRun(app.db, { kind: 'optimize', status: 'running', spec: {}, now: 0 });
  return runStudy(app, { strategy: 'rsi_reversion', symbol: 'DEMO-BTC', timeframe: '1h', space: space as never, sampler: 'random', n_trials: n, seed: 3, study_name: name }, { run_id: run.id, signal: new AbortController().signal });
}

describe('the optimisation objective', () => {
  it("commits each evaluated trial's cache entry and trial-ledger entry with the trial", async () => {
    const s = await study('ok', { period: { type: 'int', low: 5, high: 40 } }, 12);
    const evaluated = s.evaluated as number;
    expect(evaluated).toBeGreaterThan(5);
    // a repeated point is answered from its twin in the study, without the objective
    const twins = count("SELECT COUNT(*) AS n FROM trial_system_attributes WHERE key = 'duplicate_of'");
    expect(count("SELECT COUNT(*) AS n FROM ledger_entries WHERE source_kind = 'trial'")).toBe(12 - twins);
    expect(count('SELECT COUNT(*) AS n FROM result_cache')).toBe(evaluated);
    expect(count("SELECT COUNT(*) AS n FROM trials WHERE state IN ('COMPLETE', 'FAIL')")).toBe(12);
  });

  it('still caches and counts a backtest whose objective is undefined (the trial fails)', async () => {
    // RSI never below 1 nor above 99 on this data: no trade, so Sharpe is undefined
    const s = await study('flat', { period: { type: 'int', low: 30, high: 40 }, lower: { type: 'int', low: 1, high: 1 }, upper: { type: 'int', low: 99, high: 99 } }, 4);
    expect(count("SELECT COUNT(*) AS n FROM trials WHERE state = 'FAIL'")).toBe(4);
    expect(count("SELECT COUNT(*) AS n FROM ledger_entries WHERE source_kind = 'trial'")).toBe(4);
    expect(count('SELECT COUNT(*) AS n FROM result_cache')).toBe(s.evaluated as number);
    expect(s.evaluated as number).toBeGreaterThan(0);
  });

  it("a failed trial carries its reason and the backtest's metrics; a study whose trials all fail says why", async () => {
    const s = await study('flat2', { period: { type: 'int', low: 30, high: 40 }, lower: { type: 'int', low: 1, high: 1 }, upper: { type: 'int', low: 99, high: 99 } }, 4);
    const trials = listTrialsSync(app, 'flat2') as { state: string; fail_reason: string | null; metrics: Record<string, unknown> | null }[];
    expect(trials).toHaveLength(4);
    for (const t of trials) {
      expect(t.state).toBe('FAIL');
      expect(t.fail_reason).toMatch(/^objective sharpe is null: sharpe: /);
      expect(t.metrics).toMatchObject({ trades: 0, sharpe: null });
      expect(typeof t.metrics?.return_pct).toBe('number');
    }
    const reasons = s.fail_reasons as { reason: string; count: number }[];
    expect(reasons.reduce((n, r) => n + r.count, 0)).toBe(4);
    expect(reasons[0].reason).toBe(trials[0].fail_reason);
    const failure = s.failure as { message: string; failed: number };
    expect(failure.failed).toBe(4);
    expect(failure.message).toContain(`all 4 trials failed; most common reason (${reasons[0].count} of 4): objective sharpe is null`);
    expect(studyFailureOf(s)).toBe(failure.message);
    expect(s.best).toBeNull();
  });

  it('a study with some complete trials is not failed, and lists why the others failed', async () => {
    const s = await study('mixed', { period: { type: 'int', low: 5, high: 40 }, lower: { type: 'categorical', choices: [1, 30] }, upper: { type: 'int', low: 70, high: 70 } }, 14);
    const counts = s.counts as Record<string, number>;
    expect(counts.COMPLETE).toBeGreaterThan(0);
    expect(counts.FAIL).toBeGreaterThan(0);
    expect(s.failure).toBeUndefined();
    expect(studyFailureOf(s)).toBeNull();
    expect((s.fail_reasons as { count: number }[]).reduce((n, r) => n + r.count, 0)).toBe(counts.FAIL);
    const top = s.top as { fail_reason: string | null }[];
    expect(top.every((t) => t.fail_reason === null)).toBe(true);
  });
});

describe('the metrics a trial keeps', () => {
  const base = { return_pct: 1, sharpe: 0.5, trades: 3, volatility_ann_pct: 9 };
  it('keeps the prediction metrics when the strategy emits a confidence, and not otherwise', () => {
    const withConfidence = pickMetrics({ ...base, predictions: 12, hit_rate_pct: 58.3, brier: 0.24, ece: null });
    expect(withConfidence).toEqual({ return_pct: 1, sharpe: 0.5, trades: 3, predictions: 12, hit_rate_pct: 58.3, brier: 0.24, ece: null });
    const without = pickMetrics({ ...base, predictions: null, hit_rate_pct: null, brier: null, ece: null });
    expect(without).toEqual({ return_pct: 1, sharpe: 0.5, trades: 3 });
    // a metric the objective or a constraint names is kept anyway
    expect(pickMetrics({ ...base, predictions: null, brier: null }, ['brier', 'volatility_ann_pct'])).toEqual({ ...base, brier: null });
  });
});
