/**
 * Scenario files (src/research/scenarios): each kind built from earlier work and run
 * through the batch machinery, checked against the same configurations run one by one;
 * and file errors that name the scenario, the key and the value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unflatten } from '../../src/engine/optimizer/paths.js';
import { ENGINE_VERSION } from '../../src/engine/version.js';
import type { App } from '../../src/research/app.js';
import { backtest } from '../../src/research/backtest.js';
import { readItems } from '../../src/research/batch/item-rows.js';
import { closeEvaluators } from '../../src/research/evaluator.js';
import { UserError } from '../../src/research/errors.js';
import { loadRunResult } from '../../src/research/run-result.js';
import { JobRunner } from '../../src/research/jobs.js';
import { parseTask, startOptimize } from '../../src/research/optimize/index.js';
import { parseScenarioText } from '../../src/research/scenarios/load.js';
import { scenarioReport } from '../../src/research/scenarios/report.js';
import { runScenarios, type ScenarioOutcome } from '../../src/research/scenarios/run.js';
import { appendChampionVersion } from '../../src/storage/champions.js';
import { findDataset } from '../../src/storage/datasets.js';
import { SqliteStudyStore } from '../../src/storage/study-store.js';
import { CONSTRAINED_ORDER, storeConstrainedStudy } from '../helpers/studies.js';
import { seededApp } from './batch-fixtures.js';
import { sqliteOf } from '../helpers/sqlite.js';

let app: App;
let jobs: JobRunner;

beforeAll(async () => {
  app = seededApp();
  jobs = new JobRunner(app);
  // an optimisation study on the first six weeks of DEMO-BTC 1h
  const run = await startOptimize(app, jobs, 'test', parseTask({ strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', to: '2023-02-12', n_trials: 12, study_name: 'scn-study', seed: 5, execution: { commission: 0.001 } }));
  const w = await jobs.wait(run.id, 60_000);
  expect(w.run.status).toBe('succeeded');
});
afterAll(async () => {
  await jobs.close();
  await closeEvaluators(app);
  app.db.close();
});

async function run(yaml: string): Promise<ScenarioOutcome[]> {
  return runScenarios(app, jobs, { file: 'test.yaml', spec: parseScenarioText(yaml, 'test.yaml') });
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof UserError ? e.describe() : String(e);
  }
  return 'no error';
}

describe('scenario files: errors', () => {
  it('name the scenario, the key and the value', () => {
    const bad = (body: string): string => errorOf(() => parseScenarioText(`scenarios:\n${body}`, 'f.yaml'));
    expect(bad('  - name: oos\n    from_study: { study: s, top: 0 }')).toMatch(/scenario "oos": from_study\.top: .*>=1.*\(got 0\)/);
    expect(bad('  - name: p\n    perturb: { strategy: sma_cross, params: {fast: 10}, bye: 0.2 }')).toMatch(/scenario "p": perturb\.bye: unknown key; did you mean "by"\? Accepted keys in perturb of scenario "p": strategy, params, champion, by, only/);
    expect(bad('  - name: p\n    perturb: { strategy: sma_crosss }')).toMatch(/scenario "p": perturb\.strategy: unknown strategy "sma_crosss".*got "sma_crosss".*sma_cross/);
    expect(bad('  - name: r\n    rank_by: sharp\n    perturb: { strategy: sma_cross }')).toMatch(/scenario "r": rank_by: unknown metric "sharp" \(got "sharp"\)/);
    expect(bad('  - name: two\n    perturb: { strategy: sma_cross }\n    ensemble: { members: [a, b] }')).toMatch(/scenario "two": perturb \+ ensemble: more than one scenario kind/);
    expect(bad('  - name: none\n    rank_by: sharpe')).toMatch(/scenario "none": \(kind\): no scenario kind given/);
    expect(bad('  - name: e\n    ensemble: { from_scenario: later }\n  - name: later\n    perturb: { strategy: sma_cross }')).toMatch(/scenario "e": ensemble\.from_scenario: no earlier scenario.*\(got "later"\)/);
    expect(bad('  - name: x\n    perturb: { strategy: sma_cross }\n  - name: x\n    perturb: { strategy: sma_cross }')).toMatch(/scenarios\[1\]: name: the same name.*\(got "x"\)/);
    expect(bad('  - name: ex\n    execution: { commission: 3 }\n    perturb: { strategy: sma_cross }')).toMatch(/scenario "ex": execution\.commission: .*<=0\.1 \(got 3\)/);
    expect(errorOf(() => parseScenarioText('scenarios: [\n', 'f.yaml'))).toMatch(/f\.yaml: not valid YAML at line/);
    expect(bad('  - name: q\n    perturb: { strategy: sma_cross, params: { __proto__: { fast: 1 } } }')).toMatch(/scenario "q": perturb\.params\.__proto__: the key "__proto__" is not allowed/);
    expect(bad('  - name: d\n    dataset: { symbol: X, timeframes: 1h }\n    perturb: { strategy: sma_cross }')).toMatch(/scenario "d": dataset\.timeframes: unknown key; did you mean "timeframe"\? Accepted keys in dataset of scenario "d": dataset_id, symbol, timeframe, version/);
  });

  it('a scenario that cannot be built is reported with its reason; the others still run', async () => {
    const out = await run(`
scenarios:
  - name: missing-study
    from_study: { study: no-such-study, dataset: { symbol: DEMO-BTC, timeframe: 1h } }
  - name: ok
    batch: { strategy: sma_cross, pairs: [{ symbol: DEMO-BTC, timeframe: 1h }, { symbol: ALT, timeframe: 4h }] }
`);
    expect(out.map((o) => o.status)).toEqual(['not_built', 'succeeded']);
    // a batch scenario takes pairs like backtest_batch: the two datasets, not their four combinations
    expect(readItems(app, out[1].run_id as string).map((i) => `${i.symbol} ${i.timeframe} ${i.status}`)).toEqual(['DEMO-BTC 1h ok', 'ALT 4h ok']);
    expect(out[0].error).toMatch(/scenario "missing-study": from_study\.study: no stored study has this name \(got "no-such-study"\).*scn-study/);
  });
});

describe('scenario kinds', () => {
  it('from_study: the top N trials by the study objective, re-run out of sample with the study costs', async () => {
    const out = await run(`
scenarios:
  - name: oos
    from_study: { study: scn-study, top: 3, from: "2023-02-12" }
`);
    expect(out[0].status).toBe('succeeded');
    const store = new SqliteStudyStore(sqliteOf(app));
    const study = (await store.getStudy('scn-study'))!;
    const trials = (await store.listTrials(study.study_id, { states: ['COMPLETE'] })).sort((a, b) => b.values![0] - a.values![0] || a.number - b.number);
    const items = readItems(app, out[0].run_id as string);
    expect(items.map((i) => i.label)).toEqual(trials.slice(0, 3).map((t) => `trial ${t.number}`));
    const fs = out[0].summary?.from_study as { rows: { trial: number; in_sample: number; oos: number | null }[]; oos_overlap: boolean; objective: string };
    expect(fs.oos_overlap).toBe(false);
    expect(fs.objective).toBe('sharpe');
    for (const [k, t] of trials.slice(0, 3).entries()) {
      const single = backtest(app, { strategy: 'sma_cross', params: unflatten(t.params, {}), symbol: 'DEMO-BTC', timeframe: '1h', from: '2023-02-12', execution: { commission: 0.001 } });
      expect(single.cached).toBe(true); // the scenario stored exactly this backtest
      expect(items[k].metrics).toEqual(single.result.metrics);
      expect(fs.rows[k]).toMatchObject({ trial: t.number, in_sample: t.values![0], oos: single.result.metrics.sharpe });
    }
    // a range that overlaps the study's own bars is flagged as not out of sample
    const overlap = await run(`
scenarios:
  - name: not-oos
    from_study: { study: scn-study, top: 1, from: "2023-02-01" }
`);
    expect((overlap[0].summary?.from_study as { oos_overlap: boolean; warning: string }).warning).toMatch(/not out of sample/);
  });

  it("from_study ranks trials as the optimizer does (feasible first) and skips repeated configurations", async () => {
    await storeConstrainedStudy(sqliteOf(app), 'scn-constrained', { dataset_id: findDataset(sqliteOf(app), 'DEMO-BTC', '1h')!.id });
    const out = await run(`
scenarios:
  - name: constrained
    from_study: { study: scn-constrained, top: 3, from: "2023-02-12" }
`);
    expect(out[0].status).toBe('succeeded');
    expect(readItems(app, out[0].run_id as string).map((i) => i.label)).toEqual(CONSTRAINED_ORDER.slice(0, 3).map((n) => `trial ${n}`));
    const fs = out[0].summary?.from_study as { duplicates_skipped: number; trials: { number: number; feasible: boolean; copies: number }[] };
    expect(fs.duplicates_skipped).toBe(1);
    expect(fs.trials.map((t) => [t.number, t.feasible, t.copies])).toEqual([
      [2, true, 2],
      [1, true, 1],
      [4, false, 1],
    ]);
  });

  it('perturb: ±20 % of each numeric parameter one at a time, ints rounded, invalid sets as failed items', async () => {
    const out = await run(`
defaults:
  dataset: { symbol: DEMO-BTC, timeframe: 1h }
scenarios:
  - name: rsi
    perturb: { strategy: rsi_reversion, params: { period: 14, lower: 33, upper: 70 }, by: 0.2 }
  - name: sma-tight
    rank_by: return_pct
    perturb: { strategy: sma_cross, params: { fast: 25, slow: 30 } }
`);
    const rsi = readItems(app, out[0].run_id as string);
    // period is an integer parameter (14 → 11.2 → 11, 16.8 → 17); lower and upper are real-valued
    expect(rsi.map((i) => [i.params?.period, i.params?.lower, i.params?.upper])).toEqual([
      [14, 33, 70],
      [11, 33, 70],
      [17, 33, 70],
      [14, 33 * 0.8, 70],
      [14, 33 * 1.2, 70],
      [14, 33, 70 * 0.8],
      [14, 33, 70 * 1.2],
    ]);
    expect(rsi.every((i) => i.status === 'ok')).toBe(true);
    const sens = out[0].summary?.sensitivity as { base: number; rows: { path: string; minus: { metric: number; change: number } }[]; most_sensitive: { path: string } };
    const base = backtest(app, { strategy: 'rsi_reversion', params: { period: 14, lower: 33, upper: 70 }, symbol: 'DEMO-BTC', timeframe: '1h' });
    const p11 = backtest(app, { strategy: 'rsi_reversion', params: { period: 11, lower: 33, upper: 70 }, symbol: 'DEMO-BTC', timeframe: '1h' });
    expect(sens.base).toBe(base.result.metrics.sharpe);
    expect(sens.rows[0]).toMatchObject({ path: 'period', minus: { metric: p11.result.metrics.sharpe, change: (p11.result.metrics.sharpe as number) - (base.result.metrics.sharpe as number) } });
    expect(['period', 'lower', 'upper']).toContain(sens.most_sensitive.path);
    // fast 25 → 30 and slow 30 → 24 break fast < slow: failed items with the reason, the rest ran
    const sma = readItems(app, out[1].run_id as string);
    expect(sma.map((i) => i.status)).toEqual(['ok', 'ok', 'failed', 'failed', 'ok']);
    expect(sma[2].error).toMatch(/fast \(30\) must be < slow \(30\)/);
    expect(sma[3].error).toMatch(/fast \(25\) must be < slow \(24\)/);
    expect(out[1].status).toBe('succeeded');
    expect(scenarioReport('test.yaml', out)).toMatch(/sensitivity of return_pct/);
  });

  it('perturb around the current champion of a symbol/timeframe', async () => {
    const ds = findDataset(app.db, 'ALT', '4h')!;
    appendChampionVersion(
      app.db,
      { strategy: 'ema_cross', symbol: 'ALT', timeframe: '4h', params: { fast: 8, slow: 40 }, metrics: {}, source_run_id: null, source_trial: null, evidence: {}, dataset_hash: ds.content_hash, engine_version: ENGINE_VERSION, promoted_at: 1, promoted_by: 'test', reason: 'test', rollback_of: null },
      null,
    );
    const out = await run(`
scenarios:
  - name: champ
    perturb: { strategy: ema_cross, champion: { symbol: ALT, timeframe: 4h }, by: 0.5 }
  - name: no-champ
    perturb: { strategy: ema_cross, champion: { symbol: DEMO-BTC, timeframe: 1h } }
`);
    const items = readItems(app, out[0].run_id as string);
    expect(items[0].label).toBe('base (champion v1)');
    expect(items.map((i) => [i.params?.fast, i.params?.slow])).toEqual([[8, 40], [4, 40], [12, 40], [8, 20], [8, 60]]);
    expect(items.every((i) => i.symbol === 'ALT' && i.timeframe === '4h')).toBe(true);
    expect(out[1].status).toBe('not_built');
    expect(out[1].error).toMatch(/scenario "no-champ": perturb\.champion: there is no champion for ema_cross on DEMO-BTC 1h/);
  });

  it('ensemble: members as specs and run ids, and the top 3 of an earlier scenario, daily rebalanced', async () => {
    const member = backtest(app, { strategy: 'rsi_reversion', params: { period: 10 }, symbol: 'DEMO-BTC', timeframe: '1h' });
    const out = await run(`
defaults:
  dataset: { symbol: DEMO-BTC, timeframe: 1h }
scenarios:
  - name: grid
    batch: { strategy: sma_cross, param_sets: [{fast: 5, slow: 20}, {fast: 10, slow: 40}, {fast: 20, slow: 60}, {fast: 30, slow: 90}], symbols: [DEMO-BTC], timeframes: [1h] }
  - name: mixed
    ensemble:
      members:
        - { strategy: sma_cross, params: { fast: 10, slow: 30 }, label: sma }
        - { strategy: bollinger_reversion, label: boll }
        - ${member.run_id}
  - name: top3
    ensemble: { from_scenario: grid, top: 3 }
`);
    expect(out.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const mixed = readItems(app, out[1].run_id as string);
    expect(mixed[2].cached).toBe(true); // the run-id member was answered from the store
    expect(mixed[2].run_id).toBe(member.run_id);
    const ens = out[1].summary?.ensemble as { metrics: Record<string, number>; members: { run_id: string }[]; used: number; rebalancing: string };
    expect(ens.used).toBe(3);
    expect(ens.rebalancing).toMatch(/daily/);
    // independent reference: day-end equities of the three stored runs, mean day return, compounded
    const curves = mixed.map((i) => {
      const r = backtest(app, { strategy: i.strategy, params: i.params ?? undefined, symbol: 'DEMO-BTC', timeframe: '1h' });
      const t = r.resolved.candles.time;
      const ends = new Map<string, number>();
      const equity = loadRunResult(app, r.run_id as string)!.equity; // stored runs keep no curve: recomputed
      for (let k = 0; k < t.length; k++) ends.set(new Date(t[k]).toISOString().slice(0, 10), equity[k]);
      return [...ends.values()];
    });
    let v = 1;
    for (let d = 1; d < curves[0].length; d++) v *= 1 + curves.reduce((s, c) => s + (c[d] / c[d - 1] - 1), 0) / curves.length;
    expect(ens.metrics.return_pct).toBeCloseTo((v - 1) * 100, 9);
    // top3: the three best of `grid` by sharpe, by their run ids
    const gridBest = readItems(app, out[0].run_id as string)
      .filter((i) => i.status === 'ok')
      .sort((a, b) => (b.metrics?.sharpe as number) - (a.metrics?.sharpe as number))
      .slice(0, 3)
      .map((i) => i.run_id);
    const top3 = out[2].summary?.ensemble as { members: { run_id: string }[] };
    expect(top3.members.map((m) => m.run_id)).toEqual(gridBest);
    expect(scenarioReport('test.yaml', out)).toMatch(/equal-weight ensemble of 3 members, rebalanced daily/);
  });
});
