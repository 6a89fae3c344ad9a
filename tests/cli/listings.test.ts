/**
 * `tradelab runs`, `tradelab studies`, `tradelab summarize` without a name, and the trial
 * filters and CSV export of `tradelab summarize STUDY`, through the built CLI in a temporary
 * TRADELAB_HOME: one hand-made study with known metrics and one real optimize run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { Study } from '../../src/engine/optimizer/study.js';
import { openApp } from '../../src/research/app.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { SqliteStudyStore } from '../../src/storage/study-store.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { parseCsv } from '../helpers/csv.js';
import { sqliteOf } from '../helpers/sqlite.js';

let dir: string;
let home: string;

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tradelab.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: home }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const FAIL_REASON = 'objective "sharpe" is null, no trades\nsecond line';
/** number → fast, mode, value, trades, return %, max drawdown % (null: a FAIL trial). */
const TRIALS: readonly ([number, string, number, number, number, number] | null)[] = [
  [5, 'a,b', 1.0, 50, 10, -15],
  [6, 'a,b', 2.0, 10, 20, -30],
  [7, 'c', 0.5, 40, -5, -10],
  [5, 'a,b', 1.0, 50, 10, -15], // #0 again
  null,
  [8, 'c', 3.0, 60, 30, -45],
];

async function storeStudy(): Promise<void> {
  const app = openApp({ home, config: {} });
  let now = Date.UTC(2024, 0, 1);
  const study = await Study.open({
    store: new SqliteStudyStore(sqliteOf(app)),
    name: 'hand-metrics',
    directions: ['maximize'],
    space: { fast: { type: 'int', low: 5, high: 9 }, 'risk.mode': { type: 'categorical', choices: ['a,b', 'c'] } },
    seed: 0,
    clock: () => (now += 1000),
    user_attrs: { strategy: 'sma_cross', symbol: 'CLIX', timeframe: '1h' },
  });
  for (const t of TRIALS) {
    const asked = (await study.ask({ fast: t ? t[0] : 9, 'risk.mode': t ? t[1] : 'c' }))!;
    if (t === null) await study.tell(asked.number, { state: 'FAIL', reason: FAIL_REASON });
    else await study.tell(asked.number, { state: 'COMPLETE', values: [t[2]], user_attrs: { metrics: { trades: t[3], return_pct: t[4], max_drawdown_pct: t[5], sharpe: t[2] } } });
  }
  app.db.close();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-listings-'));
  home = join(dir, 'home');
  const app = openApp({ home, config: {} });
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'CLIX', timeframe: '1h', bars: 1500, seed: 5, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
  app.db.close();
  await storeStudy();
  const job = join(dir, 'job.yaml');
  writeFileSync(job, JSON.stringify({ strategy_optimization_tasks: [{ symbol: 'CLIX', timeframe: '1h', study_name: 'real-study', strategy: 'sma_cross', sampler: 'random', pruner: 'none', n_trials: 4, seed: 1 }] }));
  expect(cli(['optimize', job]).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tradelab studies', () => {
  it('lists every study, newest update first, with trials by state, the best value and direction', () => {
    const r = cli(['studies']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('2 studies, most recently updated first:');
    expect(lines[1]).toMatch(/^study\s+strategy\s+data\s+complete\s+failed\s+best\s+dir\s+updated$/);
    expect(lines[2]).toMatch(/^real-study\s+sma_cross\s+CLIX 1h\s+4\s+0\s+-?\d+\.\d{4} #\d\s+max\s+\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z$/);
    expect(lines[3]).toMatch(/^hand-metrics\s+sma_cross\s+CLIX 1h\s+5\s+1\s+3\.0000 #5\s+max\s+2024-01-01T00:00:\d\dZ$/);
    const j = JSON.parse(cli(['studies', '--json']).stdout) as { total: number; studies: Record<string, unknown>[] };
    expect(j.total).toBe(2);
    expect(j.studies[1]).toMatchObject({ study: 'hand-metrics', trials: 6, best_trial: 5, best_value: 3, directions: ['maximize'], counts: { COMPLETE: 5, FAIL: 1, PRUNED: 0 } });
  });

  it('summarize without a name lists the studies; filters without a name are refused', () => {
    expect(cli(['summarize']).stdout).toBe(cli(['studies']).stdout);
    const bad = cli(['summarize', '--best', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/trial filters and --export-csv need a study name/);
  });
});

describe('tradelab summarize STUDY filters', () => {
  const listed = (stdout: string): number[] => stdout.split('\n').filter((l) => /^ {4}#\d+ {2}/.test(l) && /%/.test(l)).map((l) => Number(/#(\d+)/.exec(l)![1]));

  it('--min-trades and --profitable keep the matching COMPLETE trials, best first', () => {
    const r = cli(['summarize', 'hand-metrics', '--min-trades', '30', '--profitable']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/trials with trades >= 30, return_pct > 0: 3 of 5 complete trial\(s\) match/);
    expect(listed(r.stdout)).toEqual([5, 0, 3]);
    expect(r.stdout).toMatch(/^ {4}#5\s+3\.0000\s+60\s+30\.00 %\s+-45\.00 %\s+3\.00\s+\{"fast":8,"risk":\{"mode":"c"\}\}$/m);
  });

  it('--best N keeps the best N distinct configurations; --max-drawdown bounds the depth', () => {
    const best = cli(['summarize', 'hand-metrics', '--best', '2', '--min-trades', '30']);
    expect(listed(best.stdout)).toEqual([5, 0]);
    expect(best.stdout).toMatch(/^ {4}#0\s+1\.0000\s+×2\s+50\b/m);
    const dd = JSON.parse(cli(['summarize', 'hand-metrics', '--max-drawdown', '20', '--json']).stdout) as { filtered: { matched: number; trials: { number: number }[] } };
    expect(dd.filtered.trials.map((t) => t.number)).toEqual([0, 3, 2]);
    expect(dd.filtered.matched).toBe(3);
    const negative = JSON.parse(cli(['summarize', 'hand-metrics', '--max-drawdown=-20', '--json']).stdout) as typeof dd;
    expect(negative.filtered).toEqual(dd.filtered);
  });

  it('--export-csv writes every trial as an RFC 4180 table (params by dotted path, metrics, fail_reason)', () => {
    const file = join(dir, 'trials.csv');
    const r = cli(['summarize', 'hand-metrics', '--export-csv', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote 6 trial\(s\) of study hand-metrics to /);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    const [head, ...body] = rows;
    expect(head).toEqual(['number', 'state', 'value', 'feasible', 'datetime_start', 'datetime_complete', 'params.fast', 'params.risk.mode', 'metrics.trades', 'metrics.return_pct', 'metrics.max_drawdown_pct', 'metrics.sharpe', 'fail_reason']);
    expect(body).toHaveLength(6);
    for (const row of body) expect(row).toHaveLength(head.length);
    const col = (name: string): string[] => body.map((row) => row[head.indexOf(name)]);
    expect(col('number')).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(col('params.risk.mode')).toEqual(['a,b', 'a,b', 'c', 'a,b', 'c', 'c']);
    expect(col('fail_reason')[4]).toBe(FAIL_REASON);
    expect(col('value')[4]).toBe('');
    expect(col('metrics.trades')).toEqual(['50', '10', '40', '50', '', '60']);
    expect(col('datetime_start')[0]).toMatch(/^2024-01-01T00:00:\d\d\.000Z$/);
    // filtered: only what the filters keep, best first
    const some = join(dir, 'best.csv');
    cli(['summarize', 'hand-metrics', '--best', '1', '--export-csv', some]);
    expect(parseCsv(readFileSync(some, 'utf8')).slice(1).map((row) => row[0])).toEqual(['5']);
  });
});

describe('tradelab runs', () => {
  it('lists stored runs newest first with dataset, ISO creation time and key figures; filters and limits', () => {
    const bt = cli(['backtest', '--strategy', 'sma_cross', '--symbol', 'CLIX', '--timeframe', '1h', '--json']);
    expect(bt.code, bt.stderr).toBe(0);
    const all = JSON.parse(cli(['runs', '--json']).stdout) as { total: number; runs: { run_id: string; kind: string }[] };
    expect(all.runs[0].kind).toBe('backtest');
    const newest = all.runs[0].run_id;
    const r = cli(['runs', '--kind', 'backtest', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\d+ run\(s\) \(backtest\), newest first; the first 1 \(--limit N for more\):$/);
    expect(lines[2]).toMatch(new RegExp(`^${newest}\\s+backtest\\s+succeeded\\s+sma_cross\\s+CLIX 1h\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`));
    expect(lines[3]).toMatch(/^ {4}sharpe -?\d+\.\d\d, return -?\d+\.\d\d %, max DD -?\d+\.\d\d %, \d+ trades$/);
    expect(lines).toHaveLength(4);
    const opt = cli(['runs', '--kind', 'optimize']).stdout;
    expect(opt).toMatch(/study real-study, 4 trials, best #\d sharpe/);
    const bad = cli(['runs', '--kind', 'backtests']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected: backtest, batch, optimize, walk_forward, analysis/);
    expect(JSON.parse(cli(['runs', '--kind', 'walk-forward', '--json']).stdout)).toEqual({ runs: [], total: 0 });
  });
});
