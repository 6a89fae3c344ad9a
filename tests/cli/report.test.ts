/**
 * `tradelab report` through the built CLI: one self-contained HTML file per run, study or
 * champion key (every chart id present, no external URL), `--png CHART`, and clear errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp } from '../../src/research/app.js';
import { backtest } from '../../src/research/backtest.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

let dir: string;
let home: string;
let runId: string;

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tradelab.js'), 'report', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: home }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-report-cli-'));
  home = join(dir, 'home');
  const app = openApp({ home, config: {} });
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'RP', timeframe: '1h', bars: 2500, seed: 4, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
  runId = backtest(app, { strategy: 'sma_cross', symbol: 'RP', timeframe: '1h', params: { fast: 10, slow: 30 } }).run_id as string;
  app.db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tradelab report', () => {
  it('writes one self-contained HTML file with every chart, the metrics and no external URL', () => {
    const r = cli([runId, '--out', join(dir, 'bt.html')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/bt\.html: Backtest .* 4 chart\(s\) \(price, equity, drawdown, exposure\)/);
    const html = readFileSync(join(dir, 'bt.html'), 'utf8');
    for (const id of ['price', 'equity', 'drawdown', 'exposure']) expect(html).toContain(`data-chart-id="${id}"`);
    expect(html).toContain('Sharpe');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
    // --deep adds the analysis charts
    const deep = cli([runId, '--deep', '--out', join(dir, 'deep.html')]);
    expect(deep.code, deep.stderr).toBe(0);
    expect(deep.stdout).toMatch(/mc_fan/);
    expect(deep.stdout).toMatch(/monthly/);
  });

  it('--png CHART writes a PNG; unknown ids are clear errors (exit 2)', () => {
    const r = cli([runId, '--png', 'drawdown', '--out', join(dir, 'dd.png')]);
    expect(r.code, r.stderr).toBe(0);
    const p = PNG.sync.read(readFileSync(join(dir, 'dd.png')));
    expect(p.width).toBeGreaterThan(300);
    const bad = cli([runId, '--png', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no chart "nope"/);
    const missing = cli(['bt_missing']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no run or study named "bt_missing"/);
  });
});
