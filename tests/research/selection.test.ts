/**
 * The trial count cannot be reset (issue 10, item 2): the DSR of a curve counts every
 * configuration evaluated on bars overlapping its own, of the same symbol and timeframe —
 * shifted ranges, sub-ranges, a new dataset version and another strategy included, pruned
 * and failed trials too — and nothing on other bars or markets. Through the real tools.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, type Harness } from '../helpers/mcp.js';
import { sqliteOf } from '../helpers/sqlite.js';

let h: Harness;
const START = Date.UTC(2023, 0, 1);
const DAY = 86_400_000;
const COSTS = { commission: 0.0005 };

interface Dsr {
  readonly n: number;
  readonly evidence: string;
  readonly dsr: number;
  readonly selection: { readonly configurations: number; readonly by_source: Record<string, number>; readonly only_pruned: number };
}
interface Opt {
  readonly run_id: string;
  readonly counts: Record<string, number>;
  readonly best: { readonly params: Record<string, unknown>; readonly run_id: string } | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

async function dsrOf(runId: string): Promise<Dsr> {
  return dataOf<{ dsr: Dsr }>(await h.call('analyze_results', { run_id: runId, depth: 'deep', mc_paths: 100 })).dsr;
}

async function backtest(args: Record<string, unknown>): Promise<string> {
  return dataOf<{ run_id: string }>(await h.call('backtest', { timeframe: '1h', execution: COSTS, ...args })).run_id;
}

/** Distinct (strategy, params) among the trials of an optimize run, all states. */
async function distinctTrialConfigs(runId: string): Promise<{ all: number; pruned: number }> {
  const page = dataOf<{ trials: { items: { state: string; params: unknown }[] } }>(await h.call('get_run', { run_id: runId, include: 'trials', limit: 500 }));
  const all = new Set(page.trials.items.map((t) => JSON.stringify(t.params)));
  const pruned = new Set(page.trials.items.filter((t) => t.state === 'PRUNED').map((t) => JSON.stringify(t.params)));
  return { all: all.size, pruned: pruned.size };
}

let opt: Opt;
let searched: number;

beforeAll(async () => {
  h = await harness();
  const candles = generateSynthetic({ symbol: 'SEL', timeframe: '1h', bars: 24 * 240, seed: 5, start: START });
  insertDataset(h.app.db, { candles, source: 'test', isSynthetic: true, now: 1 });
  opt = dataOf<Opt>(
    await h.call('optimize', {
      strategy: 'sma_cross',
      symbol: 'SEL',
      timeframe: '1h',
      to: iso(START + 160 * DAY),
      n_trials: 40,
      seed: 2,
      execution: COSTS,
      study_name: 'sel',
    }),
  );
  searched = (await distinctTrialConfigs(opt.run_id)).all;
}, 120_000);
afterAll(async () => h.close());

describe('N counts every configuration on overlapping bars of the same market', () => {
  it('the in-sample best counts every trial of the study', async () => {
    const d = await dsrOf(opt.run_id);
    expect(d.evidence).toBe('in_sample');
    expect(searched).toBeGreaterThan(20);
    expect(d.n).toBe(searched);
  });

  it('re-running the best params one bar later (or on a sub-range) does not reset N', async () => {
    const shifted = await backtest({ strategy: 'sma_cross', symbol: 'SEL', params: opt.best!.params, from: iso(START + 3_600_000), to: iso(START + 160 * DAY) });
    const d = await dsrOf(shifted);
    expect(d.evidence).toBe('backtest');
    expect(d.n).toBeGreaterThanOrEqual(searched); // the same params are the same configuration
    const sub = await backtest({ strategy: 'sma_cross', symbol: 'SEL', params: { fast: 7, slow: 77 }, from: iso(START + 50 * DAY), to: iso(START + 60 * DAY) });
    expect((await dsrOf(sub)).n).toBe(searched + 1);
  });

  it('a new dataset version and another strategy on overlapping bars still count', async () => {
    const v2 = generateSynthetic({ symbol: 'SEL', timeframe: '1h', bars: 24 * 240, seed: 6, start: START });
    const ds2 = insertDataset(h.app.db, { candles: v2, source: 'test v2', isSynthetic: true, now: 2 }).dataset;
    expect(ds2.version).toBe(2);
    const onV2 = await backtest({ strategy: 'sma_cross', symbol: 'SEL', version: 2, params: { fast: 9, slow: 99 }, to: iso(START + 100 * DAY) });
    const n2 = (await dsrOf(onV2)).n;
    expect(n2).toBeGreaterThan(searched);
    const ema = await backtest({ strategy: 'ema_cross', symbol: 'SEL', version: 2, params: { fast: 9, slow: 99 }, from: iso(START + 150 * DAY), to: iso(START + 170 * DAY) });
    const d = await dsrOf(ema);
    // switching strategy is still searching: ema_cross's own params count as a new configuration
    expect(d.n).toBeGreaterThanOrEqual(searched + 1);
    expect(d.selection.by_source.trial).toBeGreaterThan(0);
  });

  it('bars that do not overlap, and other markets, are not counted', async () => {
    const later = await backtest({ strategy: 'sma_cross', symbol: 'SEL', params: opt.best!.params, from: iso(START + 200 * DAY) });
    const dl = await dsrOf(later);
    expect(dl.n, JSON.stringify(dl.selection)).toBe(1);
    const other = generateSynthetic({ symbol: 'OTHER', timeframe: '1h', bars: 24 * 240, seed: 55, start: START });
    insertDataset(h.app.db, { candles: other, source: 'test', isSynthetic: true, now: 3 });
    const elsewhere = await backtest({ strategy: 'sma_cross', symbol: 'OTHER', params: opt.best!.params, to: iso(START + 160 * DAY) });
    expect((await dsrOf(elsewhere)).n).toBe(1);
  });

  it('pruned trials are recorded and counted', async () => {
    const pruned = dataOf<Opt>(
      await h.call('optimize', {
        strategy: 'rsi_reversion',
        symbol: 'SEL',
        timeframe: '1h',
        from: iso(START + 170 * DAY),
        n_trials: 60,
        seed: 4,
        pruner: 'median',
        execution: COSTS,
        study_name: 'sel-pruned',
      }),
    );
    expect(pruned.counts.PRUNED).toBeGreaterThan(5);
    const configs = await distinctTrialConfigs(pruned.run_id);
    const rows = sqliteOf(h.app).prepare("SELECT outcome, COUNT(*) AS n FROM ledger_entries WHERE source_id LIKE ? GROUP BY outcome").all(`${pruned.run_id}#%`) as { outcome: string; n: number }[];
    expect(Object.fromEntries(rows.map((r) => [r.outcome, r.n])).pruned).toBe(pruned.counts.PRUNED);
    const d = await dsrOf(pruned.run_id);
    // the later holdout-free range holds this study and the earlier 'later' backtest
    expect(d.n).toBe(configs.all + 1);
    expect(d.selection.only_pruned).toBeGreaterThan(0);
  }, 60_000);

  it('failed trials whose backtest ran (an undefined objective) are recorded as failed and counted', async () => {
    const res = await h.call('optimize', {
        strategy: 'rsi_reversion',
        symbol: 'SEL',
        timeframe: '1h',
        from: iso(START + 220 * DAY),
        space: { period: { type: 'int', low: 50, high: 90 }, lower: { type: 'int', low: 1, high: 3 }, upper: { type: 'int', low: 97, high: 99 } },
        n_trials: 8,
        seed: 1,
        execution: COSTS,
        study_name: 'sel-failed',
      });
    // every trial failed here, so the job failed: an isError result that still carries the summary
    const r = (res.isError ? res.structuredContent : dataOf(res)) as unknown as Opt;
    expect(r.counts.FAIL).toBeGreaterThan(0);
    const failed = sqliteOf(h.app).prepare("SELECT COUNT(*) AS n FROM ledger_entries WHERE source_id LIKE ? AND outcome = 'failed'").get(`${r.run_id}#%`) as { n: number };
    expect(failed.n).toBe(r.counts.FAIL);
  });
});
