import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src/research/app.js';
import { applyGc, planGc } from '../../src/research/retention.js';
import { appendChampionVersion } from '../../src/storage/champions.js';
import { migrate, writeTransaction } from '../../src/storage/db.js';
import {
  cacheEntriesBefore,
  championMark,
  championRunIds,
  deleteCacheBefore,
  deleteRunRows,
  legacyResults,
  listRunNodes,
  mentionedSince,
  runMentions,
  runTree,
} from '../../src/storage/gc.js';
import { putCachedResult } from '../../src/storage/result-cache.js';
import type { SqliteStoreSize } from '../../src/storage/size.js';
import { hasBacktestResult, insertBacktestRow, saveBacktestResult, serializeBacktest, type StoredBacktest } from '../../src/storage/run-results.js';
import { createRun, updateRun } from '../../src/storage/runs.js';
import { insertLegacyResult } from '../helpers/legacy-results.js';
import { sqliteOf } from '../helpers/sqlite.js';
import { eachStore } from '../helpers/stores.js';

const DAY = 86_400_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A store file holding `runs` walk-forward-like results of 20,000 random (incompressible) curve points each. */
function filledStore(file: string, runs: number, now: number): void {
  const app = openApp({ dbFile: file, home: join(file, '..'), config: {}, now: () => now });
  let seed = 1;
  for (let i = 0; i < runs; i++) {
    const id = createRun(app.db, { kind: 'walk_forward', status: 'succeeded', spec: {}, now }).id;
    const equity = Float64Array.from({ length: 20_000 }, () => ((seed = (seed * 48_271) % 2_147_483_647), seed / 7));
    saveBacktestResult(app.db, id, { metrics: {}, warnings: [], trades: [], open_trades: [], skipped: [], equity, equity_time: null, warmup: 0 });
  }
  app.db.close();
}

function vacuumed(file: string, now: number): { mode: string; before: number; after: number; auto: string; wal: number | null } {
  const app = openApp({ dbFile: file, home: join(file, '..'), config: {}, now: () => now });
  try {
    const r = applyGc(app, planGc(app, { keep_days: 0, keep_runs: 0 }), { vacuum: true });
    expect(r.removed_runs).toBe(30);
    return { mode: r.vacuum!.mode, before: r.vacuum!.pages_before, after: r.vacuum!.pages_after, auto: (r.store as SqliteStoreSize).auto_vacuum, wal: (r.store as SqliteStoreSize).wal_bytes };
  } finally {
    app.db.close();
  }
}

/** Pages of an empty store of the current schema (one per table and index at least): what a vacuum cannot give back. */
function emptyStorePages(): number {
  const dir = mkdtempSync(join(tmpdir(), 'tradelab-gc-'));
  dirs.push(dir);
  const app = openApp({ dbFile: join(dir, 'empty.db'), home: dir, config: {} });
  try {
    return sqliteOf(app).pragma('page_count', { simple: true }) as number;
  } finally {
    app.db.close();
  }
}

const RESULT: StoredBacktest = {
  metrics: { sharpe: 1.5, trades: 2 },
  warnings: ['thin data'],
  trades: [],
  open_trades: [],
  skipped: [],
  equity: new Float64Array([100, 101.5, 99.25]),
  equity_time: new Float64Array([0, 1, 2]),
  warmup: 1,
};

/** The storage side of retention (storage/gc.ts): the same SQL text must read and remove the same rows on both stores. */
describe('gc storage', () => {
  const stores = eachStore();
  describe.each(stores)('$kind store', (store) => {
    it('lists the run forest with studies and stored bytes, reads whole trees, and deletes one with its results', () => {
      const db = store.open();
      createRun(db, { id: 'bb_root', kind: 'batch', status: 'succeeded', spec: { note: 'été' }, now: 1 });
      createRun(db, { id: 'bt_child', kind: 'backtest', status: 'succeeded', spec: {}, parent_id: 'bb_root', now: 2 });
      createRun(db, { id: 'bt_grand', kind: 'backtest', status: 'failed', spec: {}, parent_id: 'bt_child', now: 3 });
      createRun(db, { id: 'opt_1', kind: 'optimize', status: 'succeeded', spec: { study_name: 'from-spec' }, now: 4 });
      updateRun(db, 'opt_1', { summary: { study_name: 'from-summary' } });
      createRun(db, { id: 'opt_2', kind: 'optimize', spec: { study_name: 'only-spec' }, now: 5 });
      const stored = serializeBacktest(RESULT);
      insertBacktestRow(db, 'bt_child', stored);

      const nodes = new Map(listRunNodes(db).map((n) => [n.id, n]));
      expect(nodes.size).toBe(5);
      expect(nodes.get('bt_grand')).toEqual({ id: 'bt_grand', parent_id: 'bt_child', kind: 'backtest', status: 'failed', created_at: 3, study: null, bytes: 'bt_grand'.length + 2 });
      expect(Object.fromEntries([...nodes.values()].map((n) => [n.id, n.study]))).toEqual({ bb_root: null, bt_child: null, bt_grand: null, opt_1: 'from-summary', opt_2: 'only-spec' });
      // text counts characters (not bytes: "été" is 3), blobs their bytes
      expect(nodes.get('bb_root')?.bytes).toBe('bb_root'.length + JSON.stringify({ note: 'été' }).length);
      const resultBytes = stored.metrics.length + stored.warnings.length + stored.details.length + stored.equity.length + (stored.equity_time?.length ?? 0);
      expect(nodes.get('bt_child')?.bytes).toBe('bt_child'.length + 2 + resultBytes);
      expect(nodes.get('opt_1')?.bytes).toBe('opt_1'.length + JSON.stringify({ study_name: 'from-spec' }).length + JSON.stringify({ study_name: 'from-summary' }).length);

      const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : 1);
      expect(runTree(db, 'bb_root').sort(byId)).toEqual([
        { id: 'bb_root', status: 'succeeded' },
        { id: 'bt_child', status: 'succeeded' },
        { id: 'bt_grand', status: 'failed' },
      ]);
      expect(runTree(db, 'bt_grand')).toEqual([{ id: 'bt_grand', status: 'failed' }]);
      expect(runTree(db, 'missing')).toEqual([]);
      expect(writeTransaction(db, () => deleteRunRows(db, ['bb_root', 'bt_child', 'bt_grand', 'missing']))).toBe(3);
      expect(hasBacktestResult(db, 'bt_child')).toBe(false);
      expect(listRunNodes(db).map((n) => n.id).sort()).toEqual(['opt_1', 'opt_2']);
    });

    it('finds the runs that champions and other runs name, old cache entries and old-format results', () => {
      const db = store.open();
      for (const [id, now] of [['bt_a', 1], ['bt_b', 2], ['bt_c', 3], ['bt_d', 10], ['bt_e', 11]] as const) createRun(db, { id, kind: 'backtest', status: 'succeeded', spec: {}, now });
      const known = new Set(['bt_a', 'bt_b', 'bt_c', 'bt_d', 'bt_e']);
      expect(championMark(db)).toBe(0);
      appendChampionVersion(
        db,
        { strategy: 's', symbol: 'X', timeframe: '1h', params: {}, metrics: { run_id: 'bt_b' }, source_run_id: 'bt_a', source_trial: null, evidence: { oos: { runs: ['bt_c', 'bt_gone'] } }, dataset_hash: 'h', engine_version: '1', promoted_at: 5, promoted_by: 'test', reason: 'r', rollback_of: null },
        null,
      );
      expect(championMark(db)).toBe(1);
      expect([...championRunIds(db, known)].sort()).toEqual(['bt_a', 'bt_b', 'bt_c']);

      updateRun(db, 'bt_d', { summary: { best: 'bt_b', self: 'bt_d' } });
      createRun(db, { id: 'bt_f', kind: 'backtest', status: 'succeeded', spec: { cached_from: 'bt_a' }, now: 12 });
      const named = runMentions(db, new Set([...known, 'bt_f']));
      expect([...named.keys()].sort()).toEqual(['bt_d', 'bt_f']);
      expect([...named.get('bt_d')!]).toEqual(['bt_b']);
      expect(mentionedSince(db, ['bt_a'], 12)).toBe(true); // bt_f
      expect(mentionedSince(db, ['bt_a'], 13)).toBe(false);
      expect(mentionedSince(db, ['bt_a', 'bt_f'], 0)).toBe(false); // named only inside the set
      updateRun(db, 'bt_e', { status: 'running', summary: { next: 'bt_c' } });
      expect(mentionedSince(db, ['bt_c'], 1_000)).toBe(true); // an unfinished run, however old

      const cached = { metrics: { sharpe: 1 }, warnings: [], intermediate: [[1, 0.5]] as [number, number][], ledger: null };
      putCachedResult(db, 'fp_old', cached, 1);
      putCachedResult(db, 'fp_new', cached, 5);
      const entryBytes = 'fp_old'.length + JSON.stringify(cached.metrics).length + 2 + JSON.stringify(cached.intermediate).length;
      expect(cacheEntriesBefore(db, 3)).toEqual({ entries: 1, bytes: entryBytes });
      expect(cacheEntriesBefore(db, 0)).toEqual({ entries: 0, bytes: 0 });
      expect(writeTransaction(db, () => deleteCacheBefore(db, 3))).toBe(1);
      expect(cacheEntriesBefore(db, 10)).toEqual({ entries: 1, bytes: entryBytes });

      insertLegacyResult(db, 'bt_b', RESULT);
      saveBacktestResult(db, 'bt_a', RESULT);
      const legacyBytes = ['metrics', 'warnings', 'trades', 'open_trades', 'skipped'].reduce((n, k) => n + JSON.stringify(RESULT[k as keyof StoredBacktest]).length, 0) + 3 * 8 + 3 * 8;
      expect(legacyResults(db)).toEqual([{ run_id: 'bt_b', kind: 'backtest', bytes: legacyBytes }]);
    });
  });
});

/** Giving space back is SQLite's own mechanism (pages, auto-vacuum, the write-ahead log, the file): PostgreSQL's autovacuum does it there, and vacuumStore refuses a PostgreSQL store. */
describe('gc --vacuum (SQLite store only)', () => {
  it('gives the freed pages of a new store back in incremental steps', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradelab-gc-'));
    dirs.push(dir);
    const file = join(dir, 'tradelab.db');
    const t = Date.UTC(2024, 0, 1);
    filledStore(file, 30, t);
    const v = vacuumed(file, t + DAY);
    expect(v).toMatchObject({ mode: 'incremental', auto: 'incremental', wal: 0 }); // the write-ahead log truncated too
    const base = emptyStorePages();
    expect(v.after - base).toBeLessThan((v.before - base) / 5);
    expect(statSync(file).size).toBeLessThanOrEqual(v.after * 16_384); // the file shrank to the pages left
  });

  it('converts a store made by an older tradelab (no auto-vacuum) with one full VACUUM', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradelab-gc-'));
    dirs.push(dir);
    const file = join(dir, 'tradelab.db');
    const old = new Database(file);
    old.pragma('page_size = 16384');
    old.pragma('journal_mode = WAL');
    migrate(old);
    old.close();
    const t = Date.UTC(2024, 0, 1);
    filledStore(file, 30, t);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('auto_vacuum', { simple: true })).toBe(0);
    check.close();
    const v = vacuumed(file, t + DAY);
    expect(v).toMatchObject({ mode: 'full', auto: 'incremental' });
    const base = emptyStorePages();
    expect(v.after - base).toBeLessThan((v.before - base) / 5);
    expect(statSync(file).size).toBeLessThanOrEqual(v.after * 16_384); // the file shrank to the pages left
  });
});
