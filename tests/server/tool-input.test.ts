/**
 * Strict tool arguments through the SDK client: every unknown key, at any depth, is an
 * `isError` result (never a protocol error) naming its path, with a "did you mean" and the
 * accepted keys; nothing runs. Parameter objects sent as JSON text are parsed; reserved keys
 * are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { listRuns } from '../../src/storage/runs.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';

let h: Harness;
const ds = { symbol: 'SYN', timeframe: '1h' };

beforeAll(async () => {
  h = await harness({ config: { wait_seconds: 5 } });
  const candles = generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 1500, seed: 3, start: Date.UTC(2024, 0, 1) });
  insertDataset(h.app.db, { candles, source: 'test', isSynthetic: true, now: 1 });
});
afterAll(async () => h.close());

function runCount(): number {
  return listRuns(h.app.db, { limit: 1, offset: 0 }).total;
}

/** Calls a tool that must refuse; returns the error text (the call itself must not throw). */
async function refused(name: string, args: Record<string, unknown>): Promise<string> {
  const r = await h.call(name, args);
  expect(r.isError, `${name} should refuse ${JSON.stringify(args)}: ${textOf(r)}`).toBe(true);
  return textOf(r);
}

describe('unknown keys in tool arguments', () => {
  for (const def of ALL_TOOLS) {
    it(`${def.name}: an unknown top-level key is an isError result with a "did you mean" and the accepted keys`, async () => {
      const keys = Object.keys(def.inputSchema);
      const before = runCount();
      if (keys.length === 0) {
        expect(await refused(def.name, { verbose: true })).toBe(`${def.name}: verbose: unknown key. Accepted keys at the top level: none (it takes no arguments)`);
        return;
      }
      const key = [...keys].sort((a, b) => b.length - a.length)[0];
      const typo = key.slice(0, -1);
      expect(keys).not.toContain(typo);
      const text = await refused(def.name, { [typo]: 1 });
      expect(text).toContain(`${def.name}: `);
      expect(text).toContain(`${typo}: unknown key; did you mean "${key}"?`);
      expect(text).toContain(`Accepted keys at the top level: ${keys.join(', ')}`);
      expect(runCount()).toBe(before);
    });
  }

  it('backtest {start_date, end_date} is refused instead of running every bar', async () => {
    const before = runCount();
    const text = await refused('backtest', { strategy: 'sma_cross', ...ds, start_date: '2024-01-10', end_date: '2024-02-01' });
    expect(text).toMatch(/start_date: unknown key; did you mean "from"\?/);
    expect(text).toMatch(/end_date: unknown key; did you mean "to"\?/);
    expect(runCount()).toBe(before);
  });

  it('a top-level commission is refused and pointed at execution.commission', async () => {
    const text = await refused('backtest', { strategy: 'sma_cross', ...ds, commission: 0.01 });
    expect(text).toBe(
      'backtest: commission: unknown key; did you mean "execution.commission"? Accepted keys at the top level: strategy, params, dataset_id, symbol, timeframe, version, from, to, execution, store',
    );
  });

  it('optimize {trials: 7} is refused instead of running 100 trials', async () => {
    const before = runCount();
    const text = await refused('optimize', { strategy: 'sma_cross', ...ds, trials: 7, sampler: 'random' });
    expect(text).toMatch(/^optimize: trials: unknown key; did you mean "n_trials"\?/);
    expect(runCount()).toBe(before);
  });

  it('nested unknown keys name their full path, at every level', async () => {
    const bt = await refused('backtest', { strategy: 'sma_cross', ...ds, execution: { comission: 0.001 } });
    expect(bt).toMatch(/^backtest: execution\.comission: unknown key; did you mean "commission"\? Accepted keys in execution: cash, commission, fixed_fee,/);

    const opt = { strategy: 'sma_cross', ...ds, n_trials: 3, sampler: 'random' };
    expect(await refused('optimize', { ...opt, validate: { topk: 2, holdout: { from: '2024-02-15' } } })).toMatch(/validate\.topk: unknown key; did you mean "top_k"\? Accepted keys in validate: top_k, holdout, min_sharpe, min_trades$/);
    expect(await refused('optimize', { ...opt, validate: { top_k: 2, holdout: { form: '2024-02-15' } } })).toMatch(/validate\.holdout\.form: unknown key; did you mean "from"\?/);
    expect(await refused('optimize', { ...opt, space: { fast: { type: 'int', lo: 5, high: 20 } } })).toMatch(/space\.fast\.lo: unknown key; did you mean "low"\? Accepted keys in space\.fast: type, low, high, step, log, choices/);
    expect(await refused('optimize', { ...opt, sampler: { type: 'tpe', n_startup: 5 } })).toMatch(/sampler\.n_startup: unknown key; did you mean "n_startup_trials"\?/);
    expect(await refused('optimize', { ...opt, pruner: { type: 'median', n_warmup: 5 } })).toMatch(/pruner\.n_warmup: unknown key; did you mean "n_warmup_steps"\?/);
    expect(await refused('optimize', { ...opt, refine: { n_trial: 5 } })).toMatch(/refine\.n_trial: unknown key; did you mean "n_trials"\?/);
    expect(await refused('optimize', { ...opt, objective: { metric: 'sharpe', directon: 'maximize' } })).toMatch(/objective\.directon: unknown key; did you mean "direction"\?/);
    expect(await refused('optimize', { ...opt, execution: { slippage: 5 } })).toMatch(/execution\.slippage: unknown key; did you mean "slippage_bps"\?/);

    expect(await refused('walk_forward', { strategy: 'sma_cross', ...ds, is: 600, oos: 300, execution: { cash: 1000, comision: 0.001 } })).toMatch(/^walk_forward: execution\.comision: unknown key; did you mean "commission"\?/);

    const batch = { strategy: 'sma_cross', symbols: ['SYN'], timeframes: ['1h'] };
    expect(await refused('backtest_batch', { ...batch, items: [{ strategy: 'sma_cross', ...ds, lable: 'x' }] })).toMatch(/items\[0\]\.lable: unknown key; did you mean "label"\?/);
    expect(await refused('backtest_batch', { ...batch, items: [{ strategy: 'sma_cross', ...ds, execution: { csh: 5 } }] })).toMatch(/items\[0\]\.execution\.csh: unknown key; did you mean "cash"\?/);
    expect(await refused('backtest_batch', { strategies: [{ strategy: 'sma_cross', param_set: [{}] }], symbols: ['SYN'], timeframes: ['1h'] })).toMatch(/strategies\[0\]\.param_set: unknown key; did you mean "param_sets"\?/);
    expect(await refused('backtest_batch', { ...batch, execution: { stop_los: 0.1 } })).toMatch(/execution\.stop_los: unknown key; did you mean "stop_loss"\?/);

    expect(await refused('champion_promote', { candidate: { run_id: 'bt_x', trail: 1 } })).toMatch(/candidate\.trail: unknown key; did you mean "trial"\? Accepted keys in candidate: run_id, trial$/);
    expect(await refused('champion_promote', { candidate: { run_id: 'bt_x' }, override: { gate: 'min_dsr', resaon: 'because' } })).toMatch(/override\.resaon: unknown key; did you mean "reason"\?/);
    expect(await refused('champion_promote', { candidate: { run_id: 'bt_x' }, gate_overrides: { min_dsr_: 0.5 } })).toMatch(/gate_overrides\.min_dsr_: unknown key; did you mean "min_dsr"\?/);
    expect(await refused('analyze_results', { inline: { time: [1, 2], equity: [1, 2], benchmark: [1, 2] } })).toMatch(/inline\.benchmark: unknown key; did you mean "benchmark_close"\?/);
  });

  it('arguments listed in a shorter form (tools/list: "keys of backtest.execution", {type, ...options}) are checked as strictly, keys and values', async () => {
    const before = runCount();
    const opt = { strategy: 'sma_cross', ...ds, n_trials: 3 };
    expect(await refused('optimize', { ...opt, execution: { commission: 2 } })).toMatch(/^optimize: execution\.commission: Too big: expected number to be <=0\.1$/);
    expect(await refused('optimize', { ...opt, refine: { n_trials: 5, sampler: { type: 'tpe', n_startup: 3 } } })).toMatch(/^optimize: refine\.sampler\.n_startup: unknown key; did you mean "n_startup_trials"\?/);
    expect(await refused('optimize', { ...opt, refine: { n_trials: 5, factor: 2 } })).toMatch(/^optimize: refine\.factor: Too big: expected number to be <=1$/);
    expect(await refused('optimize', { ...opt, sampler: { type: 'cmaes' } })).toMatch(/^optimize: sampler\.type: /);
    expect(await refused('optimize', { ...opt, study_name: 'with space' })).toMatch(/^optimize: study_name: /);
    expect(await refused('walk_forward', { strategy: 'sma_cross', ...ds, is: 600, oos: 300, pruner: { type: 'median', n_warmup: 2 } })).toMatch(/^walk_forward: pruner\.n_warmup: unknown key; did you mean "n_warmup_steps"\?/);
    expect(await refused('walk_forward', { strategy: 'sma_cross', ...ds, is: true, oos: 300 })).toMatch(/^walk_forward: is: /);
    expect(await refused('backtest_batch', { strategy: 'sma_cross', pairs: [{ symbol: 'SYN', timeframe: '1h' }], items: [{ strategy: 'sma_cross', ...ds, execution: { fraction: 3 } }] })).toMatch(/^backtest_batch: items\[0\]\.execution\.fraction: Too big/);
    expect(await refused('analyze_results', { inline: { time: [1, 2], equity: [1, 2], trades: [{ direction: 'up' }] } })).toMatch(/inline\.trades\[0\]\.direction: /);
    expect(await refused('champion_promote', { candidate: { run_id: 'bt_x' }, override: [{ gate: 'min_dsr', reason: 'fine' }, { gate: 'nope', reason: 'fine' }] })).toMatch(/override\[1\]\.gate: /);
    expect(runCount()).toBe(before);
  });

  it('an error is a tool result, not a JSON-RPC error, and the server keeps serving', async () => {
    const r = await h.client.callTool({ name: 'backtest', arguments: { strategy: 'sma_cross', ...ds, execution: { comission: 0.1 } } });
    expect(r.isError).toBe(true);
    expect(textOf(r as never)).not.toMatch(/MCP error|-32602|Input validation error/);
    expect((await h.call('server_info')).isError).toBeFalsy();
  });
});

describe('parameter objects sent as JSON text', () => {
  it('params as a JSON object string is parsed: the same run as the object', async () => {
    const asObject = dataOf<{ run_id: string; params: Record<string, unknown> }>(await h.call('backtest', { strategy: 'sma_cross', ...ds, params: { fast: 7, slow: 31 } }));
    const asText = dataOf<{ run_id: string; cached: boolean; params: Record<string, unknown> }>(await h.call('backtest', { strategy: 'sma_cross', ...ds, params: '{"fast": 7, "slow": 31}' }));
    expect(asText.params).toEqual(asObject.params);
    expect(asText.cached).toBe(true);
    expect(asText.run_id).toBe(asObject.run_id);
  });

  it('any other string is refused with "pass an object, not a string"; "champion" keeps its meaning', async () => {
    expect(await refused('backtest', { strategy: 'sma_cross', ...ds, params: 'fast=10' })).toMatch(/^backtest: params: pass an object, not a string; got: "fast=10"/);
    expect(await refused('backtest', { strategy: 'sma_cross', ...ds, params: '[10, 30]' })).toMatch(/params: pass an object, not a string/);
    const champion = await refused('backtest', { strategy: 'sma_cross', ...ds, params: 'champion' });
    expect(champion).not.toMatch(/pass an object/);
    expect(champion).toMatch(/champion/);
    expect(await refused('optimize', { strategy: 'sma_cross', ...ds, fixed_params: 'champion' })).toMatch(/fixed_params: pass an object, not a string/);
  });

  it('param_sets entries and nested params are parsed too; a bad parameter inside is still named', async () => {
    const r = dataOf<{ status: string; counts: { ok: number } }>(
      await h.call('backtest_batch', { strategy: 'sma_cross', symbols: ['SYN'], timeframes: ['1h'], param_sets: ['{"fast": 5, "slow": 20}', { fast: 6, slow: 21 }] }),
    );
    expect(r.status).toBe('succeeded');
    expect(r.counts.ok).toBe(2);
    expect(await refused('backtest', { strategy: 'sma_cross', ...ds, params: '{"fsat": 5}' })).toMatch(/params\.fsat/);
    expect(await refused('backtest_batch', { items: [{ strategy: 'sma_cross', ...ds, params: 'x' }] })).toMatch(/items\[0\]\.params: pass an object, not a string/);
  });
});

describe('reserved keys', () => {
  const cases: [string, string, RegExp][] = [
    ['top level', '{"strategy": "sma_cross", "symbol": "SYN", "timeframe": "1h", "__proto__": {"store": false}}', /^backtest: __proto__: the key "__proto__" is not allowed/],
    ['params', '{"strategy": "sma_cross", "symbol": "SYN", "timeframe": "1h", "params": {"__proto__": {"fast": 3}}}', /^backtest: params\.__proto__: the key "__proto__" is not allowed/],
    ['params as text', '{"strategy": "sma_cross", "symbol": "SYN", "timeframe": "1h", "params": "{\\"constructor\\": 1}"}', /^backtest: params\.constructor: the key "constructor" is not allowed/],
    ['execution', '{"strategy": "sma_cross", "symbol": "SYN", "timeframe": "1h", "execution": {"prototype": 1}}', /^backtest: execution\.prototype: the key "prototype" is not allowed/],
  ];
  for (const [where, json, re] of cases) {
    it(`are refused in ${where}`, async () => {
      const before = runCount();
      expect(await refused('backtest', JSON.parse(json) as Record<string, unknown>)).toMatch(re);
      expect(runCount()).toBe(before);
    });
  }

  it('are refused in a search space and a batch item', async () => {
    expect(await refused('optimize', JSON.parse('{"strategy": "sma_cross", "symbol": "SYN", "timeframe": "1h", "space": {"__proto__": {"type": "int", "low": 2, "high": 9}}}') as Record<string, unknown>)).toMatch(
      /space\.__proto__: the key "__proto__" is not allowed/,
    );
    expect(await refused('backtest_batch', { items: [{ strategy: 'sma_cross', ...ds, params: { constructor: 5 } }] })).toMatch(/items\[0\]\.params\.constructor: the key "constructor" is not allowed/);
  });
});

describe('tools/list', () => {
  it('every object in every input schema says additionalProperties: false (records keep their value schema)', async () => {
    const { tools } = await h.client.listTools();
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.type === 'object' && n.properties !== undefined && n.additionalProperties !== false) open.push(path);
      for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`);
    };
    for (const t of tools) {
      expect(t.inputSchema.additionalProperties, t.name).toBe(false);
      walk(t.inputSchema, t.name);
    }
    expect(open).toEqual([]);
  });
});
