/** Rollback (a new version pointing at the old one), the exported file, and resolveChampionParams. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeApp } from '../../../src/research/app.js';
import { backtest } from '../../../src/research/backtest.js';
import { championFileName, championHistory, exportChampion, getChampion, promote, resolveChampionParams, rollback } from '../../../src/research/champions/index.js';
import { UserError } from '../../../src/research/errors.js';
import { craftedBacktest, fixture, IS_END, type Fixture, removeTempDirs } from '../../helpers/champions.js';

let f: Fixture;
beforeEach(() => {
  f = fixture();
});
afterEach(() => closeApp(f.app));

function errorText(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof UserError ? e.describe() : String(e);
  }
  throw new Error('expected an error');
}

/** Promotes sma_cross(fast, 60) on EUR/USD 1d (overriding the incumbent comparison so any order works). */
function promoteParams(fast: number, reason: string): number {
  const run = backtest(f.app, { strategy: 'sma_cross', params: { fast, slow: 60, direction: 'long_only' }, dataset_id: f.ds.id, to: IS_END }).run_id!;
  craftedBacktest(f, { params: { fast, slow: 60 }, from: IS_END, returns: { mu: 0.003, sigma: 0.01, seed: fast }, trades: 40 });
  const overrides = [{ gate: 'beats_incumbent' as const, reason: 'test ordering, not a performance claim' }];
  const dry = promote(f.app, { candidate: { run_id: run }, overrides });
  expect(dry.gate_report.blocking).toEqual([]);
  return promote(f.app, { candidate: { run_id: run }, overrides, dry_run: false, confirm_token: dry.confirm_token!, reason }).promoted!.version;
}

const FILE = () => join(f.root, 'config', 'champions', 'sma_cross_EUR-USD_1d.json');

describe('rollback', () => {
  it('writes a new version that copies the old one and points at it; history stays append-only', () => {
    expect(promoteParams(10, 'first')).toBe(1);
    expect(promoteParams(20, 'second')).toBe(2);
    const r = rollback(f.app, { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d', to_version: 1, reason: 'v2 misbehaves live', expected_version: 2, promoted_by: 'ops' });
    expect(r).toMatchObject({ from_version: 2, restored_version: 1 });
    expect(r.version).toMatchObject({ version: 3, rollback_of: 1, reason: 'v2 misbehaves live', promoted_by: 'ops', params: { fast: 10, slow: 60, direction: 'long_only' } });
    const v1 = championHistory(f.app, 'sma_cross', 'EUR/USD', '1d').versions.find((v) => v.version === 1)!;
    expect(r.version.metrics).toEqual(v1.metrics);
    expect(r.version.source_run_id).toBe(v1.source_run_id);
    expect(r.version.evidence).toMatchObject({ rollback: { from_version: 2, to_version: 1 }, restored: v1.evidence });
    const h = championHistory(f.app, 'sma_cross', 'EUR/USD', '1d');
    expect(h.versions.map((v) => [v.version, v.rollback_of])).toEqual([[3, 1], [2, null], [1, null]]);
    expect(h.current_version).toBe(3);
    expect(JSON.parse(readFileSync(FILE(), 'utf8'))).toMatchObject({ version: 3, rollback_of: 1, params: { fast: 10 } });
    // rolling back to a rollback's target again, or to v2, is just another version
    expect(rollback(f.app, { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d', to_version: 2, reason: 'v2 was fine after all' }).version).toMatchObject({ version: 4, rollback_of: 2, params: { fast: 20 } });
  });

  it('refuses what it cannot do, naming the versions that exist', () => {
    expect(errorText(() => rollback(f.app, { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d', to_version: 1, reason: 'none yet' }))).toMatch(/no champion/);
    promoteParams(10, 'first');
    promoteParams(20, 'second');
    const base = { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d', reason: 'because' };
    expect(errorText(() => rollback(f.app, { ...base, to_version: 2 }))).toMatch(/already the current champion/);
    expect(errorText(() => rollback(f.app, { ...base, to_version: 9 }))).toMatch(/no version 9.*1 … 1/);
    expect(errorText(() => rollback(f.app, { ...base, to_version: 1, expected_version: 1 }))).toMatch(/at version 2, not 1/);
    expect(errorText(() => rollback(f.app, { ...base, to_version: 1, reason: '' }))).toMatch(/needs a reason/);
    expect(errorText(() => rollback(f.app, { ...base, strategy: 'sma_crosss', to_version: 1 }))).toMatch(/did you mean sma_cross/);
    expect(() => rollback(f.app, { ...base, to_version: 1 }, { afterHistoryInsert: () => { throw new Error('injected'); } })).toThrow(/injected/);
    expect(getChampion(f.app, 'sma_cross', 'EUR/USD', '1d')?.version).toBe(2);
    expect(championHistory(f.app, 'sma_cross', 'EUR/USD', '1d').total).toBe(2);
  });
});

describe('export file', () => {
  it('holds the current version, with the symbol sanitised in the file name', () => {
    expect(championFileName({ strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1h' })).toBe('sma_cross_EUR-USD_1h.json');
    expect(championFileName({ strategy: 'ema_cross', symbol: '../etc/passwd', timeframe: '1d' })).toBe('ema_cross_--etc-passwd_1d.json');
    expect(exportChampion(f.app, { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d' })).toBeNull();
    expect(existsSync(FILE())).toBe(false);
    promoteParams(10, 'first');
    const doc = JSON.parse(readFileSync(FILE(), 'utf8')) as Record<string, unknown>;
    const cur = getChampion(f.app, 'sma_cross', 'EUR/USD', '1d')!;
    expect(doc).toMatchObject({ format: 'tradelab-champion/1', strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d', version: 1, params: cur.params, metrics: cur.metrics, dataset_hash: f.ds.content_hash, reason: 'first' });
    expect(doc.promoted_at).toBe(new Date(cur.promoted_at).toISOString());
    expect(doc.evidence).toEqual(cur.evidence);
  });

  it('is written atomically: a crash mid-write leaves the previous file whole and no temp file behind', () => {
    promoteParams(10, 'first');
    const before = readFileSync(FILE(), 'utf8');
    promoteParams(20, 'second'); // exported v2 normally
    writeFileSync(FILE(), before); // pretend v1 is on disk, then crash while exporting v2
    expect(() =>
      exportChampion(f.app, { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d' }, (path, text) => {
        writeFileSync(path, text.slice(0, text.length / 2));
        throw new Error('disk full (injected)');
      }),
    ).toThrow(/disk full/);
    expect(readFileSync(FILE(), 'utf8')).toBe(before);
    expect(JSON.parse(before)).toMatchObject({ version: 1 });
    expect(readdirSync(join(f.root, 'config', 'champions'))).toEqual(['sma_cross_EUR-USD_1d.json']);
    exportChampion(f.app, { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d' });
    expect(JSON.parse(readFileSync(FILE(), 'utf8'))).toMatchObject({ version: 2 });
  });
});

describe('resolveChampionParams', () => {
  it('returns the current params and version, follows rollbacks, and explains when there is none', () => {
    const none = errorText(() => resolveChampionParams(f.app, 'sma_cross', 'EUR/USD', '1d'));
    expect(none).toMatch(/no champion for sma_cross on EUR\/USD 1d/);
    expect(none).toMatch(/champion_promote/);
    promoteParams(10, 'first');
    promoteParams(20, 'second');
    expect(resolveChampionParams(f.app, 'sma_cross', 'EUR/USD', '1D')).toEqual({ params: { fast: 20, slow: 60, direction: 'long_only' }, version: 2 });
    rollback(f.app, { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d', to_version: 1, reason: 'back to basics' });
    expect(resolveChampionParams(f.app, 'sma_cross', 'EUR/USD', '1d')).toEqual({ params: { fast: 10, slow: 60, direction: 'long_only' }, version: 3 });
    // the params run as-is in a backtest
    const bt = backtest(f.app, { strategy: 'sma_cross', params: resolveChampionParams(f.app, 'sma_cross', 'EUR/USD', '1d').params, dataset_id: f.ds.id });
    expect(bt.resolved.params).toEqual({ fast: 10, slow: 60, direction: 'long_only' });
    expect(errorText(() => resolveChampionParams(f.app, 'sma_cross', 'EUR/USD', '1h'))).toMatch(/has champions on EUR\/USD 1d \(v3\)/);
    expect(errorText(() => resolveChampionParams(f.app, 'nope', 'EUR/USD', '1h'))).toMatch(/unknown strategy/);
  });
});

afterAll(removeTempDirs);
