/**
 * Interrupting `tradelab optimize` for real, again and again, then letting it finish:
 * - n_jobs 1: SIGKILLs (mid-trial) and SIGINTs (Ctrl-C) at several points, and the final
 *   study has exactly the trials — numbers, states, params, values — of an uninterrupted run
 *   with the same seed; after every stop no finished trial is lost, numbers stay contiguous,
 *   no trial is FAIL for being stopped, and the store is sound;
 * - n_jobs 2: killed four times, the study still reaches its n_trials and exits 0.
 * Drives the built CLI (dist/) in child processes. n_jobs 1 keeps three SIGKILLs: a kill
 * lands between two trials often enough that two did not always catch one mid-trial. The
 * soak (20 random stops) is `npm run test:reliability`'s kill-resume probe.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { integrity, jobFile, lastJson, readTrials, startCli, waitUntil, type TrialRow } from '../helpers/cli-study.js';

const dir = mkdtempSync(join(tmpdir(), 'tradelab-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const finished = (rows: readonly TrialRow[]): TrialRow[] => rows.filter((t) => t.state !== 'RUNNING' && t.state !== 'WAITING');

/** Checks what must hold after every stop; returns the trials that were RUNNING (killed mid-trial). */
function checkAfterStop(db: string, study: string, before: readonly TrialRow[], jobs: number): number[] {
  const rows = readTrials(db, study);
  expect(integrity(db)).toBe('ok');
  expect(rows.map((t) => t.number)).toEqual(rows.map((_, i) => i));
  // nothing finished before is lost or changed
  for (const t of finished(before)) expect(rows[t.number]).toEqual(t);
  // no trial is FAIL for having been stopped (the demo strategy's FAILs are undefined Sharpe ratios)
  expect(rows.filter((t) => t.state === 'FAIL' && t.value !== null)).toEqual([]);
  const open = rows.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING');
  expect(open.length).toBeLessThanOrEqual(2 * jobs);
  return rows.filter((t) => t.state === 'RUNNING').map((t) => t.number);
}

/** Runs the job until `finished(trials) >= at`, then sends `signal`; returns the exit and what was RUNNING after it. */
async function interrupt(home: string, job: string, study: string, at: number, signal: NodeJS.Signals, jobs: number): Promise<number[]> {
  const db = join(home, 'tradelab.db');
  const before = readTrials(db, study);
  const { child, exited } = startCli(home, ['optimize', job, '--json']);
  await waitUntil(() => finished(readTrials(db, study)).length >= at, `${at} finished trials`);
  child.kill(signal);
  const e = await exited;
  if (signal === 'SIGKILL') expect(e.signal, e.stderr).toBe('SIGKILL');
  else expect(e.code, e.stderr).toBe(130);
  const running = checkAfterStop(db, study, before, jobs);
  if (signal === 'SIGINT') {
    // Ctrl-C stops at a trial boundary: the trial in flight finished or went back to WAITING
    expect(running).toEqual([]);
    expect(lastJson(e.stdout)).toMatchObject({ status: 'cancelled', stop_reason: 'cancelled' });
  }
  return running;
}

describe('tradelab optimize interrupted and resumed', () => {
  it('n_jobs 1: SIGKILLs and SIGINTs at several points, then the same trials as an uninterrupted run with the same seed', async () => {
    const task = { strategy: 'rsi_reversion', n_trials: 90, seed: 5 };
    const whole = join(dir, 'whole');
    const once = await startCli(whole, ['optimize', jobFile(dir, 'rsi-whole', task), '--json']).exited;
    expect(once.code, once.stderr).toBe(0);
    const reference = readTrials(join(whole, 'tradelab.db'), 'rsi-whole');
    expect(reference).toHaveLength(90);

    const home = join(dir, 'cut');
    const job = jobFile(dir, 'rsi-cut', task);
    const db = join(home, 'tradelab.db');
    let midTrial = 0;
    const plan: [number, NodeJS.Signals][] = [[8, 'SIGKILL'], [20, 'SIGINT'], [31, 'SIGKILL'], [44, 'SIGINT'], [57, 'SIGKILL'], [70, 'SIGINT']];
    for (const [at, signal] of plan) {
      const running = await interrupt(home, job, 'rsi-cut', at, signal, 1);
      midTrial += running.length;
      if (running.length > 0) {
        // the next run puts it back and runs it first, under its own number
        const rows = readTrials(db, 'rsi-cut');
        expect(running).toEqual([rows.length - 1]);
      }
    }
    expect(midTrial).toBeGreaterThanOrEqual(1); // at least one kill landed inside a trial
    const last = await startCli(home, ['optimize', job, '--json']).exited;
    expect(last.code, last.stderr).toBe(0);
    expect(lastJson(last.stdout)).toMatchObject({ status: 'succeeded', stop_reason: 'n_trials', trials_finished: 90, stopped_short: null });
    const rows = readTrials(db, 'rsi-cut');
    expect(rows).toEqual(reference);
    expect(integrity(db)).toBe('ok');
  }, 240_000);

  it('n_jobs 2: killed four times, the study still reaches its n_trials and exits 0', async () => {
    const home = join(dir, 'pool');
    const db = join(home, 'tradelab.db');
    const job = jobFile(dir, 'rsi-pool', { strategy: 'rsi_reversion', n_trials: 80, n_jobs: 2, seed: 9 });
    let lastRunning: number[] = [];
    for (const [i, at] of [10, 25, 40, 55].entries()) {
      lastRunning = await interrupt(home, job, 'rsi-pool', at, i === 1 ? 'SIGINT' : 'SIGKILL', 2);
    }
    const last = await startCli(home, ['optimize', job, '--json']).exited;
    expect(last.code, last.stderr).toBe(0);
    const s = lastJson(last.stdout);
    expect(s).toMatchObject({ status: 'succeeded', stop_reason: 'n_trials', trials_finished: 80, trials_total: 80, stopped_short: null });
    expect(s.interrupted_trials_requeued).toEqual(lastRunning);
    const rows = readTrials(db, 'rsi-pool');
    expect(rows.map((t) => t.number)).toEqual(rows.map((_, i) => i));
    expect(finished(rows)).toHaveLength(80);
    expect(integrity(db)).toBe('ok');
  }, 240_000);
});
