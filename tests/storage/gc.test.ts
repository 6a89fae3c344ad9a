import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src/research/app.js';
import { applyGc, planGc } from '../../src/research/retention.js';
import { migrate } from '../../src/storage/db.js';
import type { SqliteStoreSize } from '../../src/storage/size.js';
import { saveBacktestResult } from '../../src/storage/run-results.js';
import { createRun } from '../../src/storage/runs.js';
import { sqliteOf } from '../helpers/sqlite.js';

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

describe('gc --vacuum', () => {
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
