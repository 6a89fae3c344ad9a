/** The four champion tools through the in-process MCP client. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtest } from '../../src/research/backtest.js';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';
import { craftedBacktest, fixture, IS_END, type Fixture, removeTempDirs } from '../helpers/champions.js';

let f: Fixture;
let h: Harness;
beforeAll(async () => {
  f = fixture();
  h = await harness({ app: f.app });
});
afterAll(async () => h.close());

function candidate(fast: number, opts: { holdout?: boolean; mu?: number } = {}): string {
  const run = backtest(f.app, { strategy: 'sma_cross', params: { fast, slow: 60, direction: 'long_only' }, dataset_id: f.ds.id, to: IS_END }).run_id!;
  if (opts.holdout ?? true) craftedBacktest(f, { params: { fast, slow: 60 }, from: IS_END, returns: { mu: opts.mu ?? 0.003, sigma: 0.01, seed: fast }, trades: 40 });
  return run;
}

interface PromoteData {
  promotable: boolean;
  blocking: string[];
  confirm_token: string | null;
  gates: { gate: string; status: string; value: number | null; override?: { reason: string; applied: boolean } }[];
  promoted?: { version: number; reason: string; evidence: { overrides: { gate: string; reason: string }[] } };
  export?: { file: string };
  diff: { params_changed: { param: string }[] };
}

describe('champion tools over MCP', () => {
  it('are listed with honest annotations: status/history read-only, promote/rollback destructive writes', async () => {
    const { tools } = await h.client.listTools();
    const by = new Map(tools.map((t) => [t.name, t]));
    for (const n of ['champion_status', 'champion_history']) expect(by.get(n)?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
    for (const n of ['champion_promote', 'champion_rollback']) expect(by.get(n)?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    const ro = await harness({ tiers: ['read'] });
    try {
      const names = (await ro.client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('champion_status');
      expect(names).not.toContain('champion_promote');
      const refused = await ro.call('champion_promote', { candidate: { run_id: 'bt_x' } });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/write-tier tool/);
    } finally {
      await ro.close();
    }
  });

  it('promote: dry run → token → confirm; status, file, history; stale and forged tokens are refused', async () => {
    expect(textOf(await h.call('champion_status'))).toMatch(/No champions yet/);
    const a = candidate(10);
    const dry = dataOf<PromoteData>(await h.call('champion_promote', { candidate: { run_id: a } }));
    expect(dry.promotable).toBe(true);
    expect(dry.gates.map((g) => g.gate)).toEqual(['oos_evidence', 'min_oos_trades', 'min_dsr', 'max_pbo', 'beats_incumbent']);
    expect(dry.confirm_token).toMatch(/^ct1\./);
    const dryText = textOf(await h.call('champion_promote', { candidate: { run_id: a } }));
    expect(dryText).toMatch(/Dry run.*Promotable/s);
    expect(dryText).toMatch(/beats_incumbent: PASS/);

    const forged = await h.call('champion_promote', { candidate: { run_id: a }, dry_run: false, confirm_token: dry.confirm_token!.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')), reason: 'forged attempt' });
    expect(forged.isError).toBe(true);
    expect(textOf(forged)).toMatch(/champion_promote: confirm_token refused: its signature does not match/);

    const done = dataOf<PromoteData>(await h.call('champion_promote', { candidate: { run_id: a }, dry_run: false, confirm_token: dry.confirm_token, reason: 'first champion over MCP' }));
    expect(done.promoted).toMatchObject({ version: 1, reason: 'first champion over MCP' });
    // the file is named relative to the project root, never as a machine path
    expect(done.export!.file).toBe('config/champions/sma_cross_EUR-USD_1d.json');
    const file = join(f.root, done.export!.file);
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, symbol: 'EUR/USD', promoted_by: 'mcp:test' });

    const st = dataOf<{ champion: { version: number; params: Record<string, unknown> }; file: string }>(await h.call('champion_status', { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d' }));
    expect(st.champion).toMatchObject({ version: 1, params: { fast: 10, slow: 60 } });
    expect(st.file).toBe(done.export!.file);

    const stale = await h.call('champion_promote', { candidate: { run_id: a }, dry_run: false, confirm_token: dry.confirm_token, reason: 'replay attempt' });
    expect(stale.isError).toBe(true);
    expect(textOf(stale)).toMatch(/champion changed since the dry run/);
  });

  it('a failing gate blocks without a token; an override with a reason lets it through and is recorded', async () => {
    const weak = candidate(14, { holdout: false });
    const dry = dataOf<PromoteData>(await h.call('champion_promote', { candidate: { run_id: weak }, gate_overrides: { min_dsr: 0 } }));
    expect(dry.promotable).toBe(false);
    expect(dry.confirm_token).toBeNull();
    expect(dry.blocking).toEqual(expect.arrayContaining(['oos_evidence', 'min_oos_trades']));
    expect(textOf(await h.call('champion_promote', { candidate: { run_id: weak } }))).toMatch(/NOT promotable/);
    const override = dry.blocking.map((gate) => ({ gate, reason: `paper-trading trial of ${gate}` }));
    const args = { candidate: { run_id: weak }, gate_overrides: { min_dsr: 0 }, override };
    const ok = dataOf<PromoteData>(await h.call('champion_promote', args));
    expect(ok.promotable).toBe(true);
    expect(ok.gates.filter((g) => g.override?.applied).map((g) => g.gate).sort()).toEqual([...dry.blocking].sort());
    const done = dataOf<PromoteData>(await h.call('champion_promote', { ...args, dry_run: false, confirm_token: ok.confirm_token, reason: 'override test' }));
    expect(done.promoted!.version).toBe(2);
    expect(done.promoted!.evidence.overrides.map((o) => o.reason)).toEqual(override.map((o) => o.reason));
    const bad = await h.call('champion_promote', { candidate: { run_id: weak }, override: { gate: 'no_such_gate', reason: 'x' } });
    expect(bad.isError).toBe(true);
  });

  it('rollback writes a new version; history lists every version newest first', async () => {
    const rb = dataOf<{ from_version: number; restored_version: number; champion: { version: number; rollback_of: number } }>(
      await h.call('champion_rollback', { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d', to_version: 1, reason: 'the override was a mistake', expected_version: 2 }),
    );
    expect(rb).toMatchObject({ from_version: 2, restored_version: 1, champion: { version: 3, rollback_of: 1 } });
    const hist = await h.call('champion_history', { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d' });
    const d = dataOf<{ current_version: number; total: number; versions: { version: number; rollback_of: number | null }[] }>(hist);
    expect(d).toMatchObject({ current_version: 3, total: 3 });
    expect(d.versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(textOf(hist)).toMatch(/v3 \(rollback to v1\)/);
    const again = await h.call('champion_rollback', { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d', to_version: 3, reason: 'noop attempt' });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/already the current champion/);
    const page = dataOf<{ versions: unknown[]; next_cursor: string | null; remaining: number }>(await h.call('champion_history', { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d', limit: 2 }));
    expect(page).toMatchObject({ next_cursor: '2', remaining: 1 });
    expect(page.versions).toHaveLength(2);
  });
});

describe('champion_promote on runs made by the real optimize and walk_forward tools', () => {
  it('resolves a validated trial (holdout as evidence, PBO from its trials) and a walk-forward run (its own OOS)', async () => {
    const root = fixture({ seed: false });
    const g = await harness({ app: root.app });
    try {
      const candles = generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 24 * 160, seed: 5, start: Date.UTC(2024, 0, 1) });
      insertDataset(g.app.db, { candles, source: 'test', isSynthetic: true, now: 1 });
      const base = { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h', seed: 3 };
      const opt = dataOf<{ run_id: string; validated: { number: number; passed: boolean; holdout_run_id: string }[] }>(
        await g.call('optimize', { ...base, n_trials: 12, study_name: 'champ-val', to: '2024-04-15', validate: { top_k: 3, holdout: { from: '2024-04-15' }, min_trades: 0 } }),
      );
      expect(opt.validated).toHaveLength(3);
      // with this data seed the holdout passes some of the top trials and fails others
      const passed = opt.validated.find((v) => v.passed)!;
      const failed = opt.validated.find((v) => !v.passed)!;
      expect(passed && failed).toBeTruthy();
      {
        const refused = await g.call('champion_promote', { candidate: { run_id: opt.run_id, trial: failed.number } });
        expect(refused.isError).toBe(true);
        expect(textOf(refused)).toMatch(/failed validation/);
      }
      {
        const d = dataOf<PromoteData & { evidence: { run_id: string; found: string } }>(await g.call('champion_promote', { candidate: { run_id: opt.run_id, trial: passed.number } }));
        expect(d.evidence).toMatchObject({ run_id: passed.holdout_run_id, found: 'validated_holdout' });
        const pbo = d.gates.find((x) => x.gate === 'max_pbo')!;
        expect(pbo.status).not.toBe('not_applicable');
        expect(pbo.value).not.toBeNull(); // computed from the run's trials in the ledger
      }
      const wf = dataOf<{ run_id: string; final_params: Record<string, unknown> }>(
        await g.call('walk_forward', { ...base, is: '40d', oos: '20d', n_trials: 6, space: { fast: { type: 'int', low: 5, high: 20 }, slow: { type: 'int', low: 30, high: 120, step: 10 } } }),
      );
      const w = dataOf<PromoteData & { evidence: { run_id: string; kind: string; found: string }; candidate: { params: Record<string, unknown> } }>(await g.call('champion_promote', { candidate: { run_id: wf.run_id } }));
      expect(w.evidence).toMatchObject({ run_id: wf.run_id, kind: 'walk_forward', found: 'candidate' });
      expect(w.candidate.params).toMatchObject(wf.final_params);
      const dsr = w.gates.find((x) => x.gate === 'min_dsr')!;
      expect(dsr.value).not.toBeNull(); // the walk-forward's own stitched-OOS DSR
    } finally {
      await g.close();
    }
  });
});

afterAll(removeTempDirs);
