/**
 * `by_regime` scenarios: a backtest's result split by regime (the strategy's own regimes or the
 * built-in classifier's). The split must add up to the whole: the regimes' compounded returns
 * multiply to the run's return, their bars and trades sum to the run's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trade } from '../../src/engine/backtest/types.js';
import type { App } from '../../src/research/app.js';
import { defineStrategy } from '../../src/research/define-strategy.js';
import { closeEvaluators } from '../../src/research/evaluator.js';
import { UserError } from '../../src/research/errors.js';
import { JobRunner } from '../../src/research/jobs.js';
import { loadRunResult } from '../../src/research/run-result.js';
import { parseScenarioText } from '../../src/research/scenarios/load.js';
import { regimeStats, type RegimeRow } from '../../src/research/scenarios/regime-stats.js';
import { scenarioReport } from '../../src/research/scenarios/report.js';
import { runScenarios } from '../../src/research/scenarios/run.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { seededApp } from './batch-fixtures.js';

let app: App;
let jobs: JobRunner;

beforeAll(() => {
  app = seededApp();
  jobs = new JobRunner(app);
  defineStrategy(app, { definition: readFileSync(join(REPO_ROOT, 'config', 'strategies', 'adaptive_ma_cross.yaml'), 'utf8'), skip_bias: true });
});
afterAll(async () => {
  await jobs.close();
  await closeEvaluators(app);
  app.db.close();
});

const trade = (entry_bar: number, pnl: number, return_pct: number): Trade => ({ direction: 'long', size: 1, entry_bar, exit_bar: entry_bar + 1, entry_time: 0, exit_time: 0, entry_price: 1, exit_price: 1, pnl, return_pct, fees: 0, exit_reason: 'signal' }) as Trade;

describe('regimeStats', () => {
  it('counts bar t’s return and a trade entered at t in the regime of bar t − 1', () => {
    const time = Float64Array.from({ length: 6 }, (_, i) => i * 86_400_000);
    const equity = Float64Array.from([100, 110, 99, 99, 108.9, 108.9]);
    const index = Int8Array.from([0, 1, 1, -1, 0, 0]);
    const rows = regimeStats(time, equity, index, ['a', 'b'], [trade(1, 5, 2), trade(2, -1, -1), trade(4, 3, 4)], '1d');
    const by = new Map(rows.map((r) => [r.regime, r]));
    // a: bars 1 (100→110, decided at bar 0) and 5 (108.9→108.9, decided at bar 4): +10 %
    expect(by.get('a')).toMatchObject({ bars: 2, trades: 1, win_rate_pct: 100, avg_trade_pct: 2 });
    expect(by.get('a')!.return_pct).toBeCloseTo(10, 10);
    // b: bars 2 (110→99) and 3 (99→99): −10 %; the trade entered at bar 2 was decided at bar 1
    expect(by.get('b')).toMatchObject({ bars: 2, trades: 1, win_rate_pct: 0 });
    expect(by.get('b')!.return_pct).toBeCloseTo(-10, 10);
    // none: bar 4 (99→108.9) decided at bar 3, and the trade entered at bar 4
    expect(by.get('none')).toMatchObject({ bars: 1, trades: 1, sharpe: null });
    expect(by.get('none')!.return_pct).toBeCloseTo(10, 10);
    expect(rows.reduce((s, r) => s + r.time_pct, 0)).toBeCloseTo(100, 10);
  });
});

describe('by_regime scenarios', () => {
  const yaml = (body: string): string => `defaults:\n  dataset: { symbol: DEMO-BTC, timeframe: 1h }\n  execution: { commission: 0.001 }\nscenarios:\n${body}`;

  it('a regime-adaptive strategy: its own regimes, adding up to the run', async () => {
    const [o] = await runScenarios(app, jobs, { file: 't.yaml', spec: parseScenarioText(yaml('  - name: adaptive\n    by_regime: { strategy: adaptive_ma_cross }'), 't.yaml', app.db) });
    expect(o.status, o.error ?? '').toBe('succeeded');
    const x = o.summary!.by_regime as { regimes: string; run_id: string; rows: RegimeRow[] };
    expect(x.regimes).toBe('strategy');
    const names = x.rows.map((r) => r.regime);
    expect(names.filter((r) => ['trend', 'range', 'balanced'].includes(r)).length).toBeGreaterThanOrEqual(2);
    const res = loadRunResult(app, x.run_id)!;
    const total = res.equity[res.equity.length - 1] / res.equity[0];
    const product = x.rows.reduce((p, r) => p * (1 + r.return_pct / 100), 1);
    expect(product).toBeCloseTo(total, 9);
    expect(x.rows.reduce((s, r) => s + r.bars, 0)).toBe(res.equity.length - 1);
    expect(x.rows.reduce((s, r) => s + r.trades, 0)).toBe(res.trades.length);
    const text = scenarioReport('t.yaml', [o]);
    expect(text).toMatch(/\[adaptive\] adaptive_ma_cross .* by its own regime/);
    expect(text).toMatch(/regime +bars +time % +return % +vol ann % +sharpe +trades/);
  });

  it('any strategy by the built-in classifier’s regime; a strategy without regimes cannot use its own', async () => {
    const [o] = await runScenarios(app, jobs, { file: 't.yaml', spec: parseScenarioText(yaml('  - name: sma\n    by_regime: { strategy: sma_cross, params: { fast: 10, slow: 30 }, regimes: classifier }'), 't.yaml', app.db) });
    expect(o.status, o.error ?? '').toBe('succeeded');
    const rows = (o.summary!.by_regime as { rows: RegimeRow[] }).rows;
    expect(rows.map((r) => r.regime).every((r) => ['trend', 'range', 'balanced', 'none'].includes(r))).toBe(true);
    // the classifier is not valid on the first bars (ADX and Bollinger warm-up): those are "none"
    const none = rows.find((r) => r.regime === 'none')!.bars;
    expect(none).toBeGreaterThan(10);
    expect(none).toBeLessThan(120);
    expect(rows.filter((r) => r.regime !== 'none').length).toBeGreaterThanOrEqual(2);
    const [bad] = await runScenarios(app, jobs, { file: 't.yaml', spec: parseScenarioText(yaml('  - name: own\n    by_regime: { strategy: sma_cross, regimes: strategy }'), 't.yaml', app.db) });
    expect(bad.status).toBe('not_built');
    expect(bad.error).toMatch(/scenario "own": by_regime\.regimes: .*sma_cross has no regimes of its own/);
    expect(() => parseScenarioText(yaml('  - name: x\n    by_regime: { strategy: sma_cros }'), 't.yaml', app.db)).toThrow(UserError);
  });
});
