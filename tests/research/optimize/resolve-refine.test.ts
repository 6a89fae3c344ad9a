import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/research/app.js';
import { resolveTask } from '../../../src/research/optimize/resolve.js';
import { seededApp } from '../batch-fixtures.js';

let app: App;
beforeEach(() => {
  app = seededApp();
});
afterEach(() => app.db.close());

describe('a refine stage is checked with the task, before the coarse study runs', () => {
  const task = { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h' };

  it('refine.n_trials above limits.max_trials', () => {
    const n = app.config.limits.max_trials + 1;
    expect(() => resolveTask(app, { ...task, refine: { n_trials: n } })).toThrow(`refine.n_trials ${n} is above the limit of ${app.config.limits.max_trials}`);
  });

  it('a refine.sampler the engine refuses', () => {
    expect(() => resolveTask(app, { ...task, refine: { n_trials: 5, sampler: { type: 'tpe', gamma_max: -1 } as { type: string } } })).toThrow(/refine\.sampler/);
  });

  it('the refine defaults are the schema’s', () => {
    expect(resolveTask(app, { ...task, refine: { n_trials: 5 } }).task.refine).toEqual({ n_trials: 5, top: 5, factor: 0.3, sampler: 'tpe' });
  });
});
