/** The audit log: every compute and write tool call, in any mode, with the caller's client id; reads are not logged. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { listAudit } from '../../src/storage/audit.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, type Harness } from '../helpers/mcp.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
  insertDataset(h.app.db, { candles: generateSynthetic({ symbol: 'AUD', timeframe: '1h', bars: 800, seed: 2, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
});
afterAll(async () => h?.close());

describe('audit log', () => {
  it('records compute and write calls (with the run id, failures too), never reads', async () => {
    const run = dataOf<{ run_id: string }>(await h.call('backtest', { strategy: 'sma_cross', symbol: 'AUD', timeframe: '1h' })).run_id;
    expect((await h.call('backtest', { strategy: 'sma_cross', symbol: 'NOPE', timeframe: '1h' })).isError).toBe(true);
    await h.call('list_runs', {});
    await h.call('get_run', { run_id: run });
    expect((await h.call('delete_run', { run_id: run })).isError, 'delete_run').toBeFalsy();
    const rows = listAudit(h.app.db, { limit: 10 }).reverse();
    expect(rows.map((r) => [r.client_id, r.tool, r.tier, r.run_id, r.ok])).toEqual([
      ['test', 'backtest', 'compute', run, 1],
      ['test', 'backtest', 'compute', null, 0],
      ['test', 'delete_run', 'write', run, 1],
    ]);
  });
});
