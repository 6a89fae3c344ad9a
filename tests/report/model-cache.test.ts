/** buildReport reuses a finished run's report for a minute (the report app's per-chart fetches), not longer, and never a running run's. */
import { afterAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp } from '../../src/research/app.js';
import { backtest } from '../../src/research/backtest.js';
import { buildReport } from '../../src/report/model/index.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { createRun } from '../../src/storage/runs.js';

let clock = Date.UTC(2026, 0, 1);
const app = openApp({ dbFile: ':memory:', home: '/nonexistent-tradelab-home', config: {}, now: () => clock });
afterAll(() => app.db.close());

describe('report reuse', () => {
  it('a finished run: the same report within a minute, a new one after it or when asked fresh', () => {
    insertDataset(app.db, { candles: generateSynthetic({ symbol: 'MC', timeframe: '1h', bars: 1500, seed: 1, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
    const id = backtest(app, { strategy: 'sma_cross', symbol: 'MC', timeframe: '1h' }).run_id as string;
    const a = buildReport(app, id);
    expect(buildReport(app, id)).toBe(a);
    expect(buildReport(app, id, { fresh: true })).not.toBe(a);
    expect(buildReport(app, id, { deep: true })).not.toBe(a);
    const b = buildReport(app, id);
    clock += 61_000;
    const c = buildReport(app, id);
    expect(c).not.toBe(b);
    expect(c).toEqual(b);
  });

  it('a running run is built every time', () => {
    const run = createRun(app.db, { kind: 'walk_forward', status: 'running', strategy: 'sma_cross', spec: { strategy: 'sma_cross' }, now: clock });
    expect(buildReport(app, run.id)).not.toBe(buildReport(app, run.id));
  });
});
