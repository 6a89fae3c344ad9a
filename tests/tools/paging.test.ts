/**
 * Every tool that pages takes a `cursor`; a cursor it did not hand out is the caller's
 * mistake: an isError result naming the field and the expected form, never an internal
 * error with a stack trace in the log.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { backtest } from '../../src/research/backtest.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';

let h: Harness;
let runId: string;
beforeAll(async () => {
  h = await harness();
  insertDataset(h.app.db, { candles: generateSynthetic({ symbol: 'PG', timeframe: '1h', bars: 400, seed: 5, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
  runId = backtest(h.app, { strategy: 'sma_cross', symbol: 'PG', timeframe: '1h', params: { fast: 5, slow: 20 } }).run_id!;
  backtest(h.app, { strategy: 'sma_cross', symbol: 'PG', timeframe: '1h', params: { fast: 6, slow: 20 } });
});
afterAll(async () => h.close());

const PAGING: [string, () => Record<string, unknown>][] = [
  ['list_runs', () => ({})],
  ['get_run', () => ({ run_id: runId, include: 'trades' })],
  ['get_run', () => ({ run_id: runId, include: 'equity' })],
  ['champion_status', () => ({})],
  ['champion_history', () => ({ strategy: 'sma_cross', symbol: 'PG', timeframe: '1h' })],
];

describe('a bad cursor', () => {
  for (const [tool, args] of PAGING) {
    it(`is a user error naming the field in ${tool} ${JSON.stringify(args()).slice(0, 40)}`, async () => {
      const log = vi.spyOn(process.stderr, 'write');
      try {
        for (const cursor of ['abc', '-1', '1.5', '1e3', '0x10', ' 1', '99999999999999999999']) {
          const r = await h.call(tool, { ...args(), cursor });
          expect(r.isError, `${tool} cursor ${cursor}: ${textOf(r)}`).toBe(true);
          expect(textOf(r)).toContain(`${tool}: cursor ${JSON.stringify(cursor)} is not a cursor returned by this tool`);
          expect(textOf(r)).toMatch(/expected: the next_cursor of the previous page/);
          expect(textOf(r)).not.toMatch(/internal error/);
        }
        expect(log.mock.calls.map((c) => String(c[0])).filter((s) => /internal error/.test(s))).toEqual([]);
      } finally {
        log.mockRestore();
      }
    });
  }

  it('a good cursor still pages', async () => {
    const first = dataOf<{ runs: { run_id: string }[]; next_cursor: string | null }>(await h.call('list_runs', { limit: 1 }));
    expect(first.next_cursor).toBe('1');
    const second = dataOf<{ runs: { run_id: string }[] }>(await h.call('list_runs', { limit: 1, cursor: first.next_cursor! }));
    expect(second.runs[0].run_id).not.toBe(first.runs[0].run_id);
  });
});
