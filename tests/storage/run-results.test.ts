import { describe, expect, it } from 'vitest';
import { loadMetricsByRun, saveBacktestResult } from '../../src/storage/run-results.js';
import { createRun } from '../../src/storage/runs.js';
import { eachStore } from '../helpers/stores.js';

const stores = eachStore();

describe.each(stores)('loadMetricsByRun ($kind store)', (store) => {
  it('reads the metrics of stored results by run id, over the parameter limit of one query, skipping ids without a result', () => {
    const db = store.open();
    const ids: string[] = [];
    for (let i = 0; i < 1203; i++) {
      const run = createRun(db, { id: `bt_${i}`, kind: 'backtest', status: 'succeeded', spec: {}, now: i });
      ids.push(run.id);
      if (i % 3 !== 0) saveBacktestResult(db, run.id, { metrics: { trades: i, sharpe: i / 10 }, warnings: [], trades: [], open_trades: [], skipped: [], equity: new Float64Array([1, 2]), equity_time: null, warmup: 0 });
    }
    const got = loadMetricsByRun(db, [...ids, ...ids.slice(0, 10), 'bt_missing']);
    expect(got.size).toBe(802);
    expect(got.get('bt_1')).toEqual({ trades: 1, sharpe: 0.1 });
    expect(got.get('bt_1202')).toEqual({ trades: 1202, sharpe: 120.2 });
    expect(got.has('bt_0')).toBe(false);
    expect(got.has('bt_missing')).toBe(false);
    expect(loadMetricsByRun(db, []).size).toBe(0);
    db.close();
  });
});
