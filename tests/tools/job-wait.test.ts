/**
 * waitForJob (optimize, walk_forward, backtest_batch): a job that failed within the wait
 * budget is an isError result with the reason, whether or not it kept a summary; finished,
 * cancelled and still-running jobs are not errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/research/app.js';
import { JobFailed, JobRunner } from '../../src/research/jobs.js';
import { waitForJob } from '../../src/tools/job-wait.js';
import type { ToolContext } from '../../src/tools/types.js';

let app: App;
let jobs: JobRunner;
beforeAll(() => {
  app = openApp({ dbFile: ':memory:', home: '/nonexistent-tradelab-home', root: '/nonexistent-tradelab-root', config: { limits: { max_jobs_per_client: 10 } } });
  jobs = new JobRunner(app);
});
afterAll(async () => {
  await jobs.close();
  app.db.close();
});

function ctx(): ToolContext {
  return { app, jobs, signal: new AbortController().signal, progress: async () => undefined, clientId: 'test', tiers: new Set(['read', 'compute']), mode: 'in-process' };
}

const describeSummary = (s: Record<string, unknown>): string => `summary ${JSON.stringify(s)}`;

describe('waitForJob', () => {
  it('a job that throws: isError with the reason', async () => {
    const run = jobs.start('walk_forward', 'test', {}, async () => {
      throw new Error('the dataset vanished');
    });
    const out = await waitForJob(ctx(), run.id, 5, describeSummary);
    expect(out.isError).toBe(true);
    expect(out.text).toBe(`walk_forward ${run.id} failed: the dataset vanished`);
    expect(out.data).toMatchObject({ run_id: run.id, status: 'failed', error: 'the dataset vanished' });
  });

  it('a job that ran to its end but failed as a whole: isError, summary kept', async () => {
    const run = jobs.start('optimize', 'test', {}, async () => {
      throw new JobFailed('all 3 trials failed', { trials_total: 3 });
    });
    const out = await waitForJob(ctx(), run.id, 5, describeSummary);
    expect(out.isError).toBe(true);
    expect(out.text).toBe(`optimize ${run.id} failed: all 3 trials failed. summary {"trials_total":3}`);
    expect(out.data).toMatchObject({ status: 'failed', error: 'all 3 trials failed', trials_total: 3 });
  });

  it('a job that has already failed when the call waits for it: still isError', async () => {
    const run = jobs.start('batch', 'test', {}, async () => {
      throw new Error('boom');
    });
    await jobs.wait(run.id, 5_000);
    const out = await waitForJob(ctx(), run.id, 0, describeSummary);
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/failed: boom$/);
  });

  it('succeeded, cancelled and still running: not errors', async () => {
    const ok = jobs.start('optimize', 'test', {}, async () => ({ trials_total: 2 }));
    expect((await waitForJob(ctx(), ok.id, 5, describeSummary)).isError).toBeUndefined();
    let release = (): void => undefined;
    const held = jobs.start('optimize', 'test', {}, (job) => new Promise((res) => {
      release = () => res({ held: true });
      job.signal.addEventListener('abort', () => res({ cancelled_at: 1 }), { once: true });
    }));
    const running = await waitForJob(ctx(), held.id, 0.05, describeSummary);
    expect(running.isError).toBeUndefined();
    expect(running.data).toMatchObject({ status: 'running' });
    jobs.cancel(held.id);
    const cancelled = await waitForJob(ctx(), held.id, 5, describeSummary);
    expect(cancelled.isError).toBeUndefined();
    expect(cancelled.data).toMatchObject({ status: 'cancelled' });
    release();
  });
});
