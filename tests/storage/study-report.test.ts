import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { StudyStore } from '../../src/engine/optimizer/store.js';
import { isPostgres, type Db } from '../../src/storage/db.js';
import { openPgPool } from '../../src/storage/pg/pool.js';
import { PgStudyStore } from '../../src/storage/pg/study-store.js';
import { SqliteStudyStore } from '../../src/storage/study-store.js';
import { latestStudyRunId, studyIntermediateValues, studyTrialRows } from '../../src/storage/study-report.js';
import { createRun } from '../../src/storage/runs.js';
import { eachStore, type StoreUnderTest } from '../helpers/stores.js';

const stores = eachStore();
const pools: pg.Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});

/** The study store of the test's store: SQLite's on its connection, PostgreSQL's on a pool (as the app's workers write studies). */
async function studyStore(store: StoreUnderTest): Promise<{ db: Db; studies: StudyStore }> {
  const db = store.open();
  if (!isPostgres(db)) return { db, studies: new SqliteStudyStore(db) };
  const pool = await openPgPool(store.location(), { max: 2 });
  pools.push(pool);
  return { db, studies: new PgStudyStore(pool) };
}

async function fixture(where: StoreUnderTest) {
  const { db, studies: store } = await studyStore(where);
  const s = await store.createStudy({ name: 'st', directions: ['maximize', 'minimize'], datetime_start: 0 });
  await store.createStudy({ name: 'other', directions: ['maximize'], datetime_start: 0 });
  await store.createTrial(s.study_id, { params: { 'fast': 5, 'risk.stop': 0.02, 'mode': 'a' }, datetime_start: 1 });
  await store.finishTrial(s.study_id, 0, { state: 'COMPLETE', values: [1.5, 0.2], intermediate_values: [[1, 0.5], [0, 0.25]], user_attrs: { metrics: { sharpe: 1.5 } }, datetime_complete: 2 });
  await store.createTrial(s.study_id, { params: { 'fast': 7, 'risk.stop': 0.01, 'mode': 'b' }, datetime_start: 3 });
  await store.finishTrial(s.study_id, 1, { state: 'FAIL', system_attrs: { fail_reason: 'no trades' }, datetime_complete: 4 });
  await store.createTrial(s.study_id, { params: { 'fast': 9, 'risk.stop': 0.03, 'mode': 'a' }, datetime_start: 5 });
  await store.finishTrial(s.study_id, 2, { state: 'FAIL', datetime_complete: 6 });
  await store.createTrial(s.study_id, { params: { 'fast': 11, 'risk.stop': 0.04, 'mode': 'b' }, datetime_start: 7 });
  return { db, store };
}

describe.each(stores)('studyTrialRows ($kind store)', (where) => {
  it('reads every trial of one study with flat params, values in objective order, metrics and fail reasons', async () => {
    const { db } = await fixture(where);
    const rows = studyTrialRows(db, 'st')!;
    expect(rows.map((r) => [r.number, r.state])).toEqual([[0, 'COMPLETE'], [1, 'FAIL'], [2, 'FAIL'], [3, 'RUNNING']]);
    expect(rows[0]).toEqual({ number: 0, state: 'COMPLETE', values: [1.5, 0.2], params: { 'fast': 5, 'risk.stop': 0.02, 'mode': 'a' }, metrics: { sharpe: 1.5 }, fail_reason: undefined });
    expect(rows[1].fail_reason).toBe('no trades');
    expect(rows[1].values).toEqual([]);
    // a FAIL trial without a stored reason, and a RUNNING trial: no reason
    expect(rows[2].fail_reason).toBeUndefined();
    expect(rows[3]).toMatchObject({ state: 'RUNNING', metrics: null, fail_reason: undefined });
    expect(studyTrialRows(db, 'other')).toEqual([]);
    expect(studyTrialRows(db, 'missing')).toBeUndefined();
  });

  it('reads intermediate values by trial in step order, and the newest optimize run of a study', async () => {
    const { db } = await fixture(where);
    expect([...studyIntermediateValues(db, 'st')]).toEqual([[0, [{ step: 0, value: 0.25 }, { step: 1, value: 0.5 }]]]);
    expect(latestStudyRunId(db, 'st')).toBeUndefined();
    createRun(db, { id: 'opt_a', kind: 'optimize', spec: { study_name: 'st' }, now: 1 });
    createRun(db, { id: 'opt_b', kind: 'optimize', spec: { study_name: 'st' }, now: 2 });
    createRun(db, { id: 'opt_c', kind: 'optimize', spec: { study_name: 'other' }, now: 3 });
    expect(latestStudyRunId(db, 'st')).toBe('opt_b');
  });
});
