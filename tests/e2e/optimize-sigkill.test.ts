/**
 * Kill -9 in the middle of a study: no finished trial is lost, the interrupted trial is
 * marked FAIL, and the rerun continues the numbering and runs exactly the remaining trials.
 * Drives the real CLI (dist/, built by `npm test`'s tsc step) in a child process.
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared-data.js';

const home = mkdtempSync(join(tmpdir(), 'tradelab-kill-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const N_TRIALS = 1500;
const job = join(home, 'job.yaml');
writeFileSync(
  job,
  `strategy_optimization_tasks:
  - task_name: kill
    study_name: kill-test
    strategy: rsi_reversion
    symbol: DEMO-BTC
    timeframe: 1h
    sampler: random
    n_trials: ${N_TRIALS}
    seed: 5
`,
);
const cli = join(REPO_ROOT, 'bin', 'tradelab.js');
const env = { ...process.env, TRADELAB_HOME: home };

interface Row {
  number: number;
  state: string;
  value: number | null;
  interrupted: string | null;
}

function trials(): Row[] {
  let db: Database.Database;
  try {
    db = new Database(join(home, 'tradelab.db'), { readonly: true, fileMustExist: true });
  } catch {
    return []; // not created yet
  }
  try {
    return db
      .prepare(
        `SELECT t.number, t.state, v.value, a.value_json AS interrupted FROM trials t
         JOIN studies s ON s.study_id = t.study_id AND s.study_name = 'kill-test'
         LEFT JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
         LEFT JOIN trial_system_attributes a ON a.trial_id = t.trial_id AND a.key = 'interrupted'
         ORDER BY t.number`,
      )
      .all() as Row[];
  } catch {
    return [];
  } finally {
    db.close();
  }
}

describe('SIGKILL mid-study, then resume', () => {
  it('loses no finished trial and continues the numbering', async () => {
    const child = spawn(process.execPath, [cli, 'optimize', job, '--json'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, sig) => res(sig)));
    let before: Row[] = [];
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 50));
      before = trials();
      if (before.filter((t) => t.state !== 'RUNNING').length >= 50) break;
    }
    child.kill('SIGKILL');
    expect(await exited, stderr).toBe('SIGKILL');
    before = trials();
    const finished = before.filter((t) => t.state !== 'RUNNING');
    expect(finished.length).toBeGreaterThanOrEqual(50);
    expect(finished.length).toBeLessThan(N_TRIALS);

    const again = spawnSync(process.execPath, [cli, 'optimize', job, '--json'], { env, encoding: 'utf8', timeout: 120_000 });
    expect(again.status, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout.trim().split('\n').pop() as string) as { resumed: boolean; interrupted_trials_marked_failed: number[]; trials_total: number };
    expect(summary.resumed).toBe(true);

    const after = trials();
    // every trial finished before the kill is still there, unchanged
    for (const t of finished) expect(after[t.number]).toEqual(t);
    // trials RUNNING at the kill are now FAIL, marked interrupted
    const wasRunning = before.filter((t) => t.state === 'RUNNING').map((t) => t.number);
    expect(summary.interrupted_trials_marked_failed).toEqual(wasRunning);
    for (const n of wasRunning) {
      expect(after[n].state).toBe('FAIL');
      expect(after[n].interrupted).toBe('true');
    }
    // numbering continues without gaps, and exactly the remaining trials were run
    expect(after.map((t) => t.number)).toEqual(after.map((_, i) => i));
    expect(after.length).toBe(before.length + (N_TRIALS - finished.length));
    expect(after.filter((t) => t.interrupted === null).length).toBe(N_TRIALS);
    expect(after.every((t) => t.state !== 'RUNNING')).toBe(true);
  }, 120_000);
});
