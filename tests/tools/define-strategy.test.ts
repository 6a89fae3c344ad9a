/**
 * A strategy written in the language, end to end through the in-process MCP client: define
 * (dry run, precise errors, store, versions), list, then use it by name and inline in every
 * tool a built-in works in (backtest, optimize with two workers, walk_forward, backtest_batch,
 * check_bias), and a changed definition that must not inherit the old one's champion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';

let h: Harness;
const DATA = { symbol: 'SYN', timeframe: '1h' };
const DOC = `name: my_rsi
description: RSI dip buying
params:
  period: { type: int, default: 14, low: 5, high: 30 }
  lower:  { type: float, default: 30, low: 10, high: 45 }
indicators:
  r: rsi(close, period)
rules:
  long_entry: r < lower
  long_exit: r > 70
`;
/** The same meaning, written differently (JSON, other key order, other spacing). */
const SAME_AS_JSON = {
  rules: { long_exit: 'r>70', long_entry: 'r <   lower' },
  indicators: { r: 'rsi(close,period)' },
  params: { lower: { low: 10, high: 45, type: 'float', default: 30 }, period: { type: 'int', default: 14, low: 5, high: 30 } },
  description: 'RSI dip buying',
  name: 'my_rsi',
};

interface Defined {
  valid: boolean;
  name: string;
  version: number | null;
  hash: string;
  created: boolean;
  stored: boolean;
  params: Record<string, unknown>;
  default_space: Record<string, unknown>;
  warmup: number;
  bias: { verdict: string } | null;
  warnings: string[];
}
interface LangErr {
  path: string;
  line: number;
  column: number;
  token: string;
  message: string;
  did_you_mean?: string;
  doc_line?: number;
}
interface Bt {
  run_id: string;
  strategy: string;
  strategy_definition?: { name: string; version: number | null; hash: string };
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  trades: number;
}

beforeAll(async () => {
  h = await harness();
  const candles = generateSynthetic({ ...DATA, bars: 4000, seed: 11, start: Date.UTC(2024, 0, 1) });
  insertDataset(h.app.db, { candles, source: 'test', isSynthetic: true, now: 1 });
});
afterAll(async () => h.close());

const userStrategies = async (): Promise<{ name: string; version: number }[]> =>
  dataOf<{ strategies: { name: string; source: string; version: number }[] }>(await h.call('list_strategies')).strategies.filter((s) => s.source === 'user');

describe('define_strategy', () => {
  it('a broken document: every error with its path, line, column and token; a dry run stores nothing', async () => {
    const broken = DOC.replace('r < lower', 'r < lowr').replace('r > 70', 'close[-1] > open');
    const r = await h.call('define_strategy', { definition: broken, dry_run: true });
    expect(r.isError).toBe(true);
    const d = r.structuredContent as { valid: boolean; errors: LangErr[] };
    expect(d.valid).toBe(false);
    const byPath = new Map(d.errors.map((e) => [e.path, e]));
    expect(byPath.get('rules.long_entry')).toMatchObject({ line: 1, column: 5, token: 'lowr', did_you_mean: 'lower', doc_line: 9 });
    expect(byPath.get('rules.long_exit')).toMatchObject({ token: '-1', doc_line: 10 });
    expect(byPath.get('rules.long_exit')!.message).toMatch(/future/);
    expect(textOf(r)).toMatch(/rules\.long_entry, line 1, column 5, document line 9 at "lowr": unknown name "lowr"; did you mean "lower"\?/);
    expect(textOf(r)).toMatch(/nothing was stored/);
    // YAML syntax errors come with the document line too
    const yaml = await h.call('define_strategy', { definition: 'name: x\nparams: [\n', dry_run: true });
    expect(yaml.isError).toBe(true);
    expect((yaml.structuredContent as { errors: LangErr[] }).errors[0]).toMatchObject({ path: '', doc_line: 3 });
    expect(await userStrategies()).toEqual([]);
  });

  it('a valid dry run compiles, bias-checks and stores nothing', async () => {
    const d = dataOf<Defined>(await h.call('define_strategy', { definition: DOC, dry_run: true }));
    expect(d).toMatchObject({ valid: true, name: 'my_rsi', version: null, stored: false, warmup: 14, params: { period: 14, lower: 30, direction: 'long_only' } });
    expect(Object.keys(d.default_space).sort()).toEqual(['lower', 'period']);
    // RSI is recursive: the warm-up check finds the declared warm-up too short, and says so
    expect(d.bias?.verdict).toBe('warmup_unstable');
    expect(d.warnings.join(' ')).toMatch(/warm-up/);
    expect(await userStrategies()).toEqual([]);
  });

  it('stores content-hashed versions: the same meaning again is a no-op, a change is version 2; built-in names are refused', async () => {
    const v1 = dataOf<Defined>(await h.call('define_strategy', { definition: DOC }));
    expect(v1).toMatchObject({ version: 1, created: true, stored: true });
    const same = dataOf<Defined>(await h.call('define_strategy', { definition: SAME_AS_JSON }));
    expect(same).toMatchObject({ version: 1, created: false, hash: v1.hash });
    const builtIn = await h.call('define_strategy', { definition: DOC.replace('name: my_rsi', 'name: sma_cross') });
    expect(builtIn.isError).toBe(true);
    expect(textOf(builtIn)).toMatch(/"sma_cross" is a built-in strategy's name/);
    expect(await userStrategies()).toMatchObject([{ name: 'my_rsi', version: 1 }]);
    const one = dataOf<{ strategies: { source: string; hash: string; document: { rules: Record<string, string> } }[] }>(await h.call('list_strategies', { name: 'my_rsi' })).strategies[0];
    expect(one).toMatchObject({ source: 'user', hash: v1.hash, document: { rules: { long_entry: 'r < lower', long_exit: 'r > 70' } } });
  });
});

describe('a defined strategy in every tool', () => {
  it('backtest by name equals the same document inline; the run records which definition it used', async () => {
    const byName = dataOf<Bt>(await h.call('backtest', { strategy: 'my_rsi', ...DATA, params: { period: 10 } }));
    const inline = dataOf<Bt>(await h.call('backtest', { strategy: SAME_AS_JSON, ...DATA, params: { period: 10 } }));
    expect(byName.trades).toBeGreaterThan(0);
    expect(inline.metrics).toEqual(byName.metrics);
    expect(byName.strategy_definition).toMatchObject({ name: 'my_rsi', version: 1 });
    expect(inline.strategy_definition).toMatchObject({ name: 'my_rsi', version: null, hash: byName.strategy_definition!.hash });
    // out-of-bounds params are refused against the document's declared bounds
    const bad = await h.call('backtest', { strategy: 'my_rsi', ...DATA, params: { period: 99 } });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/period/);
    // an inline document with an error names it precisely
    const broken = await h.call('backtest', { strategy: { ...SAME_AS_JSON, rules: { long_entry: 'r < lowr' } }, ...DATA });
    expect(broken.isError).toBe(true);
    expect(textOf(broken)).toMatch(/rules\.long_entry, line 1, column 5.*"lowr"/);
  });

  it('optimize with two workers searches the declared space; check_bias and backtest_batch take it by name and inline', async () => {
    const opt = dataOf<{ status: string; counts: Record<string, number>; strategy_definition: { version: number }; best: { params: { period: number; lower: number } } }>(
      await h.call('optimize', { strategy: 'my_rsi', ...DATA, n_trials: 12, n_jobs: 2, seed: 5, objective: 'return_pct' }),
    );
    expect(opt.status).toBe('succeeded');
    expect(opt.counts.COMPLETE + opt.counts.FAIL).toBe(12);
    expect(opt.counts.COMPLETE).toBeGreaterThan(0);
    expect(opt.strategy_definition.version).toBe(1);
    expect(opt.best.params.period).toBeGreaterThanOrEqual(5);
    expect(opt.best.params.period).toBeLessThanOrEqual(30);
    expect(opt.best.params.lower).toBeGreaterThanOrEqual(10);
    expect(opt.best.params.lower).toBeLessThanOrEqual(45);

    const bias = dataOf<{ verdict: string; lookahead: { status: string } }>(await h.call('check_bias', { strategy: SAME_AS_JSON, ...DATA, cuts: 4, starts: 4 }));
    expect(bias.lookahead.status).toBe('passed');

    const batch = dataOf<{ run_id: string; status: string }>(await h.call('backtest_batch', { strategy: 'my_rsi', param_sets: [{ period: 8 }, { period: 20 }], symbols: ['SYN'], timeframes: ['1h'] }));
    const row = await until(batch.run_id, (r) => r.status !== 'queued' && r.status !== 'running');
    expect(row.status).toBe('succeeded');
    const items = dataOf<{ items: { items: { params: { period: number }; metrics: { trades: number } | null }[] } }>(await h.call('get_run', { run_id: batch.run_id, include: 'items' }));
    expect(items.items.items.map((i) => i.params.period).sort((a, b) => a - b)).toEqual([8, 20]);
  }, 60_000);

  it('walk_forward by name; a changed definition is version 2, used by name from then on, and does not inherit version 1’s champion', async () => {
    const wf = dataOf<{ run_id: string; status: string; per_window: { params: Record<string, unknown> }[] }>(
      await h.call('walk_forward', { strategy: 'my_rsi', ...DATA, is: '60d', oos: '20d', n_trials: 6, seed: 2 }),
    );
    expect(wf.status).toBe('succeeded');
    expect(wf.per_window.length).toBeGreaterThan(1);
    const override = [
      { gate: 'min_dsr', reason: 'test of definition binding' },
      { gate: 'max_pbo', reason: 'test of definition binding' },
      { gate: 'min_oos_trades', reason: 'test of definition binding' },
    ];
    const dry = dataOf<{ confirm_token: string }>(await h.call('champion_promote', { candidate: { run_id: wf.run_id }, override }));
    const done = dataOf<{ promoted: { version: number } }>(await h.call('champion_promote', { candidate: { run_id: wf.run_id }, override, dry_run: false, confirm_token: dry.confirm_token, reason: 'bind a champion to v1' }));
    expect(done.promoted.version).toBe(1);
    const champ = dataOf<Bt>(await h.call('backtest', { strategy: 'my_rsi', ...DATA, params: 'champion' }));
    expect(champ.strategy_definition?.version).toBe(1);

    const v2 = dataOf<Defined>(await h.call('define_strategy', { definition: DOC.replace('r > 70', 'r > 65') }));
    expect(v2).toMatchObject({ version: 2, created: true });
    const now = dataOf<Bt>(await h.call('backtest', { strategy: 'my_rsi', ...DATA }));
    expect(now.strategy_definition).toMatchObject({ version: 2, hash: v2.hash });
    const refused = await h.call('backtest', { strategy: 'my_rsi', ...DATA, params: 'champion' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/promoted with definition version 1 .*now definition version 2 .*does not carry over/);
    // the version-1 walk-forward still resolves to version 1 (its record names the hash)
    const again = await h.call('analyze_results', { run_id: wf.run_id });
    expect(again.isError ?? false, textOf(again)).toBe(false);
  }, 90_000);
});

describe('tiers', () => {
  it('define_strategy is a write-tier tool; with compute only, an inline document still runs', async () => {
    const c = await harness({ tiers: ['read', 'compute'] });
    try {
      insertDataset(c.app.db, { candles: generateSynthetic({ ...DATA, bars: 1500, seed: 4, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
      expect((await c.client.listTools()).tools.map((t) => t.name)).not.toContain('define_strategy');
      const refused = await c.call('define_strategy', { definition: DOC });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/write-tier tool/);
      const bt = dataOf<Bt>(await c.call('backtest', { strategy: SAME_AS_JSON, ...DATA }));
      expect(bt.strategy_definition).toMatchObject({ name: 'my_rsi', version: null });
    } finally {
      await c.close();
    }
  });
});

async function until(runId: string, done: (r: { status: string }) => boolean): Promise<{ status: string }> {
  for (let i = 0; i < 600; i++) {
    const r = dataOf<{ status: string }>(await h.call('get_run', { run_id: runId }));
    if (done(r)) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`run ${runId} did not finish`);
}
