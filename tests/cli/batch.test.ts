/**
 * `tradelab batch` and `tradelab scenarios` through the built CLI (bin/tradelab.js → dist/),
 * with a temporary TRADELAB_HOME seeded by `tradelab import` of a CSV written here.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared-data.js';

let dir: string;
let home: string;

function cli(args: string[], h = home): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tradelab.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, TRADELAB_HOME: h }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** 600 hourly bars of a deterministic zig-zag random walk. */
function csv(): string {
  const lines = ['timestamp,open,high,low,close,volume'];
  let p = 100;
  let s = 12345;
  for (let k = 0; k < 600; k++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const step = (s / 2147483648 - 0.5) * 2 + Math.sin(k / 15);
    const o = p;
    const c = Math.max(1, p + step);
    lines.push(`${new Date(Date.UTC(2024, 0, 1) + k * 3_600_000).toISOString()},${o.toFixed(4)},${(Math.max(o, c) + 0.3).toFixed(4)},${(Math.min(o, c) - 0.3).toFixed(4)},${c.toFixed(4)},${1000 + k}`);
    p = c;
  }
  return lines.join('\n') + '\n';
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-batch-cli-'));
  home = join(dir, 'home');
  writeFileSync(join(dir, 'bars.csv'), csv());
  const r = cli(['import', join(dir, 'bars.csv'), '--symbol', 'CSVX', '--timeframe', '1h']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Summary {
  run_id: string;
  status: string;
  counts: { items: number; ok: number; failed: number; cancelled: number; cached: number };
  failures: { i: number; error: string }[];
  top: { columns: string[]; rows: unknown[][] };
}

describe('tradelab batch', () => {
  it('runs a YAML spec file: stored items, isolated failures, ranked matrix', () => {
    const file = join(dir, 'spec.yaml');
    writeFileSync(file, ['strategy: sma_cross', 'param_sets:', '  - { fast: 5, slow: 20 }', '  - { fast: 10, slow: 40 }', '  - { fast: 40, slow: 10 }', 'symbols: [CSVX, NOPE]', 'timeframes: [1h]', 'rank_by: return_pct', ''].join('\n'));
    const r = cli(['batch', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.status).toBe('succeeded');
    expect(s.counts).toEqual({ items: 6, ok: 2, failed: 4, cancelled: 0, cached: 0 });
    expect(s.failures.map((f) => f.error).join('\n')).toMatch(/unknown symbol "NOPE"[\s\S]*fast \(40\) must be < slow \(10\)/);
    const col = s.top.columns.indexOf('return_pct');
    const values = s.top.rows.map((row) => row[col] as number);
    expect(values).toHaveLength(2);
    expect(values[0]).toBeGreaterThanOrEqual(values[1]);
    // the text form of the same batch, answered from the store this time
    const t = cli(['batch', file]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/items 6: 2 ok \(2 from the store\), 4 failed/);
    expect(t.stdout).toMatch(/return_pct \(desc\) over 2 items/);
  });

  it('takes pairs in a spec file: each {symbol, timeframe} once', () => {
    const file = join(dir, 'pairs.yaml');
    writeFileSync(file, ['strategy: sma_cross', 'param_sets: [{ fast: 5, slow: 20 }]', 'pairs:', '  - { symbol: CSVX, timeframe: 1h }', '  - { symbol: NOPE, timeframe: 1d }', ''].join('\n'));
    const r = cli(['batch', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.counts).toMatchObject({ items: 2, ok: 1, failed: 1 });
    expect(s.failures[0].error).toMatch(/unknown symbol "NOPE"/);
  });

  it('accepts --spec JSON and stores each item as a child run of the batch', () => {
    const r = cli(['batch', '--spec', JSON.stringify({ strategy: 'rsi_reversion', param_sets: [{ period: 7 }, { period: 21 }], symbols: ['CSVX'], timeframes: ['1h'] }), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.counts.ok).toBe(2);
    expect(s.run_id).toMatch(/^bb_/);
    const db = new Database(join(home, 'tradelab.db'), { readonly: true });
    try {
      const rows = db.prepare("SELECT kind, status FROM runs WHERE parent_id = ? AND kind = 'backtest' AND status = 'succeeded'").all(s.run_id);
      expect(rows).toHaveLength(2);
      const ledger = db.prepare("SELECT COUNT(*) AS n FROM ledger_entries WHERE source_kind = 'batch_item' AND source_id IN (SELECT id FROM runs WHERE parent_id = ?)").get(s.run_id) as { n: number };
      expect(ledger.n).toBe(2);
    } finally {
      db.close();
    }
  });

  it('refuses a batch above the item cap, and a bad spec, with exit code 2 and the reason', () => {
    const sets = Array.from({ length: 300 }, (_, k) => ({ period: 2 + k }));
    const cap = cli(['batch', '--spec', JSON.stringify({ strategy: 'rsi_reversion', param_sets: sets, symbols: ['CSVX', 'CSVY'], timeframes: ['1h'] })]);
    expect(cap.code).toBe(2);
    expect(cap.stderr).toMatch(/600 items, above the limit of 500/);
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'strategy: sma_cross\nsymbol: [CSVX]\ntimeframes: [1h]\n');
    const bad = cli(['batch', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}: invalid batch spec: symbol: unknown key; did you mean "symbols"? Accepted keys at the top level: strategy, param_sets, strategies, symbols,`);
    const pairs = cli(['batch', '--spec', JSON.stringify({ strategy: 'sma_cross', pairs: [{ symbol: 'CSVX', timeframe: '1h' }], symbols: ['CSVX'] })]);
    expect(pairs.code).toBe(2);
    expect(pairs.stderr).toMatch(/pairs and symbols given together/);
    const nested = cli(['batch', '--spec', JSON.stringify({ items: [{ strategy: 'sma_cross', symbol: 'CSVX', timeframe: '1h', execution: { comission: 0.001 } }] })]);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toMatch(/--spec: invalid batch spec: items\[0\]\.execution\.comission: unknown key; did you mean "commission"\?/);
  });

  it('refuses an unknown key in a walk-forward request file, naming the file and the path', () => {
    const file = join(dir, 'wf.yaml');
    writeFileSync(file, 'strategy: sma_cross\nsymbol: CSVX\ntimeframe: 1h\nis: 200\noos: 100\nn_trails: 3\n');
    const r = cli(['walk-forward', '--file', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`invalid ${file}: n_trails: unknown key; did you mean "n_trials"?`);
  });
});

describe('tradelab scenarios', () => {
  it('runs a scenario file and prints the comparison report', () => {
    const file = join(dir, 'scn.yaml');
    writeFileSync(
      file,
      [
        'defaults:',
        '  dataset: { symbol: CSVX, timeframe: 1h }',
        'scenarios:',
        '  - name: sens',
        '    perturb: { strategy: sma_cross, params: { fast: 10, slow: 30 } }',
        '  - name: ens',
        '    ensemble: { from_scenario: sens, top: 2 }',
        '',
      ].join('\n'),
    );
    const r = cli(['scenarios', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { scenarios: { name: string; status: string; summary: Record<string, unknown> }[] };
    expect(out.scenarios.map((s) => [s.name, s.status])).toEqual([
      ['sens', 'succeeded'],
      ['ens', 'succeeded'],
    ]);
    expect((out.scenarios[0].summary.counts as { items: number }).items).toBe(5);
    expect((out.scenarios[1].summary.ensemble as { used: number }).used).toBe(2);
    const text = cli(['scenarios', file]);
    expect(text.stdout).toMatch(/sensitivity of sharpe to ±20% of each parameter/);
    expect(text.stdout).toMatch(/equal-weight ensemble of 2 members, rebalanced daily/);
  });

  it('reports file errors naming the scenario, the key and the value (exit 2)', () => {
    const file = join(dir, 'bad-scn.yaml');
    writeFileSync(file, 'scenarios:\n  - name: oos\n    from_study: { study: s, top: 0 }\n');
    const r = cli(['scenarios', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scenario "oos": from_study\.top: .*\(got 0\)/);
  });

  it('ships example files that validate, and the sensitivity example runs on the demo dataset', () => {
    const files = readdirSync(join(REPO_ROOT, 'config', 'scenarios')).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) {
      const r = cli(['scenarios', join('config', 'scenarios', f), '--check']);
      expect(r.code, `${f}: ${r.stderr}`).toBe(0);
    }
    const fresh = join(dir, 'fresh-home');
    const r = cli(['scenarios', join('config', 'scenarios', 'demo-sensitivity.yaml')], fresh);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/seeded demo dataset/);
    expect(r.stdout).toMatch(/sma-cross-sensitivity\s+perturb\s+succeeded/);
  });
});
