/** `tradelab gc` through the built CLI (bin/tradelab.js → dist/), in a temporary TRADELAB_HOME. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp } from '../../src/research/app.js';
import { backtest } from '../../src/research/backtest.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { sqliteOf } from '../helpers/sqlite.js';

let dir: string;
let home: string;

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tradelab.js'), 'gc', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: home }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function runIds(): string[] {
  const app = openApp({ home, config: {} });
  try {
    return (sqliteOf(app).prepare('SELECT id FROM runs ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  } finally {
    app.db.close();
  }
}

let recent: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-gc-cli-'));
  home = join(dir, 'home');
  const longAgo = Date.now() - 400 * 86_400_000;
  const old = openApp({ home, config: {}, now: () => longAgo });
  insertDataset(old.db, { candles: generateSynthetic({ symbol: 'GCX', timeframe: '1h', bars: 1_000, seed: 3, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
  for (const fast of [5, 6]) backtest(old, { strategy: 'sma_cross', params: { fast, slow: 40 }, symbol: 'GCX', timeframe: '1h' });
  old.db.close();
  const now = openApp({ home, config: {} });
  recent = backtest(now, { strategy: 'sma_cross', params: { fast: 7, slow: 40 }, symbol: 'GCX', timeframe: '1h' }).run_id as string;
  now.db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tradelab gc', () => {
  it('is a dry run without --confirm: reports what it would remove and removes nothing', () => {
    const before = runIds();
    const r = cli(['--keep-runs', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/dry run \(add --confirm to apply\); policy keep_days 90, keep_runs 1, cache_days 90/);
    expect(r.stdout).toMatch(/would remove 2 run\(s\) in 2 tree\(s\) \(backtest 2\)/);
    expect(r.stdout).toMatch(/never removed: studies and their trials, the trial ledger, champions, datasets/);
    const j = JSON.parse(cli(['--keep-runs', '1', '--json']).stdout) as { dry_run: boolean; runs: { remove_runs: number }; remove_first: string[] };
    expect(j).toMatchObject({ dry_run: true, runs: { remove_runs: 2 } });
    expect(j.remove_first).not.toContain(recent);
    expect(runIds()).toEqual(before);
  });

  it('refuses bad flags with exit code 2, naming the flag', () => {
    const neg = cli(['--keep-days=-1']);
    expect(neg.code).toBe(2);
    expect(neg.stderr).toMatch(/--keep-days must be a number ≥ 0/);
    const typo = cli(['--keep-day', '3']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown flag --keep-day; did you mean --keep-days\?/);
    const frac = cli(['--keep-runs', '1.5']);
    expect(frac.code).toBe(2);
    expect(frac.stderr).toMatch(/--keep-runs must be a whole number ≥ 0/);
  });

  it('removes with --confirm and gives the space back with --vacuum', () => {
    const r = cli(['--confirm', '--vacuum', '--keep-runs', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/removed 2 run\(s\) in 2 tree\(s\)/);
    expect(r.stdout).toMatch(/vacuum \(incremental\): \d+ → \d+ pages/);
    expect(runIds()).toEqual([recent]);
  });
});
