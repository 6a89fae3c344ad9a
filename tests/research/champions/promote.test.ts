/**
 * Two-step promotion: confirm tokens (valid, forged, foreign, expired, stale), overrides
 * recorded with their reasons, the race between two connections, and an injected failure
 * between the history insert and the pointer move.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../../src/engine/version.js';
import { closeApp, openApp, type App } from '../../../src/research/app.js';
import { backtest } from '../../../src/research/backtest.js';
import { championHistory, getChampion, promote } from '../../../src/research/champions/index.js';
import { datasetCandles, resolveRange, selectRange } from '../../../src/research/datasets.js';
import { UserError } from '../../../src/research/errors.js';
import { familyKey, recordLedger } from '../../../src/research/ledger.js';
import { craftedBacktest, fixture, IS_END, tempDir, type Fixture, removeTempDirs } from '../../helpers/champions.js';
import { sqliteOf } from '../../helpers/sqlite.js';

const GOOD = { mu: 0.003, sigma: 0.01, seed: 1 };
const opened: App[] = [];
afterEach(() => {
  for (const a of opened.splice(0)) if (sqliteOf(a).open) closeApp(a);
});

function track(f: Fixture): Fixture {
  opened.push(f.app);
  return f;
}

/** A promotable candidate: an engine-run in-sample backtest plus a crafted holdout with the same params. */
function candidate(f: Fixture, fast: number, seed = 1): string {
  const run = backtest(f.app, { strategy: 'sma_cross', params: { fast, slow: 60, direction: 'long_only' }, dataset_id: f.ds.id, to: IS_END }).run_id!;
  craftedBacktest(f, { params: { fast, slow: 60 }, from: IS_END, returns: { ...GOOD, seed }, trades: 40 });
  return run;
}

function errorText(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof UserError ? e.describe() : String(e);
  }
  throw new Error('expected an error');
}

describe('two-step promotion', () => {
  it('dry run issues a token; confirming with it and a reason promotes v1 and exports the file', () => {
    const f = track(fixture());
    const run = candidate(f, 10);
    const dry = promote(f.app, { candidate: { run_id: run } });
    expect(dry.dry_run).toBe(true);
    expect(dry.promotable).toBe(true);
    expect(dry.incumbent).toBeNull();
    expect(dry.diff.note).toMatch(/no incumbent/);
    expect(getChampion(f.app, 'sma_cross', 'EUR/USD', '1d')).toBeNull(); // a dry run changes nothing
    expect(errorText(() => promote(f.app, { candidate: { run_id: run }, dry_run: false, confirm_token: dry.confirm_token! }))).toMatch(/needs a reason/);
    expect(errorText(() => promote(f.app, { candidate: { run_id: run }, confirm_token: dry.confirm_token! }))).toMatch(/only used with dry_run: false/);
    expect(errorText(() => promote(f.app, { candidate: { run_id: run }, dry_run: false, reason: 'x'.repeat(5) }))).toMatch(/needs the confirm_token of a dry run/);
    const done = promote(f.app, { candidate: { run_id: run }, dry_run: false, confirm_token: dry.confirm_token!, reason: 'beats nothing, first one', promoted_by: 'tester' });
    expect(done.promoted).toMatchObject({ version: 1, source_run_id: run, promoted_by: 'tester', reason: 'beats nothing, first one', rollback_of: null, engine_version: ENGINE_VERSION });
    expect(done.promoted!.dataset_hash).toBe(f.ds.content_hash);
    expect(done.promoted!.metrics).toMatchObject({ source: 'out_of_sample', trades: 40 });
    expect(done.export && 'file' in done.export ? done.export.file : null).toBe(join(f.root, 'config', 'champions', 'sma_cross_EUR-USD_1d.json'));
    const cur = getChampion(f.app, 'sma_cross', 'EUR/USD', '1D')!;
    expect(cur.params).toEqual({ fast: 10, slow: 60, direction: 'long_only' });
    expect(cur.evidence).toMatchObject({ incumbent_version: null, candidate: { kind: 'backtest', run_id: run } });
    // the token is single-use in effect: the incumbent changed, so a replay is stale
    expect(errorText(() => promote(f.app, { candidate: { run_id: run }, dry_run: false, confirm_token: dry.confirm_token!, reason: 'again' }))).toMatch(/champion changed since the dry run/);
  });

  it('overrides let failing gates through and are recorded with their reasons', () => {
    const f = track(fixture());
    const run = backtest(f.app, { strategy: 'sma_cross', params: { fast: 10, slow: 30 }, dataset_id: f.ds.id, to: IS_END }).run_id!;
    const plain = promote(f.app, { candidate: { run_id: run } });
    expect(plain.promotable).toBe(false);
    const failing = plain.gate_report.blocking;
    expect(failing).toEqual(expect.arrayContaining(['oos_evidence', 'min_oos_trades']));
    const overrides = failing.map((gate) => ({ gate, reason: `accepted risk on ${gate}: paper trading only` }));
    const extra = { gate: 'max_pbo' as const, reason: 'not needed' };
    const dry = promote(f.app, { candidate: { run_id: run }, overrides: [...overrides, extra] });
    expect(dry.promotable).toBe(true);
    expect(dry.gate_report.gates.find((g) => g.gate === 'oos_evidence')!.override).toEqual({ reason: 'accepted risk on oos_evidence: paper trading only', applied: true });
    expect(dry.gate_report.gates.find((g) => g.gate === 'max_pbo')!.override).toEqual({ reason: 'not needed', applied: false });
    // confirming with different overrides than the dry run is refused
    expect(errorText(() => promote(f.app, { candidate: { run_id: run }, overrides, dry_run: false, confirm_token: dry.confirm_token!, reason: 'go ahead' }))).toMatch(/different overrides/);
    const done = promote(f.app, { candidate: { run_id: run }, overrides: [...overrides, extra], dry_run: false, confirm_token: dry.confirm_token!, reason: 'go ahead' });
    const ev = done.promoted!.evidence as { overrides: { gate: string; reason: string; applied: boolean }[]; gate_report: { blocking: string[] } };
    expect(ev.overrides).toEqual([...overrides.map((o) => ({ ...o, applied: true })), { ...extra, applied: false }]);
    expect(ev.gate_report.blocking).toEqual([]);
    expect(done.promoted!.metrics).toMatchObject({ source: 'in_sample' });
    const h = championHistory(f.app, 'sma_cross', 'EUR/USD', '1d');
    expect((h.versions[0].evidence.overrides as unknown[]).length).toBe(overrides.length + 1);
    expect(errorText(() => promote(f.app, { candidate: { run_id: run }, overrides: [{ gate: 'oos_evidence', reason: '' }] }))).toMatch(/needs a reason/);
  });
});

describe('confirm tokens', () => {
  it('refuses a forged, altered, malformed or foreign token', () => {
    const f = track(fixture());
    const run = candidate(f, 10);
    const { confirm_token } = promote(f.app, { candidate: { run_id: run } });
    const t = confirm_token!;
    const confirm = (token: string) => () => promote(f.app, { candidate: { run_id: run }, dry_run: false, confirm_token: token, reason: 'test' });
    const flipped = t.slice(0, -1) + (t.endsWith('0') ? '1' : '0');
    expect(errorText(confirm(flipped))).toMatch(/signature does not match/);
    const parts = t.split('.');
    parts[2] = '7'; // claim another incumbent version without re-signing
    expect(errorText(confirm(parts.join('.')))).toMatch(/signature does not match/);
    expect(errorText(confirm('hello'))).toMatch(/malformed/);
    // a token from another database (another secret) for the same candidate id
    const g = track(fixture());
    const foreign = promote(g.app, { candidate: { run_id: candidate(g, 10) } }).confirm_token!;
    expect(errorText(confirm(foreign))).toMatch(/signature does not match|different candidate/);
    expect(getChampion(f.app, 'sma_cross', 'EUR/USD', '1d')).toBeNull();
  });

  it('refuses an expired token', () => {
    const f = track(fixture());
    const run = candidate(f, 10);
    const dry = promote(f.app, { candidate: { run_id: run } });
    expect(Date.parse(dry.token_expires_at!) - f.clock.t).toBe(15 * 60_000);
    f.clock.t += 15 * 60_000 + 1;
    expect(errorText(() => promote(f.app, { candidate: { run_id: run }, dry_run: false, confirm_token: dry.confirm_token!, reason: 'late' }))).toMatch(/expired at/);
  });

  it('refuses a token for another candidate, and one whose gate report changed (new trials in the ledger family)', () => {
    const f = track(fixture());
    const a = candidate(f, 10);
    const b = candidate(f, 12, 2);
    const dryA = promote(f.app, { candidate: { run_id: a } });
    expect(errorText(() => promote(f.app, { candidate: { run_id: b }, dry_run: false, confirm_token: dryA.confirm_token!, reason: 'swap' }))).toMatch(/different candidate/);
    // other out-of-sample evidence at confirmation time changes the gate report
    const other = craftedBacktest(f, { params: { fast: 10, slow: 60 }, from: '2021-03-01', returns: { ...GOOD, seed: 77 }, trades: 35 });
    expect(errorText(() => promote(f.app, { candidate: { run_id: a }, evidence_run_id: other, dry_run: false, confirm_token: dryA.confirm_token!, reason: 'go ahead' }))).toMatch(/gate report changed/);
    const candles = selectRange(datasetCandles(f.app, f.ds), resolveRange({ to: IS_END }), f.ds);
    for (let k = 0; k < 20; k++) {
      recordLedger(f.app, { key: familyKey('sma_cross', f.ds.content_hash, candles), source_kind: 'backtest', source_id: `x${k}`, params: { fast: 30 + k, slow: 90 }, stats: { n_periods: 1000, periods_per_year: 365, sharpe: 0.01 * k, skew: 0, kurtosis_raw: 3, blocks: [] } });
    }
    expect(errorText(() => promote(f.app, { candidate: { run_id: a }, dry_run: false, confirm_token: dryA.confirm_token!, reason: 'go ahead' }))).toMatch(/gate report changed since the dry run/);
  });

  it('refuses a token when the gate thresholds changed (another process with another config)', () => {
    const root = tempDir();
    const dbFile = join(root, 'tradelab.db');
    const f = track(fixture({ dbFile, root }));
    const run = candidate(f, 10);
    const dry = promote(f.app, { candidate: { run_id: run } });
    const other = openApp({ dbFile, home: root, root, config: { gates: { min_dsr: 0.9 } }, now: () => f.clock.t });
    opened.push(other);
    expect(errorText(() => promote(other, { candidate: { run_id: run }, dry_run: false, confirm_token: dry.confirm_token!, reason: 'go ahead' }))).toMatch(/gate report changed/);
  });
});

describe('concurrency and faults', () => {
  it('two connections racing for the same key: exactly one wins, the loser is told to re-run the dry run', () => {
    const root = tempDir();
    const dbFile = join(root, 'tradelab.db');
    const f1 = track(fixture({ dbFile, root }));
    const a = candidate(f1, 10);
    const b = candidate(f1, 12, 2);
    const app2 = openApp({ dbFile, home: root, root, config: {}, now: () => f1.clock.t });
    opened.push(app2);
    const dryA = promote(f1.app, { candidate: { run_id: a } });
    const dryB = promote(app2, { candidate: { run_id: b } });
    let rival: number | undefined;
    const text = errorText(() =>
      promote(f1.app, { candidate: { run_id: a }, dry_run: false, confirm_token: dryA.confirm_token!, reason: 'A wins' }, {
        // A has checked its token; before its write transaction, B (another connection) commits
        beforeWrite: () => {
          rival = promote(app2, { candidate: { run_id: b }, dry_run: false, confirm_token: dryB.confirm_token!, reason: 'B wins' }).promoted!.version;
        },
      }),
    );
    expect(rival).toBe(1);
    expect(text).toMatch(/the champion changed while you were promoting.*re-run the dry run/);
    const h = championHistory(f1.app, 'sma_cross', 'EUR/USD', '1d');
    expect(h.total).toBe(1);
    expect(h.versions[0]).toMatchObject({ version: 1, reason: 'B wins', source_run_id: b });
    expect(getChampion(f1.app, 'sma_cross', 'EUR/USD', '1d')!.params).toMatchObject({ fast: 12 });
    const file = JSON.parse(readFileSync(join(root, 'config', 'champions', 'sma_cross_EUR-USD_1d.json'), 'utf8')) as { version: number; reason: string };
    expect(file).toMatchObject({ version: 1, reason: 'B wins' });
  });

  it('a failure between the history insert and the pointer move leaves the previous champion and history intact', () => {
    const f = track(fixture());
    const a = candidate(f, 10);
    const dryA = promote(f.app, { candidate: { run_id: a } });
    promote(f.app, { candidate: { run_id: a }, dry_run: false, confirm_token: dryA.confirm_token!, reason: 'first v1' });
    const file = join(f.root, 'config', 'champions', 'sma_cross_EUR-USD_1d.json');
    const before = readFileSync(file, 'utf8');
    const b = candidate(f, 12, 2);
    const dryB = promote(f.app, { candidate: { run_id: b } });
    expect(dryB.incumbent?.version).toBe(1);
    expect(dryB.promotable).toBe(true);
    let reached = false;
    expect(() =>
      promote(f.app, { candidate: { run_id: b }, dry_run: false, confirm_token: dryB.confirm_token!, reason: 'second v2' }, {
        afterHistoryInsert: () => {
          reached = true;
          throw new Error('injected crash between history insert and pointer update');
        },
      }),
    ).toThrow(/injected crash/);
    expect(reached).toBe(true);
    expect(getChampion(f.app, 'sma_cross', 'EUR/USD', '1d')).toMatchObject({ version: 1, reason: 'first v1' });
    expect(championHistory(f.app, 'sma_cross', 'EUR/USD', '1d').total).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(before);
    // nothing half-done blocks the next attempt: the same token still confirms
    const ok = promote(f.app, { candidate: { run_id: b }, dry_run: false, confirm_token: dryB.confirm_token!, reason: 'second v2' });
    expect(ok.promoted?.version).toBe(2);
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 2 });
  });
});

afterAll(removeTempDirs);
