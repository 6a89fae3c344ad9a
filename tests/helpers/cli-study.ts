/**
 * Driving the real CLI (bin/tradelab.js → dist/, built by `npm test`'s tsc step) in child
 * processes against a temporary store, and reading a study's trials straight from its file.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT as REPO_ROOT } from '../../src/paths.js';

export const CLI = join(REPO_ROOT, 'bin', 'tradelab.js');

export interface TrialRow {
  readonly number: number;
  readonly state: string;
  /** The params as stored (Optuna's internal value per name, in name order). */
  readonly params: string;
  readonly value: number | null;
}

/** The trials of `study` in the store at `dbFile`, by number ([] before the store or study exists). */
export function readTrials(dbFile: string, study: string): TrialRow[] {
  let db: Database.Database;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
  } catch {
    return [];
  }
  try {
    db.pragma('busy_timeout = 5000');
    return db
      .prepare(
        `SELECT t.number, t.state, v.value,
           (SELECT group_concat(p.param_name || '=' || p.param_value, ';') FROM (SELECT * FROM trial_params p WHERE p.trial_id = t.trial_id ORDER BY p.param_name) p) AS params
         FROM trials t JOIN studies s ON s.study_id = t.study_id AND s.study_name = ?
         LEFT JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
         ORDER BY t.number`,
      )
      .all(study) as TrialRow[];
  } catch {
    return []; // tables not created yet
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` of the store ('ok' when sound). */
export function integrity(dbFile: string): string {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** Writes a job file with one optimisation task on the demo dataset and returns its path. */
export function jobFile(dir: string, name: string, task: Record<string, unknown>): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, JSON.stringify({ strategy_optimization_tasks: [{ task_name: name, study_name: name, symbol: 'DEMO-BTC', timeframe: '1h', ...task }] }));
  return file;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the CLI with TRADELAB_HOME = home; `exited` resolves with its exit code or signal and output. */
export function startCli(home: string, args: readonly string[]): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, TRADELAB_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited };
}

/** Polls `ready` every 20 ms until it holds (or `ms` passed: then throws, naming `what`). */
export async function waitUntil(ready: () => boolean, what: string, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!ready()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The last line of a `--json` run's stdout, parsed. */
export function lastJson(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trim().split('\n').pop() as string) as Record<string, unknown>;
}
