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

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-optimize-cli-'));
  home = join(dir, 'home');
  const app = openApp({ home, config: {} });
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'CLIX', timeframe: '1h', bars: 1500, seed: 5, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
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
});
