/**
 * One research journey over MCP on each store, the embedded SQLite file and PostgreSQL
 * (TRADELAB_DATABASE_URL): a backtest (and its cached repeat), a champion promotion through the
 * gates (DSR from the trial ledger), an optimisation (its study in Optuna's tables, its trials
 * in the ledger) and its analysis. Both stores must give the same numbers. On PostgreSQL, a
 * second App on the same database (another machine) then sees all of it, and no SQLite file
 * was written.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/research/app.js';
import { closeShared } from '../../src/research/remote/shared.js';
import { getCurrentChampion } from '../../src/storage/champions.js';
import { isPostgres } from '../../src/storage/db.js';
import { listDatasets } from '../../src/storage/datasets.js';
import { getRun, listRuns } from '../../src/storage/runs.js';
import { fixture, removeTempDirs, SYMBOL, TF } from '../helpers/champions.js';
import { journey, type Outcome } from '../helpers/journey.js';
import { postgresForFile } from '../helpers/postgres.js';

const pg15 = postgresForFile();
afterAll(() => removeTempDirs());

const outcomes: Partial<Record<'sqlite' | 'postgres', Outcome>> = {};

describe('one journey on each store', () => {
  it('SQLite (the embedded default)', async () => {
    const { run_ids: _, ...o } = await journey(fixture());
    outcomes.sqlite = o;
  }, 120_000);

  it('PostgreSQL: datasets, runs, the study, the trial ledger and champions; another App on the database sees them', async () => {
    const url = await pg15.server.createDatabase();
    const f = fixture({ storage: url });
    expect(isPostgres(f.app.db)).toBe(true);
    const { run_ids, ...o } = await journey(f);
    outcomes.postgres = o;
    const other = openApp({ storage: url, home: f.root, root: f.root, config: {} });
    try {
      expect(listDatasets(other.db).map((d) => d.symbol)).toEqual([SYMBOL]);
      expect(getRun(other.db, run_ids[2])?.status).toBe('succeeded');
      expect(listRuns(other.db, { limit: 100, offset: 0 }).runs.map((r) => r.id)).toEqual(expect.arrayContaining(run_ids));
      expect(getCurrentChampion(other.db, { strategy: 'sma_cross', symbol: SYMBOL, timeframe: TF })?.version).toBe(1);
    } finally {
      await closeShared(other);
      other.db.close();
    }
    expect(existsSync(join(f.root, 'tradelab.db'))).toBe(false);
    expect(readdirSync(f.root).filter((n) => n.endsWith('.db'))).toEqual([]);
  }, 120_000);

  it('both stores give the same metrics, gates, best trial, ledger and analysis', () => {
    expect(outcomes.sqlite).toBeDefined();
    expect(outcomes.postgres).toEqual(outcomes.sqlite);
  });
});
