/** `tradelab check-bias` through the built CLI (bin/tradelab.js → dist/): reports and exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candles } from '../../src/engine/data/candles.js';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp } from '../../src/research/app.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

let dir: string;
let home: string;
const candles = generateSynthetic({ symbol: 'CB', timeframe: '1h', bars: 1500, seed: 21, start: Date.UTC(2024, 0, 1) });

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tradelab.js'), 'check-bias', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: home }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function csvOf(c: Candles, bars = c.time.length): string {
  const rows = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < bars; i++) rows.push([new Date(c.time[i]).toISOString(), c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]].join(','));
  return `${rows.join('\n')}\n`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-check-bias-'));
  home = join(dir, 'home');
  writeFileSync(join(dir, 'cb.csv'), csvOf(candles));
  writeFileSync(join(dir, 'short.csv'), csvOf(candles, 40));
  const app = openApp({ home, config: {} });
  insertDataset(app.db, { candles, source: 'test', isSynthetic: true, now: 1 });
  app.db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tradelab check-bias', () => {
  it('exit 0 on a clean strategy from a CSV file, with the report in words', () => {
    const r = cli(['--strategy', 'sma_cross', '--csv', join(dir, 'cb.csv')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^check_bias sma_cross \{"fast":10,"slow":30,"direction":"long_only"\} on .*cb\.csv \(1h, not stored\), 1500 bars: verdict ok\./);
    expect(r.stdout).toMatch(/Look-ahead passed: 8 cuts × 3 runs/);
    expect(r.stdout).toMatch(/Warm-up passed: declared 29 bars/);
  });

  it('exit 1 when bias is found; --json gives the whole report; the warm-up it names passes', () => {
    const args = ['--strategy', 'rsi_reversion', '--symbol', 'CB', '--timeframe', '1h', '--params', '{"period":10}', '--starts', '10'];
    const r = cli([...args, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout) as { verdict: string; dataset: { symbol: string }; warmup: { declared: number; needed: number }; first_offense: { check: string; rule: string } };
    expect(j.verdict).toBe('warmup_unstable');
    expect(j.dataset.symbol).toBe('CB');
    expect(j.warmup.declared).toBe(10);
    expect(j.warmup.needed).toBeGreaterThan(10);
    expect(j.first_offense.check).toBe('warmup');
    const words = cli(args);
    expect(words.code).toBe(1);
    expect(words.stdout).toMatch(new RegExp(`Warm-up failed: declared 10 bars, needed ${j.warmup.needed} `));
    expect(words.stdout).toMatch(/\n- warm-up bar \d+ \(.*\): (long|short)_(entry|exit) [01] became [01] with the data started at bar \d+/);
    expect(cli([...args, '--warmup', String(j.warmup.needed)]).code).toBe(0);
  });

  it('exit 3 when the data is too short to check anything; exit 2 on bad input, naming the flag', () => {
    const short = cli(['--strategy', 'confidence', '--csv', join(dir, 'short.csv')]);
    expect(short.code, short.stderr).toBe(3);
    expect(short.stdout).toMatch(/verdict inconclusive/);
    const flag = cli(['--strategy', 'sma_cross', '--csv', join(dir, 'cb.csv'), '--cut', '3']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown flag --cut; did you mean --cuts\?/);
    const cuts = cli(['--strategy', 'sma_cross', '--csv', join(dir, 'cb.csv'), '--cuts', '0']);
    expect(cuts.code).toBe(2);
    expect(cuts.stderr).toMatch(/cuts must be an integer from 1 to 32/);
    const name = cli(['--strategy', 'sma_crosss', '--csv', join(dir, 'cb.csv')]);
    expect(name.code).toBe(2);
    expect(name.stderr).toMatch(/did you mean sma_cross/);
    expect(cli(['--csv', join(dir, 'cb.csv')]).stderr).toMatch(/--strategy is required/);
  });
});
