import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';

let h: Harness;

beforeAll(async () => {
  h = await harness();
  const candles = generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 3000, seed: 7, start: Date.UTC(2024, 0, 1) });
  insertDataset(h.app.db, { candles, source: 'test', isSynthetic: true, now: 1 });
});
afterAll(async () => h.close());

describe('MCP tools through the in-process client', () => {
  it('lists every tool with honest annotations per tier', async () => {
    const { tools } = await h.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const name of ['server_info', 'list_strategies', 'list_datasets', 'list_runs', 'get_run', 'backtest', 'import_candles', 'cancel_run', 'delete_run']) {
      expect(byName.has(name), name).toBe(true);
    }
    expect(byName.get('list_datasets')?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
    expect(byName.get('backtest')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(byName.get('delete_run')?.annotations).toMatchObject({ destructiveHint: true });
    // the whole list stays well under ChatGPT's 16k-token budget (~4 characters a token: 59,877
    // characters were 14,812 o200k tokens): at most 32 KB with the output schemas and 20 KB
    // without them. Short descriptions and listed forms (src/research/listing.ts), the long form
    // in the docs resources (tradelab://docs/tools/{name}, tradelab://docs/execution); output
    // schemas type the top-level fields. Measured: 59,895 characters before, 30,760 after;
    // without output schemas 41,769 before, 20,165 after.
    expect(JSON.stringify(tools).length).toBeLessThanOrEqual(32_768);
    const withoutOutputs = tools.map(({ outputSchema: _out, ...t }) => (void _out, t));
    expect(JSON.stringify(withoutOutputs).length).toBeLessThanOrEqual(20_480);
  });

  it('server_info reports tiers and limits', async () => {
    const d = dataOf<{ tiers: string[]; limits: Record<string, number> }>(await h.call('server_info'));
    expect(d.tiers).toEqual(['read', 'compute', 'write']);
    expect(d.limits.max_bars).toBeGreaterThan(0);
  });

  it('list_strategies gives defaults and default space for each, paged and small; the params schema with name', async () => {
    type L = { strategies: { name: string; defaults: Record<string, unknown>; default_space: Record<string, unknown>; params_schema?: object }[]; total: number; next_cursor: string | null };
    const r = await h.call('list_strategies');
    const d = dataOf<L>(r);
    const names = d.strategies.map((s) => s.name);
    for (const n of ['sma_cross', 'ema_cross', 'rsi_reversion', 'bollinger_reversion', 'macd_trend', 'donchian_breakout', 'confidence']) expect(names).toContain(n);
    const sma = d.strategies.find((s) => s.name === 'sma_cross')!;
    expect(sma.defaults).toHaveProperty('fast');
    expect(Object.keys(sma.default_space).length).toBeGreaterThan(0);
    expect(sma.params_schema).toBeUndefined();
    // the whole answer stays small (it was 19.7 KB with every params schema)
    expect(JSON.stringify(r).length).toBeLessThan(12_000);
    const one = dataOf<L>(await h.call('list_strategies', { name: 'confidence' })).strategies[0];
    expect(one.params_schema).toMatchObject({ type: 'object' });
    const p1 = dataOf<L>(await h.call('list_strategies', { limit: 3 }));
    expect(p1.strategies).toHaveLength(3);
    expect(p1.next_cursor).toBe('3');
    const p2 = dataOf<L>(await h.call('list_strategies', { limit: 3, cursor: p1.next_cursor! }));
    expect(p2.strategies[0].name).toBe(names[3]);
  });

  it('backtest stores a run; an identical request is answered from the store; get_run pages trades', async () => {
    const args = { strategy: 'sma_cross', params: { fast: 10, slow: 40 }, symbol: 'SYN', timeframe: '1h' };
    const first = dataOf<{ run_id: string; cached: boolean; metrics: Record<string, number | null>; trades: number }>(await h.call('backtest', args));
    expect(first.cached).toBe(false);
    expect(first.run_id).toMatch(/^bt_/);
    expect(first.trades).toBeGreaterThan(0);
    const again = dataOf<{ run_id: string; cached: boolean; metrics: Record<string, number | null> }>(await h.call('backtest', args));
    expect(again.cached).toBe(true);
    expect(again.run_id).toBe(first.run_id);
    expect(again.metrics).toEqual(first.metrics);
    const p1 = dataOf<{ trades: { items: unknown[]; total: number; next_cursor: string | null } }>(await h.call('get_run', { run_id: first.run_id, include: 'trades', limit: 2 }));
    expect(p1.trades.items).toHaveLength(Math.min(2, first.trades));
    expect(p1.trades.total).toBe(first.trades);
    if (first.trades > 2) {
      const p2 = dataOf<{ trades: { items: unknown[] } }>(await h.call('get_run', { run_id: first.run_id, include: 'trades', limit: 2, cursor: p1.trades.next_cursor }));
      expect(p2.trades.items[0]).not.toEqual(p1.trades.items[0]);
    }
    const runs = dataOf<{ total: number }>(await h.call('list_runs', { kind: 'backtest' }));
    expect(runs.total).toBeGreaterThanOrEqual(1);
  });

  it('bad arguments are isError results naming the field, the value and what is accepted', async () => {
    const unknown = await h.call('backtest', { strategy: 'sma_crosss', symbol: 'SYN', timeframe: '1h' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/sma_crosss/);
    expect(textOf(unknown)).toMatch(/did you mean sma_cross/);
    const badParam = await h.call('backtest', { strategy: 'sma_cross', params: { fast: -3 }, symbol: 'SYN', timeframe: '1h' });
    expect(badParam.isError).toBe(true);
    expect(textOf(badParam)).toMatch(/params\.fast/);
    const typo = await h.call('backtest', { strategy: 'sma_cross', params: { fsat: 5 }, symbol: 'SYN', timeframe: '1h' });
    expect(textOf(typo)).toMatch(/fsat/);
    const noData = await h.call('backtest', { strategy: 'sma_cross', symbol: 'NOPE', timeframe: '1h' });
    expect(noData.isError).toBe(true);
    expect(textOf(noData)).toMatch(/NOPE/);
    expect(textOf(noData)).toMatch(/SYN 1h/);
    const schemaErr = await h.call('backtest', { strategy: 42 });
    expect(schemaErr.isError).toBe(true);
    const badExec = await h.call('backtest', { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h', execution: { commission: 5 } });
    expect(badExec.isError).toBe(true);
    expect(textOf(badExec)).toMatch(/commission/);
    const noRun = await h.call('get_run', { run_id: 'bt_nope' });
    expect(noRun.isError).toBe(true);
    expect(textOf(noRun)).toMatch(/bt_nope/);
  });

  it('import_candles stores valid CSV, is idempotent, and rejects a bad file naming the line', async () => {
    const csv = 'timestamp,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n2024-01-01T01:00:00Z,1.5,2,1,1.8,12\n';
    const ok = dataOf<{ created: boolean; dataset: { id: number; bars: number } }>(await h.call('import_candles', { csv, symbol: 'IMP', timeframe: '1h' }));
    expect(ok.created).toBe(true);
    expect(ok.dataset.bars).toBe(2);
    const again = dataOf<{ created: boolean }>(await h.call('import_candles', { csv, symbol: 'IMP', timeframe: '1h' }));
    expect(again.created).toBe(false);
    const bad = await h.call('import_candles', { csv: csv + '2024-01-01T02:00:00Z,1,0.5,0.4,1.8,3\n', symbol: 'IMP', timeframe: '1h' });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/line 4/);
    const list = dataOf<{ datasets: { symbol: string; version: number }[] }>(await h.call('list_datasets', { symbol: 'IMP' }));
    expect(list.datasets).toHaveLength(1);
  });
});
