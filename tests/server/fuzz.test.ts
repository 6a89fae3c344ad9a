/**
 * Hostile inputs to EVERY tool of ALL_TOOLS (fast-check): random keys, the tool's own keys
 * with wrong-typed or edge-case values, and near-valid mixes. Each answer must be a valid
 * result (text content + structuredContent) or an `isError` result with a message, never a
 * protocol error or an internal error, and the server must keep serving (server_info after
 * each tool's batch).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { answerProblem, argsFor, exampleCalls } from '../helpers/fuzz-args.js';
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
  return exampleCalls('SYN', '1h', runId, spareRunId);
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

function checkAnswer(name: string, args: unknown, r: CallToolResult): void {
  expect(answerProblem(r), `${name}(${JSON.stringify(args).slice(0, 300)}): ${textOf(r).slice(0, 300)}`).toBeNull();
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
