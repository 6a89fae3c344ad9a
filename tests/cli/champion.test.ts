/**
 * `tradelab champion …` end to end through the built CLI (dist is built by `npm test`), on a
 * temp TRADELAB_HOME: dry run → confirm, status, refusals, a race between child processes,
 * rollback and history.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeApp, openApp } from '../../src/research/app.js';
import { backtest } from '../../src/research/backtest.js';
import { championHistory } from '../../src/research/champions/index.js';
import { craftedBacktest, fixture, IS_END, tempDir, removeTempDirs } from '../helpers/champions.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const CLI = join(REPO_ROOT, 'bin', 'tradelab.js');
let root: string;
const runs: Record<string, string> = {};

interface Out {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Promise<Out> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, 'champion', ...args], { cwd: root, env: { ...process.env, TRADELAB_HOME: root } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  root = tempDir('tradelab-champ-cli-');
  const f = fixture({ dbFile: join(root, 'tradelab.db'), root });
  const mk = (fast: number, holdout: boolean): string => {
    const run = backtest(f.app, { strategy: 'sma_cross', params: { fast, slow: 60, direction: 'long_only' }, dataset_id: f.ds.id, to: IS_END }).run_id!;
    if (holdout) craftedBacktest(f, { params: { fast, slow: 60 }, from: IS_END, returns: { mu: 0.005, sigma: 0.01, seed: fast }, trades: 40 });
    return run;
  };
  runs.a = mk(10, true);
  runs.b = mk(20, true);
  runs.weak = mk(30, false);
  closeApp(f.app);
});

describe('tradelab champion', () => {
  it('prints help and refuses unknown subcommands', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/status\|history\|promote\|rollback/);
    const bad = await cli('promot');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown champion subcommand "promot".*status, history, promote, rollback/);
  });

  it('promote without --confirm is a dry run printing the gate report and the confirm command; --confirm promotes', async () => {
    const dry = await cli('promote', '--run', runs.a);
    expect(dry.code, dry.stderr + dry.stdout).toBe(0);
    expect(dry.stdout).toMatch(/Dry run.*Promotable/s);
    expect(dry.stdout).toMatch(/oos_evidence: PASS/);
    const token = /--confirm (ct1\.\S+)/.exec(dry.stdout)?.[1];
    expect(token).toBeDefined();
    const forged = await cli('promote', '--run', runs.a, '--confirm', token!.slice(0, -2) + '00', '--reason', 'forged token');
    expect(forged.code).toBe(2);
    expect(forged.stderr).toMatch(/confirm_token refused: its signature does not match/);
    const noReason = await cli('promote', '--run', runs.a, '--confirm', token!);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/needs a reason/);
    const ok = await cli('promote', '--run', runs.a, '--confirm', token!, '--reason', 'first champion from the shell', '--by', 'cli-test');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Promoted sma_cross EUR\/USD 1d.* as v1/);
    const file = join(root, 'config', 'champions', 'sma_cross_EUR-USD_1d.json');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, promoted_by: 'cli-test', params: { fast: 10, slow: 60 } });
    const st = JSON.parse((await cli('status', '--strategy', 'sma_cross', '--symbol', 'EUR/USD', '--timeframe', '1d', '--json')).stdout) as { champion: { version: number } };
    expect(st.champion.version).toBe(1);
  });

  it('a dry run that fails a gate exits 3; --override GATE=REASON lets each failing gate through', async () => {
    const dry = await cli('promote', '--run', runs.weak, '--json');
    expect(dry.code).toBe(3);
    const d = JSON.parse(dry.stdout) as { promotable: boolean; blocking: string[]; confirm_token?: string | null };
    expect(d.promotable).toBe(false);
    expect(d.blocking).toContain('oos_evidence');
    expect(d.confirm_token).toBeNull();
    const flags = d.blocking.flatMap((g) => ['--override', `${g}=accepted for a paper-trading test`]);
    const over = await cli('promote', '--run', runs.weak, ...flags, '--gate', 'min_dsr=0', '--json');
    expect(over.code).toBe(0);
    const o = JSON.parse(over.stdout) as { promotable: boolean; confirm_token: string; gates: { gate: string; override?: { reason: string; applied: boolean } }[]; thresholds: { min_dsr: number } };
    expect(o.promotable).toBe(true);
    expect(o.confirm_token).toMatch(/^ct1\./);
    expect(o.thresholds.min_dsr).toBe(0);
    // min_dsr passes at the lowered threshold, so its override is not needed; the others are applied
    expect(o.gates.filter((g) => g.override?.applied).map((g) => g.gate).sort()).toEqual(d.blocking.filter((g) => g !== 'min_dsr').sort());
    const badGate = await cli('promote', '--run', runs.weak, '--override', 'oos=because');
    expect(badGate.code).toBe(2);
    expect(badGate.stderr).toMatch(/unknown gate "oos"/);
  });

  it('racing confirmations in separate processes: exactly one wins', async () => {
    const dry = JSON.parse((await cli('promote', '--run', runs.b, '--json')).stdout) as { confirm_token: string; incumbent: { version: number } };
    expect(dry.incumbent.version).toBe(1);
    const results = await Promise.all([1, 2, 3].map((i) => cli('promote', '--run', runs.b, '--confirm', dry.confirm_token, '--reason', `racer ${i}`)));
    const winners = results.filter((r) => r.code === 0);
    const losers = results.filter((r) => r.code !== 0);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(2);
    for (const l of losers) {
      expect(l.code).toBe(2);
      expect(l.stderr).toMatch(/champion changed while you were promoting|champion changed since the dry run/);
    }
    const app = openApp({ dbFile: join(root, 'tradelab.db'), home: root, root, config: {} });
    try {
      const h = championHistory(app, 'sma_cross', 'EUR/USD', '1d');
      expect(h.total).toBe(2);
      expect(h.current_version).toBe(2);
      expect(winners[0].stdout).toMatch(/ as v2 /);
      expect(h.versions[0].reason).toMatch(/^racer \d$/);
    } finally {
      closeApp(app);
    }
  });

  it('rollback writes a new version and history shows it', async () => {
    const rb = await cli('rollback', '--strategy', 'sma_cross', '--symbol', 'EUR/USD', '--timeframe', '1d', '--to', '1', '--reason', 'back to the first one', '--expect', '2');
    expect(rb.code).toBe(0);
    expect(rb.stdout).toMatch(/v3 restores v1 \(was v2\)/);
    const hist = await cli('history', '--strategy', 'sma_cross', '--symbol', 'EUR/USD', '--timeframe', '1d');
    expect(hist.code).toBe(0);
    expect(hist.stdout).toMatch(/^v3 \(current\) rollback to v1/m);
    expect(hist.stdout).toMatch(/^v1 /m);
    const wrong = await cli('rollback', '--strategy', 'sma_cross', '--symbol', 'EUR/USD', '--timeframe', '1d', '--to', '1', '--reason', 'again please', '--expect', '2');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/at version 3, not 2/);
    expect(JSON.parse(readFileSync(join(root, 'config', 'champions', 'sma_cross_EUR-USD_1d.json'), 'utf8'))).toMatchObject({ version: 3, rollback_of: 1 });
  });
});

afterAll(removeTempDirs);
