import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PgStudyStore } from '../../../src/storage/pg/study-store.js';
import { postgresForFile } from '../../helpers/postgres.js';

const pg15 = postgresForFile();
let last: pg.Pool;

/** `n` stores on one fresh database, each with a pool of its own (workers on other machines). */
async function workers(n: number): Promise<PgStudyStore[]> {
  const { url, pool } = await pg15.migrated();
  const ps = [pool, ...(await Promise.all(Array.from({ length: n - 1 }, () => pg15.pool(url))))];
  last = ps[ps.length - 1];
  return ps.map((p) => new PgStudyStore(p));
}

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);
const sorted = (a: number[]): number[] => [...a].sort((x, y) => x - y);

describe('PgStudyStore with several workers at once', () => {
  it('numbers 4 × 50 concurrently created trials 0..199, unique and without gaps', async () => {
    const ws = await workers(4);
    const s = await ws[0].createStudy({ name: 'c', directions: ['minimize'], datetime_start: 0 });
    const made = await Promise.all(ws.map((w, k) => Promise.all(range(50).map((i) => w.createTrial(s.study_id, { params: { k, i }, datetime_start: i })))));
    expect(sorted(made.flat().map((t) => t.number))).toEqual(range(200));
    const stored = await ws[1].listTrials(s.study_id);
    expect(stored.map((t) => t.number)).toEqual(range(200));
    // each worker got back the trial stored under its number
    for (const t of made.flat()) expect(stored[t.number].params).toEqual(t.params);
  });

  it('keeps a shared limit: 4 workers asking for 20 trials each under a limit of 30 create exactly 30', async () => {
    const ws = await workers(4);
    const s = await ws[0].createStudy({ name: 'l', directions: ['minimize'], datetime_start: 0 });
    const made = await Promise.all(ws.map((w) => Promise.all(range(20).map((i) => w.createTrial(s.study_id, { params: { i }, datetime_start: i, limit: 30 })))));
    expect(sorted(made.flat().flatMap((t) => (t ? [t.number] : [])))).toEqual(range(30));
  });

  it('gives each WAITING trial to exactly one of 4 workers popping at once', async () => {
    const ws = await workers(4);
    const s = await ws[0].createStudy({ name: 'w', directions: ['minimize'], datetime_start: 0 });
    for (const i of range(40)) await ws[0].createTrial(s.study_id, { params: { i }, datetime_start: i });
    for (const i of range(40)) await ws[0].requeueTrial(s.study_id, i);
    const taken = await Promise.all(
      ws.map(async (w, k) => {
        const mine: number[] = [];
        for (let t; (t = await w.popWaitingTrial(s.study_id, { datetime_start: 100, system_attrs: { owner: `w${k}` } })); ) mine.push(t.number);
        return mine;
      }),
    );
    expect(sorted(taken.flat())).toEqual(range(40));
    const owners = (await ws[0].listTrials(s.study_id)).map((t) => t.system_attrs.owner);
    taken.forEach((mine, k) => mine.forEach((n) => expect(owners[n]).toBe(`w${k}`)));
  });

  it('fails each stale trial once and queues one retry of it when two workers look at once', async () => {
    const ws = await workers(2);
    const [a, b] = ws;
    const s = await a.createStudy({ name: 'h', directions: ['minimize'], datetime_start: 0 });
    const dist = { x: { type: 'float', low: 0, high: 1, log: false } as const };
    for (const i of range(12)) await a.createTrial(s.study_id, { params: { x: i / 16 }, distributions: dist, user_attrs: { u: i }, system_attrs: { owner: 'gone' }, datetime_start: 1_000 });
    await a.finishTrial(s.study_id, 11, { state: 'COMPLETE', values: [1], datetime_complete: 2_000 });
    // 0..3 beat recently, 4..7 long ago, 8..10 never (counted from their start)
    expect(await a.heartbeat(s.study_id, [0, 1, 2, 3, 11], 55_000)).toEqual([0, 1, 2, 3]);
    await a.heartbeat(s.study_id, [4, 5, 6, 7], 5_000);
    const results = await Promise.all([a.failStaleTrials(s.study_id, 60_000, 30_000), b.failStaleTrials(s.study_id, 60_000, 30_000)]);
    const failed = results.flatMap((r) => r.failed);
    const retries = results.flatMap((r) => r.retries);
    expect(sorted(failed)).toEqual(range(7, 4));
    expect(sorted(retries)).toEqual(range(7, 12));
    const trials = await a.listTrials(s.study_id);
    for (const r of results) {
      r.failed.forEach((n, i) => {
        const old = trials[n];
        const retry = trials[r.retries[i]];
        expect(old).toMatchObject({ state: 'FAIL', datetime_complete: 60_000, system_attrs: { retried_as: retry.number } });
        expect(old.system_attrs.fail_reason).toBe(`no heartbeat for ${n < 8 ? 55 : 59} s (worker gone)`);
        expect(retry).toMatchObject({ state: 'WAITING', params: old.params, user_attrs: { u: n }, system_attrs: { failed_trial: n, retry_history: [n], owner: 'gone' } });
      });
    }
    expect(trials.filter((t) => t.state === 'RUNNING').map((t) => t.number)).toEqual([0, 1, 2, 3]);
    // a retry that goes stale too keeps its chain, as Optuna's RetryFailedTrialCallback does
    const again = (await a.popWaitingTrial(s.study_id, { datetime_start: 61_000 }))!;
    const second = await b.failStaleTrials(s.study_id, 200_000, 30_000);
    expect(second.failed).toEqual([0, 1, 2, 3, again.number]);
    const chain = (await a.getTrial(s.study_id, second.retries[4]))!;
    expect(chain.system_attrs).toMatchObject({ failed_trial: 4, retry_history: [4, again.number] });
    // a failed trial that was retried no longer counts towards a limit
    expect(await a.createTrial(s.study_id, { params: { x: 0 }, datetime_start: 0, limit: 12 })).toBeNull();
  });

  it('judges a trial run again by its new start, leaves trials of heartbeat-less processes alone, and stops retrying after 3', async () => {
    const [a] = await workers(1);
    const s = await a.createStudy({ name: 'r', directions: ['minimize'], datetime_start: 0 });
    await a.createTrial(s.study_id, { params: { i: 0 }, system_attrs: { owner: 'w1' }, datetime_start: 0 });
    await a.heartbeat(s.study_id, [0], 5_000);
    await a.requeueTrial(s.study_id, 0);
    const again = (await a.popWaitingTrial(s.study_id, { datetime_start: 100_000, system_attrs: { owner: 'w2' } }))!;
    expect(again.number).toBe(0);
    // its old heartbeat (5 s) is older than the grace, its new start (100 s) is not
    expect((await a.failStaleTrials(s.study_id, 110_000, 30_000)).failed).toEqual([]);
    // a trial of a process that sends no heartbeats and has no owner (a Python Optuna worker
    // without heartbeat_interval) is not failed, as Optuna's fail_stale_trials leaves it
    await a.createTrial(s.study_id, { params: { i: 1 }, datetime_start: 0 });
    expect((await a.failStaleTrials(s.study_id, 120_000, 1_000)).failed).toEqual([0]);
    // a configuration failed without a heartbeat 4 times is left FAIL, not retried again
    let n = (await a.getTrial(s.study_id, 0))!.system_attrs.retried_as as number;
    for (let k = 0; k < 3; k++) {
      const t = (await a.popWaitingTrial(s.study_id, { datetime_start: 200_000 + k }))!;
      expect(t.number).toBe(n);
      const res = await a.failStaleTrials(s.study_id, 300_000 + k, 1_000);
      expect(res.failed).toEqual([n]);
      if (k < 2) n = res.retries[0];
      else expect(res.retries).toEqual([]);
    }
    const last = (await a.getTrial(s.study_id, n))!;
    expect(last).toMatchObject({ state: 'FAIL', system_attrs: { retry_history: [0, 2, 3], not_retried: 'failed 4 times without a heartbeat' } });
    expect(last.system_attrs.retried_as).toBeUndefined();
    expect((await a.listTrials(s.study_id)).map((t) => t.state)).toEqual(['FAIL', 'RUNNING', 'FAIL', 'FAIL', 'FAIL']);
  });

  it('leaves a stale trial alone while a worker holds it (finishing it), and that finish then wins', async () => {
    const [a] = await workers(1);
    const s = await a.createStudy({ name: 'f', directions: ['minimize'], datetime_start: 0 });
    for (const i of range(2)) await a.createTrial(s.study_id, { params: { i }, system_attrs: { owner: 'w' }, datetime_start: 0 });
    const c = await last.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT 1 FROM trials WHERE number = 1 FOR UPDATE');
      expect(await a.failStaleTrials(s.study_id, 60_000, 1_000)).toEqual({ failed: [0], retries: [2] });
      await c.query("UPDATE trials SET state = 'COMPLETE' WHERE number = 1");
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    expect((await a.failStaleTrials(s.study_id, 60_000, 1_000)).failed).toEqual([]);
    expect((await a.listTrials(s.study_id)).map((t) => t.state)).toEqual(['FAIL', 'COMPLETE', 'WAITING']);
  });
});
