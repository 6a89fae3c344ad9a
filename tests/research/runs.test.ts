import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/research/app.js';
import { UserError } from '../../src/research/errors.js';
import { findRun, NO_RUN_HINT, noRunMessage, removeRun, requireRun, runPage, storedMetrics } from '../../src/research/runs.js';
import { saveBacktestResult } from '../../src/storage/run-results.js';
import { createRun } from '../../src/storage/runs.js';

function fixture() {
  const app = openApp({ dbFile: ':memory:', home: '/nonexistent-tradelab-home', config: {} });
  createRun(app.db, { id: 'bt_a', kind: 'backtest', status: 'succeeded', strategy: 'sma_cross', spec: {}, now: 1 });
  createRun(app.db, { id: 'opt_b', kind: 'optimize', status: 'failed', strategy: 'sma_cross', spec: {}, now: 2 });
  saveBacktestResult(app.db, 'bt_a', { metrics: { trades: 3, sharpe: 1.2 }, warnings: [], trades: [], open_trades: [], skipped: [], equity: new Float64Array([1, 2]), equity_time: null, warmup: 0 });
  return app;
}

describe('research/runs', () => {
  it('requireRun returns the run, or throws the one not-found error naming the field and the id', () => {
    const app = fixture();
    expect(requireRun(app, 'bt_a').kind).toBe('backtest');
    expect(findRun(app, 'bt_nope')).toBeUndefined();
    let err: unknown;
    try {
      requireRun(app, 'bt_nope', 'candidate.run_id');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe('no run with id "bt_nope"');
    expect((err as UserError).message).toBe(noRunMessage('bt_nope'));
    expect((err as UserError).detail).toEqual({ field: 'candidate.run_id', value: 'bt_nope', hint: NO_RUN_HINT });
    expect(() => requireRun(app, 'x')).toThrow(expect.objectContaining({ detail: expect.objectContaining({ field: 'run_id' }) }));
    app.db.close();
  });

  it('lists, reads stored metrics and deletes', () => {
    const app = fixture();
    expect(runPage(app, { limit: 10, offset: 0 }).runs.map((r) => r.id)).toEqual(['opt_b', 'bt_a']);
    expect(runPage(app, { kind: 'backtest', limit: 10, offset: 0 })).toMatchObject({ total: 1 });
    expect(storedMetrics(app, 'bt_a')).toEqual({ trades: 3, sharpe: 1.2 });
    expect(storedMetrics(app, 'opt_b')).toBeUndefined();
    expect(removeRun(app, 'bt_a')).toBe(true);
    expect(removeRun(app, 'bt_a')).toBe(false);
    expect(findRun(app, 'bt_a')).toBeUndefined();
    app.db.close();
  });
});
