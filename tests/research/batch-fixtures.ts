/** Shared set-up for the batch and scenario tests: an in-memory app with two small synthetic datasets. */
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp, type App } from '../../src/research/app.js';
import { startBatch } from '../../src/research/batch/job.js';
import type { BatchSpecInput } from '../../src/research/batch/spec.js';
import { JobRunner } from '../../src/research/jobs.js';
import { insertDataset } from '../../src/storage/datasets.js';
import type { RunRow } from '../../src/storage/runs.js';

export const START = Date.UTC(2023, 0, 1);

/** DEMO-BTC 1h (seed 42) and ALT 4h (seed 7); `bars` of each. */
export function seededApp(config: Record<string, unknown> = {}, bars = 2_000): App {
  const app = openApp({ dbFile: ':memory:', home: '/nonexistent-tradelab-home', config: { workers: 1, ...config } });
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'DEMO-BTC', timeframe: '1h', bars, seed: 42, start: START }), source: 'test', isSynthetic: true, now: 0 });
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'ALT', timeframe: '4h', bars, seed: 7, start: START }), source: 'test', isSynthetic: true, now: 0 });
  return app;
}

/** Runs a batch to the end through the job runner (as the tool and the CLI do). */
export async function runBatch(app: App, spec: BatchSpecInput, jobs = new JobRunner(app)): Promise<RunRow> {
  const { run } = startBatch(app, jobs, 'test', spec);
  const w = await jobs.wait(run.id, 120_000);
  if (!w.done) throw new Error('batch did not finish');
  return w.run;
}
