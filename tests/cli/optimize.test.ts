/**
 * `tradelab optimize` and `tradelab summarize` through the built CLI (bin/tradelab.js → dist/),
 * in a temporary TRADELAB_HOME holding one small synthetic dataset.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp } from '../../src/research/app.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { CONSTRAINED_FAIL_REASON, CONSTRAINED_ORDER, storeConstrainedStudy } from '../helpers/studies.js';
import { sqliteOf } from '../helpers/sqlite.js';

let dir: string;
let home: string;

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tradelab.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: home }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Writes a one-task job file and returns its path. */
function job(name: string, task: Record<string, unknown>): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, JSON.stringify({ strategy_optimization_tasks: [{ symbol: 'CLIX', timeframe: '1h', study_name: name, seed: 1, ...task }] }));
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-optimize-cli-'));
  home = join(dir, 'home');
  const app = openApp({ home, config: {} });
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'CLIX', timeframe: '1h', bars: 1500, seed: 5, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
  await storeConstrainedStudy(sqliteOf(app), 'cli-constrained', { symbol: 'CLIX', timeframe: '1h' });
  app.db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tradelab optimize', () => {
  it('exits 1 when every trial of a study failed, printing the most common reason', () => {
    const space = { period: { type: 'int', low: 10, high: 20 }, lower: { type: 'int', low: 1, high: 1 }, upper: { type: 'int', low: 99, high: 99 } };
    const file = job('cli-allfail', { strategy: 'rsi_reversion', space, sampler: 'random', n_trials: 4 });
    const r = cli(['optimize', file]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/FAILED: all 4 trials failed; most common reason \(4 of 4\): objective sharpe is null/);
    const again = cli(['optimize', file, '--json']);
    expect(again.code).toBe(1);
    const s = JSON.parse(again.stdout) as { status: string; failure: { failed: number } };
    expect(s.status).toBe('failed');
    expect(s.failure.failed).toBe(4);
  });

  it('exits 0 for a study with complete trials', () => {
    const r = cli(['optimize', job('cli-ok', { strategy: 'sma_cross', sampler: 'random', n_trials: 4 }), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { status: string }).status).toBe('succeeded');
  });

  it('exits 3 for a study that stopped short of its n_trials (only repeats left), and says so; a finished grid is not short', () => {
    const space = { fast: { type: 'int', low: 5, high: 6 }, slow: { type: 'categorical', choices: [30] } };
    const r = cli(['optimize', job('cli-short', { strategy: 'sma_cross', space, sampler: 'random', n_trials: 60 })]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/stopped by exhausted \(20 proposals in a row .*\); stopped short of n_trials: \d+ of 60 trials finished \(a rerun resumes\)/);
    const j = JSON.parse(cli(['optimize', job('cli-short-json', { strategy: 'sma_cross', space, sampler: 'random', n_trials: 60 }), '--json']).stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ status: 'succeeded', stop_reason: 'exhausted', stopped_short: { finished: j.trials_finished, target: 60 } });
    expect(j.trials_finished as number).toBeLessThan(60);
    expect(cli(['summarize', 'cli-short']).stdout).toMatch(/last run stopped by exhausted \(.*\), short of n_trials: \d+ of 60 trials finished/);
    const grid = cli(['optimize', job('cli-grid-done', { strategy: 'sma_cross', space, sampler: 'grid', n_trials: 60 }), '--json']);
    expect(grid.code, grid.stderr).toBe(0);
    expect(JSON.parse(grid.stdout)).toMatchObject({ stop_reason: 'exhausted', stopped_short: null, trials_finished: 2 });
  });
});

describe('tradelab optimize progress', () => {
  it('counts one way for a resumed study: finished trials of the study / n_trials, "resumed at N" said once', () => {
    const first = cli(['optimize', job('cli-resume', { strategy: 'sma_cross', sampler: 'random', n_trials: 6 })]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toMatch(/resumed/);
    expect(first.stderr).toMatch(/^cli-resume \[#{24}\] 6\/6 best -?\d+\.\d{4} ETA done/m);
    const r = cli(['optimize', job('cli-resume', { strategy: 'sma_cross', sampler: 'random', n_trials: 10 })]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/resumed/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/^cli-resume: study cli-resume resumed at 6 of 10 finished trials$/m);
    const counts = [...r.stderr.matchAll(/(\d+)\/(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(counts.length).toBeGreaterThan(1);
    // one count: every x/y is of the study's 10 trials, from where it resumed to the end
    for (const [done, total] of counts) {
      expect(total).toBe(10);
      expect(done).toBeGreaterThanOrEqual(6);
    }
    expect(counts.at(-1)).toEqual([10, 10]);
    expect(r.stdout).toMatch(/10 of 10 trials finished \(resumed at 6, 4 this run\); 10 COMPLETE/);
  });
});

describe('tradelab summarize', () => {
  it('ranks distinct configurations feasible first, and says which were repeated or infeasible', () => {
    const j = cli(['summarize', 'cli-constrained', '--json']);
    expect(j.code, j.stderr).toBe(0);
    const s = JSON.parse(j.stdout) as { top: { number: number; copies: number; feasible: boolean }[]; top_duplicates_collapsed: number; fail_reasons: { reason: string; count: number }[] };
    expect(s.top.map((t) => t.number)).toEqual(CONSTRAINED_ORDER);
    expect(s.top_duplicates_collapsed).toBe(1);
    expect(s.fail_reasons).toEqual([{ reason: CONSTRAINED_FAIL_REASON, count: 1, trials: [5] }]);
    const r = cli(['summarize', 'cli-constrained', '--top', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/5 COMPLETE, 1 FAIL; 4 distinct complete configuration\(s\)/);
    expect(r.stdout).toMatch(/1 trial\(s\) failed: objective sharpe is null/);
    expect(r.stdout).toMatch(/top 3 distinct configurations \(1 repeated trial\(s\) collapsed\), feasible first:/);
    const rows = r.stdout.split('\n').filter((l) => /^\s+#\d/.test(l));
    expect(rows.map((l) => Number(/#(\d+)/.exec(l)![1]))).toEqual(CONSTRAINED_ORDER.slice(0, 3));
    expect(rows[0]).toMatch(/\(×2\)$/);
    expect(rows[2]).toMatch(/\(infeasible\)$/);
  });

  it('says how the last run stopped', () => {
    const space = { fast: { type: 'int', low: 5, high: 6 }, slow: { type: 'categorical', choices: [30, 40] } };
    expect(cli(['optimize', job('cli-grid', { strategy: 'sma_cross', space, sampler: 'grid', n_trials: 50 })]).code).toBe(0);
    const r = cli(['summarize', 'cli-grid']);
    expect(r.stdout).toMatch(/last run stopped by exhausted \(the sampler has no point left to propose/);
  });
});
