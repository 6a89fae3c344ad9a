/**
 * One research journey over MCP on an App's store (tests/research/postgres-app.test.ts runs it
 * on both stores, tests/storage/copy.test.ts copies its SQLite store into PostgreSQL): a
 * backtest and its cached repeat, a champion promotion through the gates, a 24-trial TPE
 * study, a batch, the analysis. Returns the numbers both stores must agree on.
 */
import { expect } from 'vitest';
import { closeShared } from '../../src/research/remote/shared.js';
import { appStudyStore } from '../../src/research/study-store.js';
import { getCurrentChampion } from '../../src/storage/champions.js';
import { statement } from '../../src/storage/db.js';
import { entriesBySourcePrefix } from '../../src/storage/ledger.js';
import { listRuns } from '../../src/storage/runs.js';
import { craftedBacktest, IS_END, SYMBOL, TF, type Fixture } from './champions.js';
import { dataOf, harness, textOf } from './mcp.js';

export interface Outcome {
  readonly metrics: Record<string, unknown>;
  readonly gates: unknown;
  readonly best: unknown;
  readonly counts: Record<string, number>;
  readonly ledger: number;
  readonly batch: unknown;
  readonly analysis: unknown;
}

export async function journey(f: Fixture): Promise<Outcome & { run_ids: string[] }> {
  const h = await harness({ app: f.app });
  try {
    const bt = dataOf<{ run_id: string; metrics: Record<string, unknown> & { trades: number } }>(
      await h.call('backtest', { strategy: 'sma_cross', params: { fast: 10, slow: 40 }, symbol: SYMBOL, timeframe: TF }),
    );
    expect(bt.metrics.trades).toBeGreaterThan(0);
    const again = dataOf<{ run_id: string; cached: boolean }>(await h.call('backtest', { strategy: 'sma_cross', params: { fast: 10, slow: 40 }, symbol: SYMBOL, timeframe: TF }));
    expect(again).toMatchObject({ run_id: bt.run_id, cached: true });
    const trades = dataOf<{ trades: { items: unknown[] } }>(await h.call('get_run', { run_id: bt.run_id, include: 'trades' }));
    expect(trades.trades.items.length).toBeGreaterThan(0);

    // a champion first (the optimisation's trials would deflate its DSR below the gate): an
    // engine-run in-sample backtest with a crafted out-of-sample record
    const fast = 12;
    const cand = dataOf<{ run_id: string }>(await h.call('backtest', { strategy: 'sma_cross', params: { fast, slow: 60, direction: 'long_only' }, symbol: SYMBOL, timeframe: TF, to: IS_END })).run_id;
    craftedBacktest(f, { params: { fast, slow: 60 }, from: IS_END, returns: { mu: 0.003, sigma: 0.01, seed: fast }, trades: 40 });
    const dry = dataOf<{ blocking: string[]; gates: { gate: string; status: string; value: number | null }[]; confirm_token: string | null }>(await h.call('champion_promote', { candidate: { run_id: cand } }));
    expect(dry.blocking).toEqual([]);
    const done = dataOf<{ promoted: { version: number } }>(await h.call('champion_promote', { candidate: { run_id: cand }, dry_run: false, confirm_token: dry.confirm_token, reason: 'first champion' }));
    expect(done.promoted.version).toBe(1);
    expect(getCurrentChampion(f.app.db, { strategy: 'sma_cross', symbol: SYMBOL, timeframe: TF })?.params).toMatchObject({ fast, slow: 60 });

    const opt = dataOf<{ run_id: string; best: unknown; counts: Record<string, number> }>(
      await h.call('optimize', { strategy: 'sma_cross', symbol: SYMBOL, timeframe: TF, to: IS_END, study_name: 'journey', sampler: 'tpe', n_trials: 24, seed: 5 }),
    );
    expect(opt.counts.COMPLETE).toBe(24);
    // the trials are in Optuna's tables of the store; one ledger entry per distinct configuration
    const inStudy = statement(f.app.db, "SELECT COUNT(*) AS n FROM trials t JOIN studies s ON s.study_id = t.study_id WHERE s.study_name = 'journey' AND t.state = 'COMPLETE'").get() as { n: number };
    expect(inStudy.n).toBe(24);
    const store = await appStudyStore(f.app);
    const trials = await store.listTrials((await store.getStudy('journey'))!.study_id);
    const distinct = new Set(trials.map((t) => JSON.stringify(t.params))).size;
    const ledger = entriesBySourcePrefix(f.app.db, 'trial', `${opt.run_id}#`).length;
    expect(ledger).toBe(distinct);
    // a batch, its items stored by two worker threads (each opens the store itself)
    const batch = dataOf<{ run_id: string; counts: Record<string, number>; top: { rows: unknown[][] } }>(
      await h.call('backtest_batch', { strategy: 'sma_cross', param_sets: [5, 8, 11, 14, 17, 20].map((fast) => ({ fast, slow: 50 })), symbols: [SYMBOL], timeframes: [TF] }),
    );
    expect((batch as unknown as { failures: unknown[] }).failures).toEqual([]);
    expect(batch.counts).toMatchObject({ items: 6, ok: 6, failed: 0 });
    expect(listRuns(f.app.db, { limit: 100, offset: 0, parent_id: batch.run_id }).runs.length).toBe(6);
    const page = dataOf<{ trials: { items: unknown[] } }>(await h.call('get_run', { run_id: opt.run_id, include: 'trials' }));
    expect(page.trials.items.length).toBeGreaterThan(0);
    const analysis = dataOf<Record<string, unknown>>(await h.call('analyze_results', { run_id: opt.run_id }));
    expect(textOf(await h.call('list_runs', {}))).toContain(opt.run_id);
    return {
      metrics: bt.metrics,
      gates: dry.gates.map((g) => [g.gate, g.status, g.value]),
      best: { ...(opt.best as Record<string, unknown>), run_id: undefined }, // run ids are random
      counts: opt.counts,
      ledger,
      batch: batch.top.rows.map((r) => r.filter((c) => typeof c !== 'string' || !/^bt_/.test(c))), // run ids are random
      analysis: { verdict: analysis.verdict, metrics: analysis.metrics },
      run_ids: [bt.run_id, cand, opt.run_id],
    };
  } finally {
    await closeShared(f.app);
    await h.close();
  }
}

