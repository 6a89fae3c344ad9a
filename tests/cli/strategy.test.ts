/**
 * `tradelab strategy validate|import|show|list` through the built CLI (bin/tradelab.js →
 * dist/), and a stored language strategy used by name from `tradelab backtest --csv`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

let dir: string;
let home: string;

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tradelab.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: home }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-strategy-cli-'));
  home = join(dir, 'home');
  const c = generateSynthetic({ symbol: 'SC', timeframe: '1h', bars: 3000, seed: 8, start: Date.UTC(2024, 0, 1) });
  const rows = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < c.time.length; i++) rows.push([new Date(c.time[i]).toISOString(), c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]].join(','));
  writeFileSync(join(dir, 'sc.csv'), `${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'bad.yaml'), 'name: bad_one\nparams:\n  p: { type: int, default: 5, low: 2, high: 10 }\nrules:\n  long_entry: close > sma(close, q)\n  long_exit: close[-1] < open\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILE = join(REPO_ROOT, 'config', 'strategies', 'sma_cross_lang.yaml');

describe('tradelab strategy', () => {
  it('validate: exit 1 with every error located, nothing stored; exit 0 on a good file', () => {
    const bad = cli(['strategy', 'validate', join(dir, 'bad.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.yaml: 2 error\(s\), not stored/);
    expect(bad.stderr).toMatch(/rules\.long_entry, line 1, column 20, document line 5 at "q": unknown name "q"; did you mean "p"\?/);
    expect(bad.stderr).toMatch(/rules\.long_exit, .*document line 6 at "-1": .*future/);
    const good = cli(['strategy', 'validate', FILE, '--skip-bias']);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/sma_cross_lang\.yaml: valid, hash [0-9a-f]{12}, warm-up 29 bars, bias check not run/);
    expect(JSON.parse(cli(['strategy', 'list', '--json']).stdout).filter((s: { source: string }) => s.source === 'user')).toEqual([]);
  });

  it('import stores a version (the same file again is unchanged); list and show find it', () => {
    const first = cli(['strategy', 'import', FILE]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/stored as sma_cross_lang v1, hash [0-9a-f]{12}, warm-up 29 bars, bias check ok on DEMO-BTC 1h/);
    const again = cli(['strategy', 'import', FILE, '--skip-bias']);
    expect(again.stdout).toMatch(/unchanged \(sma_cross_lang v1\)/);
    const list = JSON.parse(cli(['strategy', 'list', '--json']).stdout) as { name: string; source: string; version?: number }[];
    expect(list.filter((s) => s.source === 'user')).toMatchObject([{ name: 'sma_cross_lang', version: 1 }]);
    expect(list.filter((s) => s.source === 'built-in').map((s) => s.name)).toContain('sma_cross');
    const show = cli(['strategy', 'show', 'sma_cross_lang']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(readFileSync(FILE, 'utf8').trim());
    const missing = cli(['strategy', 'show', 'sma_cros_lang']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no stored strategy named "sma_cros_lang".*sma_cross_lang/s);
  });

  it('backtest --csv --strategy NAME runs the stored definition, with the built-in sma_cross’s exact metrics', () => {
    const csv = join(dir, 'sc.csv');
    const lang = cli(['backtest', '--csv', csv, '--strategy', 'sma_cross_lang', '--params', '{"fast":12,"slow":40}', '--json']);
    const builtIn = cli(['backtest', '--csv', csv, '--strategy', 'sma_cross', '--params', '{"fast":12,"slow":40}', '--json']);
    expect(lang.code, lang.stderr).toBe(0);
    const a = JSON.parse(lang.stdout) as { metrics: { trades: number } };
    expect(a.metrics.trades).toBeGreaterThan(5);
    expect(a.metrics).toEqual((JSON.parse(builtIn.stdout) as { metrics: unknown }).metrics);
    const unknown = cli(['backtest', '--csv', csv, '--strategy', 'sma_cross_lang2']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/sma_cross_lang2/);
  });
});
