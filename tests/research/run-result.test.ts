import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/research/app.js';
import { backtest } from '../../src/research/backtest.js';
import { readItems } from '../../src/research/batch/item-rows.js';
import { analyzeResults } from '../../src/research/analyze/request.js';
import { UserError } from '../../src/research/errors.js';
import { loadRunResult } from '../../src/research/run-result.js';
import { runSection } from '../../src/research/run-sections.js';
import { loadBacktestResult } from '../../src/storage/run-results.js';
import { getRun } from '../../src/storage/runs.js';
import { freshRun } from '../helpers/fresh-run.js';
import { runBatch, seededApp } from './batch-fixtures.js';
import { sqliteOf } from '../helpers/sqlite.js';

let app: App;
beforeEach(() => {
  app = seededApp();
});
afterEach(() => app.db.close());

/** Runs a one-item batch and returns the item's run id. */
async function batchItem(params: Record<string, unknown>): Promise<string> {
  const run = await runBatch(app, { strategy: 'rsi_reversion', param_sets: [params], symbols: ['DEMO-BTC'], timeframes: ['1h'] });
  const id = readItems(app, run.id)[0].run_id;
  if (typeof id !== 'string') throw new Error('the batch item did not run');
  return id;
}

/** A fresh, unstored run of the same backtest (the reference curve). */
function reference(params: Record<string, unknown>): Float64Array {
  return freshRun(app, { strategy: 'rsi_reversion', params, symbol: 'DEMO-BTC', timeframe: '1h', execution: { commission: 0.0005 } }).equity;
}

describe('loadRunResult', () => {
  it("recomputes a batch item's unstored equity curve, equal to a fresh run's", async () => {
    const id = await batchItem({ period: 9 });
    const raw = loadBacktestResult(app.db, id)!;
    expect(raw.equity).toBeNull();
    expect(sqliteOf(app).prepare('SELECT equity_stored, length(equity) AS bytes FROM run_results WHERE run_id = ?').get(id)).toEqual({ equity_stored: 0, bytes: 0 });
    const fresh = freshRun(app, { strategy: 'rsi_reversion', params: { period: 9 }, symbol: 'DEMO-BTC', timeframe: '1h' });
    const loaded = loadRunResult(app, id)!;
    expect(loaded.equity).toEqual(fresh.equity);
    expect(loaded.metrics).toEqual(raw.metrics);
    expect(reference({ period: 9 })).not.toEqual(fresh.equity); // another spec gives another curve: the check has teeth
  });

  it('recomputes an item run on a date range (the stored range used as it is), and within a lowered bar limit', async () => {
    const run = await runBatch(app, { strategy: 'rsi_reversion', param_sets: [{ period: 10 }], symbols: ['DEMO-BTC'], timeframes: ['1h'], from: '2023-01-10', to: '2023-02-10' });
    const id = readItems(app, run.id)[0].run_id as string;
    const fresh = freshRun(app, { strategy: 'rsi_reversion', params: { period: 10 }, symbol: 'DEMO-BTC', timeframe: '1h', from: '2023-01-10', to: '2023-02-10' });
    expect(fresh.equity.length).toBe(31 * 24);
    (app.config.limits as { max_bars: number }).max_bars = 100; // lowered since the item ran
    expect(loadRunResult(app, id)?.equity).toEqual(fresh.equity);
  });

  it('recomputes the curve of a stored backtest (stored without it), equal to the one it ran with', () => {
    const out = backtest(app, { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h' });
    expect(loadRunResult(app, out.run_id as string)?.equity).toEqual(out.result.equity);
  });

  it('refuses, naming the run, when the spec no longer gives the fingerprint it ran with', async () => {
    const id = await batchItem({ period: 11 });
    const run = getRun(app.db, id)!;
    sqliteOf(app).prepare('UPDATE runs SET spec = ? WHERE id = ?').run(JSON.stringify({ ...run.spec, params: { ...(run.spec.params as object), period: 12 } }), id);
    expect(() => loadRunResult(app, id)).toThrow(UserError);
    expect(() => loadRunResult(app, id)).toThrow(new RegExp(`run ${id}'s equity curve was not stored .* cannot be recomputed: its spec no longer gives the fingerprint`));
  });

  it('refuses when the recomputed metrics differ from the stored ones', async () => {
    const id = await batchItem({ period: 13 });
    const metrics = JSON.parse((sqliteOf(app).prepare('SELECT metrics FROM run_results WHERE run_id = ?').get(id) as { metrics: string }).metrics) as Record<string, unknown>;
    sqliteOf(app).prepare('UPDATE run_results SET metrics = ? WHERE run_id = ?').run(JSON.stringify({ ...metrics, return_pct: 123.456 }), id);
    expect(() => loadRunResult(app, id)).toThrow(/recomputing it gave metrics different from the stored ones/);
  });

  it('serves the equity section and a deep analysis of a batch item', async () => {
    const id = await batchItem({ period: 15 });
    const run = getRun(app.db, id)!;
    const page = runSection(app, run, 'equity', 0, 5);
    expect(page.total).toBe(2_000);
    expect(page.items).toHaveLength(5);
    const a = analyzeResults(app, { run_id: id, depth: 'deep', mc_paths: 100 }).data as { subject: { run_id: string } };
    expect(a.subject.run_id).toBe(id);
  });
});
