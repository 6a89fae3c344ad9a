/**
 * The human output of `tradelab analyze` and `tradelab backtest` through the built CLI: the
 * analysis as readable sections whose figures are the JSON's, within 100 columns; counts as
 * integers; trade times as ISO-8601 UTC, never epoch milliseconds.
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
let optRun: string;

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tradelab.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: home }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const EPOCH_MS = /\b1[5-9]\d{11}\b/;
const SECTIONS = ['Overview', 'Trades', 'Drawdowns', 'Returns', 'Risk', 'Benchmark (buy & hold)', 'Long / short', 'Calendar'];
const DEEP = ['Sharpe inference', 'Deflated Sharpe ratio (DSR)', 'Probability of backtest overfitting (PBO)', 'Monte Carlo', 'Cost sensitivity'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-analyze-text-'));
  home = join(dir, 'home');
  const app = openApp({ home, config: {} });
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'ANTX', timeframe: '1h', bars: 3000, seed: 11, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
  app.db.close();
  const job = join(dir, 'job.yaml');
  const space = { fast: { type: 'int', low: 5, high: 15 }, slow: { type: 'int', low: 20, high: 60, step: 10 } };
  writeFileSync(job, JSON.stringify({ strategy_optimization_tasks: [{ symbol: 'ANTX', timeframe: '1h', study_name: 'antx', strategy: 'sma_cross', space, sampler: 'random', pruner: 'none', n_trials: 8, seed: 3, execution: { commission: 0.001 } }] }));
  const r = cli(['optimize', job, '--json']);
  expect(r.code, r.stderr).toBe(0);
  optRun = (JSON.parse(r.stdout) as { run_id: string }).run_id;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tradelab analyze (text)', () => {
  it('depth deep: every section in order, with the figures of --json, within 100 columns', () => {
    const args = ['analyze', optRun, '--depth', 'deep', '--mc-paths', '200', '--seed', '7'];
    const r = cli(args);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(cli([...args, '--json']).stdout) as Record<string, Record<string, unknown>>;
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Analysis (depth deep) of optimize ${optRun} (best trial run ${String(j.subject.analyzed_run_id)})`);
    const titles = lines.filter((l, i) => i > 0 && lines[i - 1] === '' && /^\S/.test(l));
    expect(titles.slice(0, SECTIONS.length + DEEP.length + 1)).toEqual([...SECTIONS, ...DEEP, 'Verdict']);
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(100);
    expect(r.stdout).not.toMatch(EPOCH_MS);
    const dsr = j.dsr as { n: number; dsr: number };
    expect(r.stdout).toMatch(new RegExp(`^ {2}DSR +${dsr.dsr.toFixed(3)} +N \\(configurations\\) +${dsr.n}$`, 'm'));
    expect(r.stdout).toMatch(/^ {2}N: \d+ distinct configuration\(s\) \(strategy \+ params\) on ANTX 1h/m);
    const pbo = j.pbo as { pbo: number };
    expect(r.stdout).toMatch(new RegExp(`^ {2}PBO +${pbo.pbo.toFixed(3)}\\b`, 'm'));
    const mc = j.monte_carlo as { trade_bootstrap: { final_return: { p05: number; p50: number; p95: number } }; risk_of_ruin: { trade_bootstrap: number } };
    const q = mc.trade_bootstrap.final_return;
    const pc = (x: number): string => `${(100 * x).toFixed(2)} %`;
    expect(r.stdout).toMatch(new RegExp(`^ {2}final return +trades +\\S+ % +${pc(q.p05)} +${pc(q.p50)} +${pc(q.p95)}$`, 'm'));
    expect(r.stdout).toContain(`risk of ruin (drawdown past -50 %): trades ${(100 * mc.risk_of_ruin.trade_bootstrap).toFixed(1)} %`);
    const be = (j.cost_sensitivity as { break_even: { status: string; cost_per_side_bps: number } }).break_even;
    if (be.status === 'found') expect(r.stdout).toContain(`break-even: ${be.cost_per_side_bps.toFixed(2)} bps per side`);
    else expect(r.stdout).toContain(`break-even: ${be.status}`);
    const v = j.verdict as { verdict: string; reasons: { level: string; message: string }[] };
    const verdict = lines.slice(lines.indexOf('Verdict'));
    expect(verdict[1]).toBe(`  ${v.verdict.toUpperCase()}`);
    for (const reason of v.reasons) expect(verdict.some((l) => l.startsWith(`  ${reason.level.padEnd(7)}`) && l.includes(reason.message.slice(0, 20)))).toBe(true);
    // counts as integers
    const ov = j.overview as { bars: number; closed_trades: number };
    expect(r.stdout).toMatch(new RegExp(`^ {2}bars +${ov.bars} `, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^ {2}closed trades +${ov.closed_trades} `, 'm'));
  });

  it('depth advanced has no deep section; --json is the analysis data', () => {
    const r = cli(['analyze', optRun, '--depth', 'advanced']);
    expect(r.code, r.stderr).toBe(0);
    for (const s of SECTIONS) expect(r.stdout).toMatch(new RegExp(`^${s.replace(/[()/]/g, '\\$&')}$`, 'm'));
    for (const s of DEEP) expect(r.stdout).not.toContain(s);
    expect(r.stdout).toMatch(/^ {2}year +Jan +Feb +Mar/m);
    const j = JSON.parse(cli(['analyze', optRun, '--depth', 'advanced', '--json']).stdout) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['subject', 'overview', 'trades', 'drawdowns', 'returns', 'risk', 'benchmark', 'breakdown', 'verdict']));
  });
});

describe('tradelab backtest (text)', () => {
  it('prints counts as integers and the last trades with ISO-8601 UTC times', () => {
    const args = ['backtest', '--strategy', 'sma_cross', '--symbol', 'ANTX', '--timeframe', '1h', '--params', '{"fast":10,"slow":30}'];
    const r = cli([...args, '--trades', '3']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(cli([...args, '--json']).stdout) as { metrics: { trades: number }; trades: { entry_time: number; exit_time: number }[] };
    expect(r.stdout).toMatch(new RegExp(`^ {2}trades +${j.metrics.trades}$`, 'm'));
    expect(r.stdout).toMatch(/^ {2}open_trades +\d+$/m);
    expect(r.stdout).toMatch(/^ {2}periods_per_year +\d+$/m);
    expect(r.stdout).not.toMatch(EPOCH_MS);
    expect(r.stdout).toContain(`trades (the last 3 of ${j.trades.length}; --trades N for more):`);
    const rows = r.stdout.split('\n').filter((l) => /^ +\d+ {2}(long|short) /.test(l));
    expect(rows).toHaveLength(3);
    const last = j.trades[j.trades.length - 1];
    const iso = (ms: number): string => new Date(ms).toISOString().replace(':00.000Z', 'Z');
    expect(rows[2]).toMatch(new RegExp(`^ +${j.trades.length} {2}\\S+ +${iso(last.entry_time)} +${iso(last.exit_time)} `));
    // --json keeps epoch milliseconds, as documented
    expect(typeof last.entry_time).toBe('number');
    expect(cli([...args, '--trades', '0']).stdout).not.toContain('trades (');
  });
});
