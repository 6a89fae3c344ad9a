import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/engine/optimizer/store.js';
import { Study } from '../../../src/engine/optimizer/study.js';
import { PgStudyStore } from '../../../src/storage/pg/study-store.js';
import { limitContract, storeContract, type StoreHarness } from '../../engine/optimizer/store-contract.js';
import { postgresForFile } from '../../helpers/postgres.js';

const pg15 = postgresForFile();

/** A fresh migrated database; the harness reopens it with a new pool (another process). */
async function harness(): Promise<StoreHarness & { pool: pg.Pool }> {
  const { url, pool } = await pg15.migrated(3);
  const pools = [pool];
  return {
    pool,
    store: new PgStudyStore(pool),
    reopen: async () => {
      const p = await pg15.pool(url, 3);
      pools.push(p);
      return new PgStudyStore(p);
    },
    close: () => pg15.end(pools),
  };
}

storeContract('PostgreSQL (reopened by a new pool)', harness);
limitContract('PostgreSQL', harness);

describe('PgStudyStore specifics', () => {
  it('refuses direct SQL changes to a finished trial and to a WAITING one (triggers); deleting a study cascades', async () => {
    const { store, pool, close } = await harness();
    const s = await store.createStudy({ name: 's', directions: ['minimize'], datetime_start: 0 });
    await store.createTrial(s.study_id, { params: { x: 1 }, datetime_start: 0 });
    await store.createTrial(s.study_id, { params: { x: 2 }, datetime_start: 0 });
    await store.finishTrial(s.study_id, 0, { state: 'COMPLETE', values: [2], datetime_complete: 1 });
    await store.requeueTrial(s.study_id, 1);
    await expect(pool.query("UPDATE trials SET state = 'FAIL' WHERE number = 0")).rejects.toThrow(/trial 0 is COMPLETE and immutable/);
    await expect(pool.query('UPDATE trial_values SET value = 5')).rejects.toThrow(/immutable/);
    await expect(pool.query("INSERT INTO trial_params (trial_id, param_name, param_value) SELECT trial_id, 'y', 1 FROM trials WHERE number = 0")).rejects.toThrow(/immutable/);
    await expect(pool.query("INSERT INTO trial_user_attributes (trial_id, key, value_json) SELECT trial_id, 'k', '1' FROM trials WHERE number = 1")).rejects.toThrow(/trial 1 is WAITING/);
    await expect(pool.query("UPDATE trials SET state = 'COMPLETE' WHERE number = 1")).rejects.toThrow(/WAITING: it runs before/);
    // the trial finished in this transaction stays writable until it commits (Optuna's order of writes)
    await pool.query(`BEGIN; UPDATE trials SET state = 'RUNNING' WHERE number = 1;
      UPDATE trials SET state = 'PRUNED' WHERE number = 1;
      INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) SELECT trial_id, 0, 1, 'FINITE' FROM trials WHERE number = 1;
      COMMIT`);
    expect((await store.getTrial(s.study_id, 1))?.intermediate_values).toEqual(new Map([[0, 1]]));
    await expect(pool.query("UPDATE trial_intermediate_values SET intermediate_value = 2")).rejects.toThrow(/trial 1 is PRUNED/);
    await pool.query("DELETE FROM studies WHERE study_name = 's'");
    expect((await pool.query('SELECT (SELECT COUNT(*) FROM trials) + (SELECT COUNT(*) FROM trial_params) AS n')).rows).toEqual([{ n: 0 }]);
    close?.();
  });

  it('stores times as naive UTC text and values in Optuna\'s encodings', async () => {
    const { store, pool, close } = await harness();
    const s = await store.createStudy({ name: 'enc', directions: ['maximize'], datetime_start: Date.UTC(2024, 1, 29, 23, 59, 59, 123) });
    await store.createTrial(s.study_id, { params: { n: 3, mode: 'b' }, distributions: { n: { type: 'int', low: 1, high: 9, step: 2 }, mode: { type: 'categorical', choices: ['a', 'b'] } }, datetime_start: 0 });
    await store.finishTrial(s.study_id, 0, { state: 'COMPLETE', values: [Infinity], intermediate_values: [[0, NaN], [1, -Infinity]], datetime_complete: 1 });
    const q = async (sql: string) => (await pool.query(sql)).rows;
    expect(await q('SELECT datetime_start FROM studies')).toEqual([{ datetime_start: '2024-02-29 23:59:59.123' }]);
    expect(await q('SELECT direction FROM study_directions')).toEqual([{ direction: 'MAXIMIZE' }]);
    expect(await q('SELECT param_name, param_value, distribution_json FROM trial_params ORDER BY param_id')).toEqual([
      { param_name: 'n', param_value: 3, distribution_json: '{"name":"IntDistribution","attributes":{"log":false,"step":2,"low":1,"high":9}}' },
      { param_name: 'mode', param_value: 1, distribution_json: '{"name":"CategoricalDistribution","attributes":{"choices":["a","b"]}}' },
    ]);
    expect(await q('SELECT value, value_type FROM trial_values')).toEqual([{ value: null, value_type: 'INF_POS' }]);
    expect(await q('SELECT step, intermediate_value, intermediate_value_type FROM trial_intermediate_values ORDER BY step')).toEqual([
      { step: 0, intermediate_value: null, intermediate_value_type: 'NAN' },
      { step: 1, intermediate_value: null, intermediate_value_type: 'INF_NEG' },
    ]);
    expect(await q('SELECT number, state, datetime_start, datetime_complete FROM trials')).toEqual([
      { number: 0, state: 'COMPLETE', datetime_start: '1970-01-01 00:00:00', datetime_complete: '1970-01-01 00:00:00.001' },
    ]);
    close?.();
  });

  it('returns a finished trial as the rows hold it, also when another process wrote it meanwhile', async () => {
    const { store, pool, reopen, close } = await harness();
    const other = await reopen();
    const s = await store.createStudy({ name: 'k', directions: ['minimize'], datetime_start: 0 });
    for (let i = 0; i < 3; i++) await store.createTrial(s.study_id, { params: { i }, user_attrs: { u: i }, datetime_start: i });
    await other.setTrialAttr(s.study_id, 0, 'user', 'by', 'other');
    await other.setIntermediateValue(s.study_id, 0, 3, 0.5);
    const a = await store.finishTrial(s.study_id, 0, { state: 'COMPLETE', values: [1], intermediate_values: [[4, 1]], datetime_complete: 5 });
    expect(a).toEqual(await store.getTrial(s.study_id, 0));
    expect(a.user_attrs).toEqual({ u: 0, by: 'other' });
    expect(a.intermediate_values).toEqual(new Map([[3, 0.5], [4, 1]]));
    // requeued there and claimed here: known again from the claim
    await other.requeueTrial(s.study_id, 1);
    expect((await store.popWaitingTrial(s.study_id, { datetime_start: 7 }))?.number).toBe(1);
    await other.setTrialAttr(s.study_id, 1, 'system', 'late', true);
    expect(await store.finishTrial(s.study_id, 1, { state: 'FAIL', datetime_complete: 8 })).toMatchObject({ system_attrs: { late: true } });
    // finished there first: refused here, nothing written
    await other.finishTrial(s.study_id, 2, { state: 'PRUNED', datetime_complete: 9 });
    await expect(store.finishTrial(s.study_id, 2, { state: 'COMPLETE', values: [2], datetime_complete: 10 })).rejects.toMatchObject({ code: 'trial_finished' });
    expect((await store.getTrial(s.study_id, 2))?.state).toBe('PRUNED');
    // a study that does not exist, a trial that does not
    // (one at a time: a rejection nobody awaits yet would be an unhandled one)
    for (const call of [() => store.createTrial(999, { params: {}, datetime_start: 0 }), () => store.listTrials(999), () => store.finishTrial(999, 0, { state: 'FAIL', datetime_complete: 0 })]) {
      await expect(call()).rejects.toMatchObject({ code: 'study_not_found' });
    }
    await expect(store.finishTrial(s.study_id, 9, { state: 'FAIL', datetime_complete: 0 })).rejects.toBeInstanceOf(StoreError);
    expect((await pool.query("SELECT COUNT(*) AS n FROM trials")).rows).toEqual([{ n: 3 }]);
    close?.();
  });

  it('asks and tells a trial in three statements: create, the read of what others created, finish', async () => {
    const { store, pool, close } = await harness();
    const study = await Study.open({ store, name: 'rt', directions: ['minimize'], space: { x: { type: 'float', low: 0, high: 1 } }, seed: 1, clock: () => 1, trial_limit: 100 });
    const sql: string[] = [];
    let connects = 0;
    const query = pool.query.bind(pool) as (...a: unknown[]) => unknown;
    const connect = pool.connect.bind(pool) as (...a: unknown[]) => unknown;
    Object.assign(pool, {
      query: (...a: unknown[]) => (sql.push(String((a[0] as { name?: string }).name ?? a[0])), query(...a)),
      connect: (...a: unknown[]) => (connects++, connect(...a)),
    });
    for (let i = 0; i < 4; i++) {
      const t = (await study.ask())!;
      await study.tell(t.number, { state: 'COMPLETE', values: [t.params.x as number] });
    }
    expect(sql).toEqual(Array.from({ length: 4 }, () => ['tradelab_trials', 'tradelab_create_trial', 'tradelab_finish_trial']).flat());
    expect(connects).toBe(sql.length); // pool.query's own: no transaction of several statements
    // what the finishes returned (built, not read) is what the rows hold
    expect(await store.listTrials(study.record.study_id)).toEqual(study.trials);
    close?.();
  });
});
