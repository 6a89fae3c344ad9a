import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/research/app.js';
import { runStudy } from '../../../src/research/optimize/run-study.js';
import { createRun } from '../../../src/storage/runs.js';
import { seededApp } from '../batch-fixtures.js';

let app: App;
beforeEach(() => {
  app = seededApp();
});
afterEach(() => app.db.close());

const count = (sql: string): number => (app.db.prepare(sql).get() as { n: number }).n;

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
});
