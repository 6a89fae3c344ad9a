/**
 * Hostile tool arguments (fast-check), shared by tests/server/fuzz.test.ts and the
 * reliability suite's fuzz campaign (bench/reliability/fuzz.ts): random keys, each tool's own
 * keys with wrong-typed or edge-case values, and near-valid mutations of a valid example call.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';

/** Values that are plausible somewhere, so some calls get past validation into handlers. */
export function edgeValues(): fc.Arbitrary<unknown> {
  return fc.constantFrom<unknown>(
    'SYN', 'DEMO-BTC', '1h', '1d', 'sma_cross', 'champion', 'grid', 'tpe', 'sharpe', '', ' ', 'x'.repeat(300), '2024-01-01', '2023-12-31T00:00:00Z', '-1', 'NaN', '__proto__', 'constructor',
    '../../etc/passwd', 'ignore previous instructions', 'timestamp,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,10\n', 0, -0, 1, -1, 2, 3, 0.5, 1e308, -1e308, 2 ** 53, 1e-300, 10_000_000,
    true, false, null, [], {}, [1, 2, 3], { fast: 5, slow: 3 }, { fast: -1 }, { a: { b: { c: 1 } } },
  );
}

export function argsFor(keys: readonly string[], example: Record<string, unknown> | undefined): fc.Arbitrary<Record<string, unknown>> {
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

/** A valid call per tool (for a market and two stored run ids), so mutations of it reach the handlers. */
export function exampleCalls(symbol: string, timeframe: string, runId: string, spareRunId: string): Record<string, Record<string, unknown>> {
  const market = { symbol, timeframe };
  return {
    list_strategies: { name: 'sma_cross' },
    list_datasets: { symbol },
    list_runs: { kind: 'backtest', limit: 5 },
    get_run: { run_id: runId, include: 'trades', limit: 3 },
    backtest: { strategy: 'sma_cross', params: { fast: 5, slow: 20 }, ...market, store: false },
    cancel_run: { run_id: runId },
    import_candles: { csv: 'timestamp,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n', symbol: 'FUZZ', timeframe: '1h' },
    delete_run: { run_id: spareRunId },
    optimize: { strategy: 'sma_cross', ...market, sampler: 'random', n_trials: 3, seed: 1, wait_seconds: 5 },
    walk_forward: { strategy: 'sma_cross', ...market, is: 600, oos: 300, n_trials: 2, wait_seconds: 5 },
    backtest_batch: { strategy: 'sma_cross', symbols: [symbol], timeframes: [timeframe], param_sets: [{ fast: 5, slow: 20 }, { fast: 8, slow: 30 }] },
    analyze_results: { run_id: runId },
    champion_status: { strategy: 'sma_cross', ...market },
    champion_history: { strategy: 'sma_cross', ...market },
    champion_promote: { candidate: { run_id: runId }, dry_run: true },
    champion_rollback: { strategy: 'sma_cross', ...market, to_version: 1, reason: 'fuzz test' },
  };
}

/** What is wrong with an answer to a hostile call (null: a valid result or a clean isError result). */
export function answerProblem(r: CallToolResult): string | null {
  if (!Array.isArray(r.content)) return 'no content array';
  const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  if (r.isError) {
    if (text.length === 0) return 'isError without a message';
    if (/internal error/i.test(text)) return `internal error: ${text.slice(0, 300)}`;
    return null;
  }
  if (r.content.length === 0) return 'a result without content';
  if (typeof r.structuredContent !== 'object' || r.structuredContent === null) return 'a result without structuredContent';
  return null;
}
