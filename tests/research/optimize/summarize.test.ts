import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/research/app.js';
import { runStudy } from '../../../src/research/optimize/run-study.js';
import { summarizeStudy } from '../../../src/research/optimize/summarize.js';
import { createRun } from '../../../src/storage/runs.js';
import { CONSTRAINED_FAIL_REASON, CONSTRAINED_ORDER, storeConstrainedStudy } from '../../helpers/studies.js';
import { seededApp } from '../batch-fixtures.js';
import { sqliteOf } from '../../helpers/sqlite.js';

let app: App;
beforeEach(() => {
  app = seededApp();
});
afterEach(() => app.db.close());

type Row = { number: number; feasible: boolean; copies: number; constraints: number[] };

describe('summarizeStudy', () => {
  it('ranks distinct configurations as the optimizer does: feasible first, infeasible by violation', async () => {
    await storeConstrainedStudy(sqliteOf(app), 'hand');
    const s = await summarizeStudy(app, 'hand', 5);
    const top = s.top as Row[];
    expect(top.map((t) => t.number)).toEqual(CONSTRAINED_ORDER);
    expect(top.map((t) => t.feasible)).toEqual([true, true, false, false]);
    expect(top.map((t) => t.copies)).toEqual([2, 1, 1, 1]);
    expect(s.top_duplicates_collapsed).toBe(1);
    expect(s.distinct_configurations).toBe(4);
    expect((s.best as Row).number).toBe(CONSTRAINED_ORDER[0]);
    expect(s.counts).toMatchObject({ COMPLETE: 5, FAIL: 1 });
    expect(s.fail_reasons).toEqual([{ reason: CONSTRAINED_FAIL_REASON, count: 1, trials: [5] }]);
    expect(s.failure).toBeUndefined();
    expect(((await summarizeStudy(app, 'hand', 2)).top as Row[]).map((t) => t.number)).toEqual(CONSTRAINED_ORDER.slice(0, 2));
    await expect(summarizeStudy(app, 'hnad', 5)).rejects.toThrow(/no study named "hnad"/);
  });

  it('shows how the last run of a study stopped', async () => {
    const run = createRun(app.db, { kind: 'optimize', status: 'running', spec: {}, now: 0 });
    const space = { fast: { type: 'int', low: 5, high: 6 }, slow: { type: 'categorical', choices: [30, 40] } } as never;
    await runStudy(app, { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', space, sampler: 'grid', n_trials: 50, study_name: 'grid4' }, { run_id: run.id, signal: new AbortController().signal });
    const s = await summarizeStudy(app, 'grid4', 5);
    expect(s.stopped).toMatchObject({ reason: 'exhausted', detail: expect.stringMatching(/no point left/), trials: 4 });
  });
});
