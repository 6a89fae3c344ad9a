/**
 * SIGKILL and SIGINT resume cycles of the real `tradelab optimize`: after every stop the store
 * is sound, trial numbers are contiguous, nothing finished is lost or changed and no trial is
 * FAIL for having been stopped; with n_jobs 1 the finished study equals an uninterrupted run
 * with the same seed; with n_jobs 2 it reaches its n_trials and exits 0.
 */
import { join } from 'node:path';
import { createRng } from '../../src/engine/random.js';
import { integrity, jobFile, readTrials, startCli, waitUntil, type TrialRow } from '../../tests/helpers/cli-study.js';
import { Tally, tempHome, type Probe, type ProbeResult } from './probe.js';

const finished = (rows: readonly TrialRow[]): TrialRow[] => rows.filter((t) => t.state !== 'RUNNING' && t.state !== 'WAITING');
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

async function cycle(t: Tally, home: string, job: string, study: string, at: number, signal: NodeJS.Signals, jobs: number): Promise<void> {
  const db = join(home, 'tradelab.db');
  const before = readTrials(db, study);
  const { child, exited } = startCli(home, ['optimize', job, '--json']);
  await waitUntil(() => finished(readTrials(db, study)).length >= at, `${at} finished trials`, 120_000);
  child.kill(signal);
  const e = await exited;
  const where = `${signal} at ${at} (n_jobs ${jobs})`;
  t.check(signal === 'SIGKILL' ? e.signal === 'SIGKILL' : e.code === 130, () => `${where}: exit ${e.code ?? e.signal}: ${e.stderr.slice(-300)}`);
  const rows = readTrials(db, study);
  t.check(integrity(db) === 'ok', () => `${where}: integrity_check failed`);
  t.check(same(rows.map((r) => r.number), rows.map((_, i) => i)), () => `${where}: trial numbers not contiguous`);
  t.check(finished(before).every((r) => same(rows[r.number], r)), () => `${where}: a finished trial was lost or changed`);
  t.check(rows.every((r) => !(r.state === 'FAIL' && r.value !== null)), () => `${where}: a trial became FAIL for being stopped`);
}

export function killResumeProbe(cycles: number): Probe {
  return {
    name: 'kill-resume',
    what: `${cycles} SIGKILL/SIGINT cycles of tradelab optimize (n_jobs 1 and 2), invariants after each, reproducibility`,
    async run(): Promise<ProbeResult> {
      const t = new Tally('kill-resume');
      const h = tempHome('kill');
      const rng = createRng(16_009);
      try {
        const task = { strategy: 'rsi_reversion', n_trials: 80, seed: 21 };
        const whole = join(h.dir, 'whole');
        const ref = await startCli(whole, ['optimize', jobFile(h.dir, 'whole', task), '--json']).exited;
        t.check(ref.code === 0, () => `uninterrupted run exited ${ref.code}: ${ref.stderr.slice(-300)}`);
        const reference = readTrials(join(whole, 'tradelab.db'), 'whole');
        const home = join(h.dir, 'cut');
        const job = jobFile(h.dir, 'cut', task);
        const half = Math.ceil(cycles / 2);
        let at = 0;
        for (let k = 0; k < half; k++) {
          at += 2 + rng.int(0, Math.floor(60 / half));
          await cycle(t, home, job, 'cut', Math.min(at, 75), rng.next() < 0.65 ? 'SIGKILL' : 'SIGINT', 1);
        }
        const last = await startCli(home, ['optimize', job, '--json']).exited;
        t.check(last.code === 0, () => `final run exited ${last.code}: ${last.stderr.slice(-300)}`);
        t.check(same(readTrials(join(home, 'tradelab.db'), 'cut'), reference), () => 'n_jobs 1: the resumed study differs from the uninterrupted one');

        const pool = join(h.dir, 'pool');
        const job2 = jobFile(h.dir, 'pool', { strategy: 'rsi_reversion', n_trials: 150, n_jobs: 2, seed: 22 });
        at = 0;
        for (let k = 0; k < cycles - half; k++) {
          at += 4 + rng.int(0, Math.floor(120 / (cycles - half)));
          await cycle(t, pool, job2, 'pool', Math.min(at, 140), rng.next() < 0.8 ? 'SIGKILL' : 'SIGINT', 2);
        }
        const end = await startCli(pool, ['optimize', job2, '--json']).exited;
        t.check(end.code === 0, () => `n_jobs 2 final run exited ${end.code}: ${end.stderr.slice(-300)}`);
        t.check(finished(readTrials(join(pool, 'tradelab.db'), 'pool')).length === 150, () => 'n_jobs 2: the study did not reach its 150 trials');
      } finally {
        h.remove();
      }
      return t.result(`${cycles} interruptions; every stop checked for integrity, contiguous numbers, no lost or stop-FAILed trial; n_jobs 1 resumed = uninterrupted`);
    },
  };
}
