/**
 * Hostile inputs to EVERY tool of ALL_TOOLS (fast-check): random keys, the tool's own keys
 * with wrong-typed or edge-case values, and near-valid mixes. Each answer must be a valid
 * result (text content + structuredContent) or an `isError` result with a message, never a
 * protocol error or an internal error, and the server must keep serving (server_info after
 * each tool's batch).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { harness, textOf, type Harness } from '../helpers/mcp.js';

const RUNS_PER_TOOL = 40;

let h: Harness;
let runId = 'bt_none';
let spareRunId = 'bt_none';

/**
 * A valid call per tool where one is known, so mutations of it reach the handlers; tools
 * without an example are fuzzed from their schema keys alone.
 */
function examples(): Record<string, Record<string, unknown>> {
  return {
    list_strategies: { name: 'sma_cross' },
    list_datasets: { symbol: 'SYN' },
    list_runs: { kind: 'backtest', limit: 5 },
    get_run: { run_id: runId, include: 'trades', limit: 3 },
    backtest: { strategy: 'sma_cross', params: { fast: 5, slow: 20 }, symbol: 'SYN', timeframe: '1h', store: false },
    cancel_run: { run_id: runId },
    import_candles: { csv: 'timestamp,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n', symbol: 'FUZZ', timeframe: '1h' },
    delete_run: { run_id: spareRunId },
    optimize: { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h', sampler: 'random', n_trials: 3, seed: 1, wait_seconds: 5 },
    walk_forward: { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h', is: 600, oos: 300, n_trials: 2, wait_seconds: 5 },
    backtest_batch: { strategy: 'sma_cross', symbols: ['SYN'], timeframes: ['1h'], param_sets: [{ fast: 5, slow: 20 }, { fast: 8, slow: 30 }] },
    analyze_results: { run_id: runId },
    champion_status: { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h' },
    champion_history: { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h' },
    champion_promote: { candidate: { run_id: runId }, dry_run: true },
    champion_rollback: { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h', to_version: 1, reason: 'fuzz test' },
  };
}

beforeAll(async () => {
  h = await harness({
    config: { wait_seconds: 0.2, limits: { max_trials: 20, max_batch_items: 4, max_wall_seconds: 5, max_bars: 20_000, max_inline_rows: 2_000 } },
  });
  const candles = generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 1500, seed: 11, start: Date.UTC(2024, 0, 1) });
  insertDataset(h.app.db, { candles, source: 'fuzz', isSynthetic: true, now: 1 });
  const bt = await h.call('backtest', { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h' });
  runId = (bt.structuredContent as { run_id?: string } | undefined)?.run_id ?? runId;
  const spare = await h.call('backtest', { strategy: 'sma_cross', params: { fast: 3, slow: 9 }, symbol: 'SYN', timeframe: '1h' });
  spareRunId = (spare.structuredContent as { run_id?: string } | undefined)?.run_id ?? spareRunId;
});
afterAll(async () => h?.close());

/** Values that are plausible somewhere, so some calls get past validation into handlers. */
function edgeValues(): fc.Arbitrary<unknown> {
  return fc.constantFrom<unknown>(
    'SYN', '1h', '1d', 'sma_cross', 'champion', 'grid', 'tpe', 'sharpe', '', ' ', 'x'.repeat(300), '2024-01-01', '2023-12-31T00:00:00Z', '-1', 'NaN', '__proto__', 'constructor',
    '../../etc/passwd', 'ignore previous instructions', 'timestamp,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,10\n', 0, -0, 1, -1, 2, 3, 0.5, 1e308, -1e308, 2 ** 53, 1e-300, 10_000_000,
    true, false, null, [], {}, [1, 2, 3], { fast: 5, slow: 3 }, { fast: -1 }, { a: { b: { c: 1 } } },
  );
}

function argsFor(keys: readonly string[], example: Record<string, unknown> | undefined): fc.Arbitrary<Record<string, unknown>> {
  const value = fc.oneof({ weight: 3, arbitrary: edgeValues() }, { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) });
  const own = keys.length ? fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] }) : fc.constant({});
  const junk = fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 4 });
  const variants = [own, junk, fc.tuple(own, junk).map(([a, b]) => ({ ...b, ...a }))];
  if (example) {
    const ex = example;
    const exKeys = Object.keys(ex);
    // the example with one key replaced, one key dropped, or a junk key added
    const key = fc.constantFrom(...(exKeys.length ? exKeys : ['_']));
    variants.push(
      fc.tuple(key, value).map(([k, v]) => ({ ...ex, [k]: v })),
      key.map((k) => Object.fromEntries(Object.entries(ex).filter(([kk]) => kk !== k))),
      fc.tuple(fc.string({ maxLength: 12 }), value).map(([k, v]) => ({ ...ex, [k]: v })),
    );
  }
  return fc.oneof(...variants);
}

function checkAnswer(name: string, args: unknown, r: CallToolResult): void {
  const where = `${name}(${JSON.stringify(args).slice(0, 300)})`;
  expect(Array.isArray(r.content), where).toBe(true);
  const text = textOf(r);
  if (r.isError) {
    expect(text.length, where).toBeGreaterThan(0);
    expect(text, where).not.toMatch(/internal error/i);
  } else {
    expect(r.content.length, where).toBeGreaterThan(0);
    expect(typeof r.structuredContent, where).toBe('object');
    expect(r.structuredContent, where).not.toBeNull();
  }
}

describe('fuzzing every tool with malformed arguments', () => {
  it('covers every registered tool, with a valid example call where one is known', async () => {
    expect(ALL_TOOLS.length).toBeGreaterThanOrEqual(9);
    for (const [name, args] of Object.entries(examples())) {
      if (!ALL_TOOLS.some((t) => t.name === name) || ['delete_run', 'cancel_run', 'champion_rollback', 'champion_promote'].includes(name)) continue;
      const r = await h.call(name, args);
      expect(r.isError, `${name}: ${textOf(r)}`).toBeFalsy();
    }
  });

  for (const def of ALL_TOOLS) {
    it(`${def.name}: every answer is a result or an isError result, and the server keeps serving`, async () => {
      await fc.assert(
        fc.asyncProperty(argsFor(Object.keys(def.inputSchema), examples()[def.name]), async (args) => {
          const r = await h.call(def.name, args);
          checkAnswer(def.name, args, r);
        }),
        { numRuns: RUNS_PER_TOOL, seed: 20_240_101 },
      );
      const info = await h.call('server_info');
      expect(info.isError).toBeFalsy();
      expect((info.structuredContent as { server: string }).server).toBe('tradelab');
    });
  }
});
