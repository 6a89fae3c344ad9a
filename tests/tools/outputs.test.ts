/**
 * Every tool's structuredContent against its declared outputSchema, on realistic calls
 * through the in-process MCP client (which validates it too), and the text block: the ids
 * and figures an agent needs, then the compact JSON. Long jobs both finished and as run
 * handles; analyze_results at every depth for each kind of run; get_run with every include.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { backtest } from '../../src/research/backtest.js';
import { closeEvaluators } from '../../src/research/evaluator.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { num } from '../../src/tools/format.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { craftedBacktest, fixture, IS_END, removeTempDirs, type Fixture } from '../helpers/champions.js';
import { harness, type Harness } from '../helpers/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { checkedCall, checkResult, listedTools, toolDef } from '../helpers/outputs.js';

const ajv = new AjvJsonSchemaValidator();

type Obj = Record<string, unknown>;
let f: Fixture;
let h: Harness;
const seen = new Set<string>();
const DATA = { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h' };
const BASE = { ...DATA, seed: 3 };
const SPACE = { fast: { type: 'int', low: 5, high: 20 }, slow: { type: 'int', low: 30, high: 120, step: 10 } };
const ids: { bt?: string; opt?: string; wf?: string; batch?: string } = {};

async function call<T = Obj>(name: string, args: Obj = {}) {
  const c = await checkedCall<T>(h, name, args);
  seen.add(name);
  return c;
}

/** Polls get_run until the run is no longer queued or running. */
async function settle(runId: string): Promise<Obj> {
  for (let i = 0; i < 400; i++) {
    const { data } = await call('get_run', { run_id: runId });
    if (data.status !== 'queued' && data.status !== 'running') return data;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${runId} did not finish`);
}

beforeAll(async () => {
  f = fixture({ config: { workers: 1 } });
  h = await harness({ app: f.app });
  insertDataset(h.app.db, { candles: generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 24 * 160, seed: 5, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
});
afterAll(async () => {
  await closeEvaluators(h.app);
  await h.close();
  removeTempDirs();
});

describe('typed results of every tool', () => {
  it('server_info, list_strategies, list_datasets, import_candles', async () => {
    const info = await call<{ version: string; tiers: string[] }>('server_info');
    expect(info.lines).toContain(info.data.version);
    const st = await call<{ strategies: { name: string }[] }>('list_strategies');
    for (const s of st.data.strategies) expect(st.lines).toContain(`- ${s.name} (defaults`);
    const imp = await call<{ created: boolean; dataset: { id: number } }>('import_candles', { csv: 'timestamp,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n2024-01-01T01:00:00Z,1.5,2,1,1.8,12\n', symbol: 'IMP', timeframe: '1h' });
    expect(imp.lines).toContain(`dataset #${imp.data.dataset.id}`);
    const ds = await call<{ datasets: { id: number; symbol: string }[]; total: number }>('list_datasets');
    expect(ds.data.total).toBe(3);
    for (const d of ds.data.datasets) expect(ds.lines).toContain(`#${d.id} ${d.symbol}`);
  });

  it('backtest, backtest_batch, optimize and walk_forward, finished', async () => {
    const bt = await call<{ run_id: string; metrics: { sharpe: number | null } }>('backtest', { ...DATA, params: { fast: 10, slow: 40 } });
    ids.bt = bt.data.run_id;
    expect(bt.lines).toContain(bt.data.run_id);
    expect(bt.lines).toContain(`sharpe ${num(bt.data.metrics.sharpe)}`);
    const batch = await call<{ run_id: string; status: string; counts: { failed: number }; top: { rows: unknown[][] } }>('backtest_batch', {
      strategy: 'sma_cross',
      symbols: ['SYN', 'NOPE'],
      timeframes: ['1h'],
      param_sets: [{ fast: 5, slow: 30 }, { fast: 10, slow: 50 }],
    });
    ids.batch = batch.data.run_id;
    expect(batch.data).toMatchObject({ status: 'succeeded', counts: { failed: 2 } });
    expect(batch.lines).toContain(`batch ${batch.data.run_id} succeeded`);
    for (const row of batch.data.top.rows) expect(batch.lines).toContain(String(row[9])); // each top item's run id
    expect(batch.lines).toMatch(/failed item \d+ NOPE 1h: unknown symbol/);
    const opt = await call<{ run_id: string; status: string; best: { number: number; run_id: string }; top: { number: number }[]; validated: { number: number; holdout_run_id: string }[] }>('optimize', {
      ...BASE,
      n_trials: 12,
      study_name: 'typed-opt',
      to: '2024-04-15',
      validate: { top_k: 3, holdout: { from: '2024-04-15' }, min_trades: 0 },
    });
    ids.opt = opt.data.run_id;
    expect(opt.data.status).toBe('succeeded');
    expect(opt.lines).toContain(`optimize ${opt.data.run_id} succeeded`);
    expect(opt.lines).toContain(opt.data.best.run_id);
    for (const t of opt.data.top) expect(opt.lines).toContain(`- #${t.number} `);
    for (const v of opt.data.validated) expect(opt.lines).toContain(v.holdout_run_id);
    const wf = await call<{ run_id: string; windows: number; oos: { dsr: number; dsr_detail: { n: number; evidence: string } }; per_window: { index: number }[] }>('walk_forward', { ...BASE, is: '40d', oos: '20d', n_trials: 6, space: SPACE });
    ids.wf = wf.data.run_id;
    expect(wf.data.oos.dsr_detail.evidence).toBe('walk_forward_oos');
    expect(wf.lines).toContain(`walk_forward ${wf.data.run_id} succeeded`);
    expect(wf.lines).toContain(`DSR ${num(wf.data.oos.dsr, 3)}`);
    for (const w of wf.data.per_window) expect(wf.lines).toContain(`- window ${w.index}:`);
  });

  it('long jobs as run handles: optimize and walk_forward with a small wait_seconds; cancel_run', async () => {
    const slow = await call<{ run_id: string; status: string; next: string }>('optimize', { ...BASE, n_trials: 400, study_name: 'typed-slow', wait_seconds: 0 });
    expect(['queued', 'running']).toContain(slow.data.status);
    expect(slow.data.next).toContain(slow.data.run_id);
    expect(slow.lines).toContain(`is still ${slow.data.status}`);
    const cancel = await call<{ run_id: string; cancelled: boolean }>('cancel_run', { run_id: slow.data.run_id });
    expect(cancel.data.cancelled).toBe(true);
    expect(cancel.lines).toContain(slow.data.run_id);
    expect((await settle(slow.data.run_id)).status).toBe('cancelled');
    const wf = await call<{ run_id: string; status: string }>('walk_forward', { ...BASE, is: '40d', oos: '20d', n_trials: 40, space: SPACE, wait_seconds: 0 });
    expect(['queued', 'running']).toContain(wf.data.status);
    expect(wf.lines).toContain(wf.data.run_id);
    await settle(wf.data.run_id);
    const idle = await call<{ cancelled: boolean; status: string }>('cancel_run', { run_id: wf.data.run_id });
    expect(idle.data).toMatchObject({ cancelled: false, status: 'succeeded' });
  });

  it('backtest_batch as a run handle (a server with no wait budget)', async () => {
    const g = await harness({ config: { wait_seconds: 0, workers: 1 } });
    try {
      insertDataset(g.app.db, { candles: generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 3000, seed: 2, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
      const params = Array.from({ length: 30 }, (_, i) => ({ fast: 5 + i, slow: 60 }));
      const r = await checkedCall<{ run_id: string; kind: string; status: string }>(g, 'backtest_batch', { strategy: 'sma_cross', symbols: ['SYN'], timeframes: ['1h'], param_sets: params });
      expect(r.data.kind).toBe('batch');
      expect(['queued', 'running']).toContain(r.data.status);
      expect(r.lines).toContain(r.data.run_id);
    } finally {
      await closeEvaluators(g.app);
      await g.close();
    }
  });

  it('list_runs: every listed run on its own line, and the next page', async () => {
    const page = await call<{ runs: { run_id: string; kind: string; status: string }[]; total: number; next_cursor: string }>('list_runs', { limit: 4 });
    expect(page.data.runs).toHaveLength(4);
    for (const r of page.data.runs) expect(page.lines).toContain(`- ${r.run_id} ${r.kind} ${r.status}`);
    expect(page.lines).toContain(`${page.data.total} run(s)`);
    expect(page.lines).toContain(`next page: cursor "${page.data.next_cursor}"`);
    const opt = await call<{ runs: { run_id: string; strategy: string }[] }>('list_runs', { kind: 'optimize', status: 'succeeded' });
    expect(opt.data.runs.map((r) => r.run_id)).toContain(ids.opt);
    expect(opt.lines).toContain(`${ids.opt} optimize succeeded sma_cross: SYN 1h, study typed-opt`);
  });

  it('get_run: the summary of each kind, and every include', async () => {
    const cases: [string, string[]][] = [
      [ids.bt!, ['trades', 'equity', 'skipped', 'open_trades']],
      [ids.opt!, ['trials', 'top']],
      [ids.wf!, ['windows', 'oos_equity', 'trades']],
      [ids.batch!, ['items']],
    ];
    for (const [runId, sections] of cases) {
      const s = await call<{ status: string; kind: string }>('get_run', { run_id: runId });
      expect(s.lines).toContain(`${s.data.kind} ${runId}: ${s.data.status}`);
      for (const include of sections) {
        const p = await call<Record<string, { items: Obj[]; total: number }>>('get_run', { run_id: runId, include, limit: 3 });
        const pageOf = p.data[include];
        expect(pageOf.items.length, `${runId} ${include}`).toBe(Math.min(3, pageOf.total));
        expect(p.lines).toContain(`${include}: `);
        expect(p.lines.split('\n').filter((l) => l.startsWith('- ')).length).toBe(1 + pageOf.items.length); // the run's line + one per row
        if (include === 'items') for (const it of pageOf.items) if (it.run_id) expect(p.lines).toContain(String(it.run_id));
        if (include === 'trials' || include === 'top') for (const t of pageOf.items) expect(p.lines).toContain(`- #${String(t.number)} `);
      }
    }
  });

  it('analyze_results: every depth of a backtest, an optimize and a walk_forward run; a comparison; inline data', async () => {
    for (const runId of [ids.bt!, ids.opt!, ids.wf!]) {
      for (const depth of ['basic', 'advanced', 'deep']) {
        const a = await call<{ depth: string; verdict: { verdict: string; reasons: { level: string; message: string }[] }; dsr?: { n: number } | null; risk?: Obj }>('analyze_results', { run_id: runId, depth, mc_paths: 100 });
        expect(a.data.depth).toBe(depth);
        expect(a.lines).toContain(runId);
        expect(a.lines).toContain(`Verdict: ${a.data.verdict.verdict}`);
        for (const r of a.data.verdict.reasons.filter((x) => x.level !== 'pass')) expect(a.lines).toContain(r.message);
        expect(a.data.risk === undefined).toBe(depth === 'basic');
        if (depth === 'deep' && a.data.dsr) expect(a.lines).toContain(`N = ${a.data.dsr.n}`);
      }
    }
    const cmp = await call<{ ranking: { run_id: string; verdict: string }[] }>('analyze_results', { run_ids: [ids.bt, ids.wf], depth: 'deep', mc_paths: 100 });
    for (const r of cmp.data.ranking) expect(cmp.lines).toContain(`${r.run_id} Sharpe`);
    const inline = await call<{ subject: { kind: string } }>('analyze_results', { inline: { time: [1, 2, 3, 4, 5].map((d) => Date.UTC(2024, 0, d)), equity: [100, 101, 99, 103, 104] }, depth: 'advanced' });
    expect(inline.data.subject.kind).toBe('inline');
  });

  it('champion_promote (dry run with gates, then confirmed), champion_status, champion_history, champion_rollback, delete_run', async () => {
    const cand = (fast: number): string => {
      const run = backtest(f.app, { strategy: 'sma_cross', params: { fast, slow: 60, direction: 'long_only' }, dataset_id: f.ds.id, to: IS_END }).run_id!;
      craftedBacktest(f, { params: { fast, slow: 60 }, from: IS_END, returns: { mu: 0.003, sigma: 0.01, seed: fast }, trades: 40 });
      return run;
    };
    const none = await call<{ champion: null }>('champion_status', { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d' });
    expect(none.data.champion).toBeNull();
    type Dry = { promotable: boolean; blocking: string[]; confirm_token: string | null; gates: { gate: string; status: string; data?: { dsr?: number; n?: number } }[] };
    for (const [i, fast] of [10, 12].entries()) {
      const args: Obj = { candidate: { run_id: cand(fast) } };
      let dry = await call<Dry>('champion_promote', args);
      expect(dry.data.gates.map((g) => g.gate)).toEqual(['oos_evidence', 'min_oos_trades', 'min_dsr', 'max_pbo', 'beats_incumbent']);
      for (const g of dry.data.gates) expect(dry.lines).toContain(`- ${g.gate}: ${g.status.toUpperCase()}`);
      expect(typeof dry.data.gates[2].data?.dsr).toBe('number'); // the min_dsr gate's DSR detail
      if (!dry.data.promotable) {
        expect(dry.data.confirm_token).toBeNull();
        args.override = dry.data.blocking.map((gate) => ({ gate, reason: 'typed test override' }));
        dry = await call<Dry>('champion_promote', args);
      }
      expect(dry.lines).toContain(dry.data.confirm_token!);
      const done = await call<{ promoted: { version: number } }>('champion_promote', { ...args, dry_run: false, confirm_token: dry.data.confirm_token, reason: `typed test ${i}` });
      expect(done.data.promoted.version).toBe(i + 1);
      expect(done.lines).toContain(`as v${i + 1}`);
    }
    const one = await call<{ champion: { version: number } }>('champion_status', { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d' });
    expect(one.lines).toContain(`champion v${one.data.champion.version}`);
    const list = await call<{ champions: { version: number }[]; total: number }>('champion_status');
    expect(list.lines).toContain(`sma_cross EUR/USD 1d v${list.data.champions[0].version}`);
    const hist = await call<{ versions: { version: number }[] }>('champion_history', { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d' });
    expect(hist.data.versions.length).toBeGreaterThanOrEqual(2);
    for (const v of hist.data.versions) expect(hist.lines).toContain(`- v${v.version} `);
    const rb = await call<{ from_version: number; champion: { version: number } }>('champion_rollback', { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d', to_version: 1, reason: 'typed rollback' });
    expect(rb.lines).toContain(`new version v${rb.data.champion.version}`);
    const del = await call<{ run_id: string; deleted: boolean }>('delete_run', { run_id: ids.bt });
    expect(del.lines).toContain(`Deleted ${ids.bt}`);
  });

  it('check_bias, passing and failing', async () => {
    const ok = await call<{ verdict: string; first_offense: null }>('check_bias', { ...DATA, cuts: 3, starts: 2 });
    expect(ok.data.verdict).toBe('ok');
    expect(ok.lines).toContain('verdict ok');
    const bad = await call<{ verdict: string; first_offense: { bar: number; rule: string } }>('check_bias', { ...DATA, strategy: 'ema_cross', starts: 8 });
    expect(bad.data.verdict).toBe('warmup_unstable');
    expect(bad.lines).toContain(`- warm-up bar ${bad.data.first_offense.bar} `);
  });

  it('define_strategy, a dry run and a stored version', async () => {
    const doc = 'name: out_rsi\nparams:\n  period: { type: int, default: 14, low: 5, high: 30 }\nindicators:\n  r: rsi(close, period)\nrules:\n  long_entry: r < 30\n  long_exit: r > 70\n';
    const dry = await call<{ valid: boolean; stored: boolean; hash: string }>('define_strategy', { definition: doc, dry_run: true });
    expect(dry.data).toMatchObject({ valid: true, stored: false });
    expect(dry.lines).toContain('Valid (dry run, not stored): out_rsi');
    const stored = await call<{ version: number; hash: string }>('define_strategy', { definition: doc });
    expect(stored.data).toMatchObject({ version: 1, hash: dry.data.hash });
    expect(stored.lines).toContain('Stored out_rsi v1');
  });

  it('render_chart, a PNG and the Vega-Lite specs', async () => {
    const runId = (await call<{ runs: { run_id: string; kind: string }[] }>('list_runs', { kind: 'backtest', status: 'succeeded', limit: 1 })).data.runs[0].run_id;
    const img = await call<{ chart: string; png_bytes: number }>('render_chart', { run_id: runId, chart: 'equity' });
    expect(img.data.chart).toBe('equity');
    expect(img.lines).toMatch(/^Equity — /);
    const vega = await call<{ charts: { id: string }[] }>('render_chart', { run_id: runId, format: 'vega' });
    expect(vega.data.charts.map((c) => c.id)).toContain('price');
  });

  it('every tool was checked with a successful result', () => {
    expect([...seen].sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
  });
});

describe('checkResult can fail', () => {
  it('refuses a result whose structuredContent does not fit (the client would throw first)', async () => {
    const r = await h.call('list_datasets');
    await expect(checkResult(h, 'list_datasets', { ...r, structuredContent: { datasets: 'not a list', total: 1 } })).rejects.toThrow();
  });

  it('the schemas still type the headline figures below the top level: a wrong status, verdict, gate or figure is refused', async () => {
    const tools = await listedTools(h);
    const job = (kind: string) => ({ run_id: 'r', kind, status: 'succeeded' });
    const wrong: [string, Obj][] = [
      ['optimize', { ...job('optimize'), status: 'done' }],
      ['optimize', { ...job('optimize'), stopped: { reason: 'bored' } }],
      ['optimize', { ...job('optimize'), best: { number: 1.5, values: [1] } }],
      ['walk_forward', { ...job('walk_forward'), oos: { sharpe: 'high', dsr: null } }],
      ['backtest_batch', { ...job('batch'), rank_order: 'up' }],
      ['analyze_results', { depth: 'deep', verdict: { verdict: 'maybe', reasons: [] } }],
      ['analyze_results', { depth: 'deep', verdict: { verdict: 'caution', reasons: [{ code: 'x', level: 'warn' }] } }],
      ['analyze_results', { depth: 'deep', dsr: 0.5 }],
      ['champion_promote', { dry_run: true, key: {}, promotable: false, blocking: [], gates: [{ gate: 'nope', status: 'pass' }], thresholds: {}, candidate: {}, evidence: null, incumbent: null, diff: {} }],
      ['check_bias', { verdict: 'fine', first_offense: null, lookahead: {}, warmup: {} }],
      ['get_run', { run_id: 'r', kind: 'backtest', status: 'succeeded', strategy: null, created_at: null, live: false, progress: { done: 'all', total: null }, error: null, spec: {}, summary: null }],
    ];
    for (const [name, data] of wrong) {
      const listed = tools.get(name)!.outputSchema;
      expect(ajv.getValidator(listed as never)(data).valid, `${name} (listed): ${JSON.stringify(data)}`).toBe(false);
      expect(toolDef(name).outputSchema.safeParse(data).success, `${name} (zod): ${JSON.stringify(data)}`).toBe(false);
    }
  });
});
