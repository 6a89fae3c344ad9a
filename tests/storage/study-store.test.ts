import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb, type Db, type SqliteDb } from '../../src/storage/db.js';
import { SqliteStudyStore } from '../../src/storage/study-store.js';
import { limitContract, storeContract, type StoreHarness } from '../engine/optimizer/store-contract.js';

function sqliteHarness(): StoreHarness {
  const dir = mkdtempSync(join(tmpdir(), 'tradelab-studies-'));
  const file = join(dir, 'test.db');
  const dbs: SqliteDb[] = [openDb(file)];
  return {
    store: new SqliteStudyStore(dbs[0]),
    reopen: async () => {
      const db = openDb(file);
      dbs.push(db);
      return new SqliteStudyStore(db);
    },
    close: () => {
      for (const db of dbs) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

storeContract('SQLite (file, reopened by a new connection)', async () => sqliteHarness());
limitContract('SQLite', async () => sqliteHarness());

describe('SqliteStudyStore specifics', () => {
  it('writes a finished trial in one transaction: a failing finish leaves the trial RUNNING and unchanged', async () => {
    const db = openDb(':memory:');
    const store = new SqliteStudyStore(db);
    const s = await store.createStudy({ name: 's', directions: ['minimize'], datetime_start: 0 });
    await store.createTrial(s.study_id, { params: { x: 1 }, datetime_start: 0 });
    // step -1 is invalid: thrown after the values row was written, inside the transaction
    await expect(store.finishTrial(s.study_id, 0, { state: 'COMPLETE', values: [2], intermediate_values: [[-1, 3]], datetime_complete: 1 })).rejects.toThrow(/step/);
    const t = (await store.getTrial(s.study_id, 0))!;
    expect(t.state).toBe('RUNNING');
    expect(db.prepare('SELECT COUNT(*) AS n FROM trial_values').get()).toEqual({ n: 0 });
    db.close();
  });

  it("commits a finish's alongside writes in the trial's transaction: both or neither", async () => {
    const db = openDb(':memory:');
    const store = new SqliteStudyStore(db);
    const s = await store.createStudy({ name: 's', directions: ['minimize'], datetime_start: 0 });
    await store.createTrial(s.study_id, { params: { x: 1 }, datetime_start: 0 });
    const note = (id: string) => () => db.prepare("INSERT INTO runs (id, kind, status, spec, created_at) VALUES (?, 'backtest', 'succeeded', '{}', 0)").run(id);
    // the finish fails after the alongside write (an invalid step): the write is rolled back too
    await expect(store.finishTrial(s.study_id, 0, { state: 'COMPLETE', values: [2], intermediate_values: [[-1, 3]], datetime_complete: 1, alongside: note('a') })).rejects.toThrow(/step/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 0 });
    await store.finishTrial(s.study_id, 0, { state: 'COMPLETE', values: [2], datetime_complete: 1, alongside: note('b') });
    expect(db.prepare('SELECT id FROM runs').all()).toEqual([{ id: 'b' }]);
    db.close();
  });

  it('refuses direct SQL changes to a finished trial (triggers)', async () => {
    const db = openDb(':memory:');
    const store = new SqliteStudyStore(db);
    const s = await store.createStudy({ name: 's', directions: ['minimize'], datetime_start: 0 });
    await store.createTrial(s.study_id, { params: { x: 1 }, datetime_start: 0 });
    await store.finishTrial(s.study_id, 0, { state: 'COMPLETE', values: [2], datetime_complete: 1 });
    expect(() => db.prepare("UPDATE trials SET state = 'FAIL'").run()).toThrow(/immutable/);
    expect(() => db.prepare('UPDATE trial_values SET value = 5').run()).toThrow(/immutable/);
    expect(() => db.prepare('UPDATE trial_params SET param_value = 2').run()).toThrow(/immutable/);
    // inserts are refused by the store (Optuna's own storage writes a trial's values in the flush that finishes it)
    await expect(store.setTrialAttr(s.study_id, 0, 'user', 'k', 1)).rejects.toThrow(/immutable|finished/);
    db.prepare("DELETE FROM studies WHERE study_name = 's'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM trials').get()).toEqual({ n: 0 });
    db.close();
  });
});
