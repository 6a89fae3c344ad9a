/**
 * The StudyStore contract: every adapter (in-memory, SQLite, PostgreSQL) must pass this suite.
 * `reopen` returns a store over the same persisted data (a new process, for SQLite); for
 * the in-memory adapter it returns the same instance.
 */
import { describe, expect, it } from 'vitest';
import { StoreError, type StudyStore } from '../../../src/engine/optimizer/store.js';
import { Study } from '../../../src/engine/optimizer/study.js';
import type { SearchSpace } from '../../../src/engine/optimizer/space.types.js';

export interface StoreHarness {
  readonly store: StudyStore;
  reopen(): Promise<StudyStore>;
  close?(): void;
}

const SPACE: SearchSpace = {
  x: { type: 'float', low: 0, high: 1 },
  n: { type: 'int', low: 1, high: 9 },
  mode: { type: 'categorical', choices: ['a', 'b', null, true] },
};

async function expectStoreError(p: Promise<unknown>, code: StoreError['code']): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(StoreError);
  await p.catch((e: StoreError) => expect(e.code).toBe(code));
}

export function storeContract(name: string, make: () => Promise<StoreHarness>): void {
  describe(`StudyStore contract: ${name}`, () => {
    it('creates, finds and lists studies; names are unique', async () => {
      const { store, close } = await make();
      const a = await store.createStudy({ name: 'a', directions: ['maximize', 'minimize'], user_attrs: { note: 'x' }, system_attrs: { k: [1, 2] }, datetime_start: 5 });
      expect(a.name).toBe('a');
      expect(a.directions).toEqual(['maximize', 'minimize']);
      const again = await store.getStudy('a');
      expect(again).toEqual(a);
      expect(await store.getStudy('missing')).toBeNull();
      await expectStoreError(store.createStudy({ name: 'a', directions: ['minimize'], datetime_start: 0 }), 'study_exists');
      await store.createStudy({ name: 'b', directions: ['minimize'], datetime_start: 6 });
      expect((await store.listStudies()).map((s) => s.name)).toEqual(['a', 'b']);
      await store.setStudyAttr(a.study_id, 'system', 'k', { changed: true });
      await store.setStudyAttr(a.study_id, 'user', 'note2', 3);
      const b = (await store.getStudy('a'))!;
      expect(b.system_attrs).toEqual({ k: { changed: true } });
      expect(b.user_attrs).toEqual({ note: 'x', note2: 3 });
      close?.();
    });

    it("runs a finish's alongside writes once with it; when they throw, the trial stays RUNNING", async () => {
      const { store, close } = await make();
      const s = await store.createStudy({ name: 'al', directions: ['minimize'], datetime_start: 0 });
      await store.createTrial(s.study_id, { params: { x: 1 }, datetime_start: 0 });
      await store.createTrial(s.study_id, { params: { x: 2 }, datetime_start: 0 });
      const calls: number[] = [];
      await expect(
        store.finishTrial(s.study_id, 0, {
          state: 'COMPLETE',
          values: [1],
          datetime_complete: 1,
          alongside: () => {
            throw new Error('alongside failed');
          },
        }),
      ).rejects.toThrow(/alongside failed/);
      expect((await store.getTrial(s.study_id, 0))?.state).toBe('RUNNING');
      await store.finishTrial(s.study_id, 0, { state: 'COMPLETE', values: [1], datetime_complete: 2, alongside: () => calls.push(0) });
      await store.finishTrial(s.study_id, 1, { state: 'FAIL', datetime_complete: 3, alongside: () => calls.push(1) });
      expect(calls).toEqual([0, 1]);
      expect((await store.getTrial(s.study_id, 0))?.values).toEqual([1]);
      close?.();
    });

    it('numbers trials per study and round-trips params exactly', async () => {
      const { store, close } = await make();
      const s1 = await store.createStudy({ name: 's1', directions: ['minimize'], datetime_start: 0 });
      const s2 = await store.createStudy({ name: 's2', directions: ['minimize'], datetime_start: 0 });
      const p = { x: 0.35, n: 7, mode: null, 'thresholds.entry': 0.1 + 0.2, flag: true, name: 'a "quoted" str' };
      const t0 = await store.createTrial(s1.study_id, { params: p, distributions: SPACE, datetime_start: 10 });
      const t1 = await store.createTrial(s1.study_id, { params: { x: 1 }, datetime_start: 11 });
      const u0 = await store.createTrial(s2.study_id, { params: { x: 2 }, datetime_start: 12 });
      expect([t0.number, t1.number, u0.number]).toEqual([0, 1, 0]);
      expect(t0.state).toBe('RUNNING');
      const read = (await store.getTrial(s1.study_id, 0))!;
      expect(read.params).toEqual(p);
      expect(read.params['thresholds.entry']).toBe(0.30000000000000004);
      expect(read.datetime_start).toBe(10);
      expect(read.datetime_complete).toBeNull();
      expect(await store.getTrial(s1.study_id, 5)).toBeNull();
      // what finishTrial returns is exactly what is stored
      const fin = await store.finishTrial(s1.study_id, 0, { state: 'COMPLETE', values: [-0], constraints: [-Infinity, 2], intermediate_values: [[4, NaN]], system_attrs: { a: [1, { b: null }] }, datetime_complete: 20 });
      expect(fin).toEqual(await store.getTrial(s1.study_id, 0));
      expect(fin.params).toEqual(p);
      close?.();
    });

    it('finishes a trial atomically with values, intermediate values, constraints and attributes', async () => {
      const { store, close } = await make();
      const s = await store.createStudy({ name: 's', directions: ['maximize'], datetime_start: 0 });
      await store.createTrial(s.study_id, { params: { x: 0.5 }, user_attrs: { u: 1 }, datetime_start: 1 });
      await store.setIntermediateValue(s.study_id, 0, 0, 0.25);
      await store.setIntermediateValue(s.study_id, 0, 1, NaN);
      await store.setTrialAttr(s.study_id, 0, 'system', 'sys', 'v');
      const done = await store.finishTrial(s.study_id, 0, {
        state: 'COMPLETE',
        values: [1.5],
        constraints: [-2, 0.5, Infinity],
        intermediate_values: [[2, 0.75]],
        user_attrs: { run_id: 'bt_1' },
        system_attrs: { extra: [1, 'two'] },
        datetime_complete: 9,
      });
      for (const t of [done, (await store.getTrial(s.study_id, 0))!]) {
        expect(t.state).toBe('COMPLETE');
        expect(t.values).toEqual([1.5]);
        expect(t.constraints).toEqual([-2, 0.5, Infinity]);
        expect([...t.intermediate_values.entries()].sort((a, b) => a[0] - b[0])).toEqual([[0, 0.25], [1, NaN], [2, 0.75]]);
        expect(t.user_attrs).toEqual({ u: 1, run_id: 'bt_1' });
        expect(t.system_attrs).toEqual({ sys: 'v', extra: [1, 'two'] });
        expect(t.datetime_complete).toBe(9);
      }
      close?.();
    });

    it('keeps finished trials immutable and refuses invalid finishes', async () => {
      const { store, close } = await make();
      const s = await store.createStudy({ name: 's', directions: ['minimize', 'minimize'], datetime_start: 0 });
      await store.createTrial(s.study_id, { params: { x: 1 }, datetime_start: 0 });
      await expectStoreError(store.finishTrial(s.study_id, 0, { state: 'COMPLETE', values: [1], datetime_complete: 1 }), 'invalid');
      await expectStoreError(store.finishTrial(s.study_id, 0, { state: 'COMPLETE', values: [1, NaN], datetime_complete: 1 }), 'invalid');
      expect((await store.getTrial(s.study_id, 0))!.state).toBe('RUNNING');
      await store.finishTrial(s.study_id, 0, { state: 'PRUNED', intermediate_values: [[3, 2]], datetime_complete: 2 });
      const before = await store.getTrial(s.study_id, 0);
      await expectStoreError(store.finishTrial(s.study_id, 0, { state: 'FAIL', datetime_complete: 3 }), 'trial_finished');
      await expectStoreError(store.setIntermediateValue(s.study_id, 0, 4, 1), 'trial_finished');
      await expectStoreError(store.setTrialAttr(s.study_id, 0, 'user', 'k', 1), 'trial_finished');
      expect(await store.getTrial(s.study_id, 0)).toEqual(before);
      expect(before!.values).toBeNull();
      await expectStoreError(store.setIntermediateValue(s.study_id, 7, 0, 1), 'trial_not_found');
      close?.();
    });

    it('returns frozen snapshots and filters listings by state and number', async () => {
      const { store, close } = await make();
      const s = await store.createStudy({ name: 's', directions: ['minimize'], datetime_start: 0 });
      for (let i = 0; i < 4; i++) await store.createTrial(s.study_id, { params: { i }, datetime_start: i });
      await store.finishTrial(s.study_id, 1, { state: 'COMPLETE', values: [1], datetime_complete: 5 });
      await store.finishTrial(s.study_id, 2, { state: 'FAIL', datetime_complete: 5 });
      const all = await store.listTrials(s.study_id);
      expect(all.map((t) => t.state)).toEqual(['RUNNING', 'COMPLETE', 'FAIL', 'RUNNING']);
      expect((await store.listTrials(s.study_id, { states: ['RUNNING'] })).map((t) => t.number)).toEqual([0, 3]);
      expect((await store.listTrials(s.study_id, { from: 2 })).map((t) => t.number)).toEqual([2, 3]);
      expect(() => {
        (all[1].params as Record<string, unknown>).i = 99;
      }).toThrow(TypeError);
      expect((await store.getTrial(s.study_id, 1))!.params).toEqual({ i: 1 });
      close?.();
    });

    it('resumes: a trial RUNNING when its process died goes back to WAITING and is run first, under its own number', async () => {
      const h = await make();
      let clock = 100;
      const opts = { name: 'res', directions: ['minimize'] as const, space: SPACE, seed: 3, clock: () => clock++, owner: 'host:1' };
      const study = await Study.open({ ...opts, store: h.store });
      for (let i = 0; i < 3; i++) {
        const a = (await study.ask())!;
        await study.tell(a.number, { state: 'COMPLETE', values: [i] });
      }
      const left = (await study.ask())!; // the process "dies" while trial 3 runs
      expect(left).toMatchObject({ number: 3, retry: false });
      study.report(3, 0, 0.5); // buffered only: the stopped attempt leaves no intermediate value
      const store2 = await h.reopen();
      // its owner still lives: another process leaves the trial alone
      const beside = await Study.open({ ...opts, store: store2, owner: 'host:2', isLive: (o) => o === 'host:1' });
      expect(beside.interruptedOnOpen).toEqual([]);
      expect(beside.trials[3].state).toBe('RUNNING');
      const resumed = await Study.open({ ...opts, store: store2, owner: 'host:2', isLive: () => false });
      expect(resumed.resumed).toBe(true);
      expect(resumed.interruptedOnOpen).toEqual([3]);
      expect(resumed.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'WAITING']);
      expect(resumed.trials[3].system_attrs.interruptions).toEqual([{ at: expect.any(Number), reason: 'its process stopped while the trial ran' }]);
      expect(resumed.trials.slice(0, 3).map((t) => t.values)).toEqual([[0], [1], [2]]);
      const retry = (await resumed.ask())!;
      expect(retry).toEqual({ number: 3, params: left.params, retry: true });
      expect(resumed.trials[3]).toMatchObject({ state: 'RUNNING', system_attrs: { owner: 'host:2' } });
      const next = (await resumed.ask())!;
      expect(next).toMatchObject({ number: 4, retry: false });
      await resumed.tell(3, { state: 'COMPLETE', values: [3] });
      const stored = await store2.listTrials(resumed.record.study_id);
      expect(stored.map((t) => [t.number, t.state])).toEqual([[0, 'COMPLETE'], [1, 'COMPLETE'], [2, 'COMPLETE'], [3, 'COMPLETE'], [4, 'RUNNING']]);
      expect(stored[3].params).toEqual(left.params);
      h.close?.();
    });

    it('requeues a RUNNING trial as WAITING (its owner permitting) and lets exactly one caller take it back', async () => {
      const { store, close } = await make();
      const s = await store.createStudy({ name: 'q', directions: ['minimize'], datetime_start: 0 });
      for (let i = 0; i < 3; i++) await store.createTrial(s.study_id, { params: { i }, system_attrs: { owner: 'a' }, datetime_start: i });
      await store.setIntermediateValue(s.study_id, 1, 0, 7);
      expect(await store.requeueTrial(s.study_id, 1, { if_owner: 'b' })).toBeNull(); // another owner's
      const w = (await store.requeueTrial(s.study_id, 1, { if_owner: 'a', system_attrs: { why: 'x' } }))!;
      expect(w).toMatchObject({ number: 1, state: 'WAITING', params: { i: 1 }, system_attrs: { owner: 'a', why: 'x' } });
      expect(w.intermediate_values.size).toBe(0);
      expect(await store.getTrial(s.study_id, 1)).toEqual(w);
      expect(await store.requeueTrial(s.study_id, 1)).toBeNull(); // no longer RUNNING
      await store.requeueTrial(s.study_id, 2);
      // a WAITING trial takes no write until it runs again
      await expectStoreError(store.finishTrial(s.study_id, 1, { state: 'COMPLETE', values: [1], datetime_complete: 9 }), 'trial_waiting');
      await expectStoreError(store.setTrialAttr(s.study_id, 1, 'user', 'k', 1), 'trial_waiting');
      await expectStoreError(store.setIntermediateValue(s.study_id, 1, 0, 1), 'trial_waiting');
      // lowest number first, each taken once
      const first = (await store.popWaitingTrial(s.study_id, { datetime_start: 50, system_attrs: { owner: 'c' } }))!;
      expect(first).toMatchObject({ number: 1, state: 'RUNNING', datetime_start: 50, system_attrs: { owner: 'c', why: 'x' } });
      expect((await store.popWaitingTrial(s.study_id, { datetime_start: 51 }))?.number).toBe(2);
      expect(await store.popWaitingTrial(s.study_id, { datetime_start: 52 })).toBeNull();
      const done = await store.finishTrial(s.study_id, 1, { state: 'COMPLETE', values: [1], datetime_complete: 60 });
      expect(done).toEqual(await store.getTrial(s.study_id, 1));
      expect(await store.requeueTrial(s.study_id, 1)).toBeNull(); // finished: stays finished
      expect((await store.getTrial(s.study_id, 1))?.state).toBe('COMPLETE');
      close?.();
    });
  });
}

/**
 * The createTrial `limit` (a budget shared by the writers of a study): run by adapters that
 * implement it (in-memory, SQLite, PostgreSQL).
 */
export function limitContract(name: string, make: () => Promise<StoreHarness>): void {
  describe(`StudyStore limit contract: ${name}`, () => {
    it('creates a trial only while fewer than `limit` trials count, consuming no number otherwise', async () => {
      const { store, close } = await make();
      const s = await store.createStudy({ name: 'lim', directions: ['minimize'], datetime_start: 0 });
      const made = [];
      for (let i = 0; i < 4; i++) made.push(await store.createTrial(s.study_id, { params: { i }, datetime_start: i, limit: 3 }));
      expect(made.map((t) => t?.number ?? null)).toEqual([0, 1, 2, null]);
      expect((await store.createTrial(s.study_id, { params: { i: 9 }, datetime_start: 9, limit: 4 }))?.number).toBe(3);
      expect((await store.createTrial(s.study_id, { params: { i: 10 }, datetime_start: 10 })).number).toBe(4);
      expect((await store.listTrials(s.study_id)).map((t) => t.params.i)).toEqual([0, 1, 2, 9, 10]);
      close?.();
    });

    it('counts every trial but a FAIL one carrying `retried_as` (its retry counts instead)', async () => {
      const { store, close } = await make();
      const s = await store.createStudy({ name: 'lim2', directions: ['minimize'], datetime_start: 0 });
      for (let i = 0; i < 4; i++) await store.createTrial(s.study_id, { params: { i }, datetime_start: i });
      await store.finishTrial(s.study_id, 0, { state: 'FAIL', system_attrs: { retried_as: 9 }, datetime_complete: 5 });
      await store.finishTrial(s.study_id, 1, { state: 'FAIL', datetime_complete: 5 });
      await store.finishTrial(s.study_id, 2, { state: 'PRUNED', datetime_complete: 5 });
      await store.requeueTrial(s.study_id, 3);
      // counted: 1 (FAIL, not retried), 2 (PRUNED), 3 (WAITING)
      expect(await store.createTrial(s.study_id, { params: { i: 4 }, datetime_start: 6, limit: 3 })).toBeNull();
      expect((await store.createTrial(s.study_id, { params: { i: 4 }, datetime_start: 6, limit: 4 }))?.number).toBe(4);
      expect(await store.createTrial(s.study_id, { params: { i: 5 }, datetime_start: 7, limit: 4 })).toBeNull();
      close?.();
    });

    it('never overshoots when callers race for the last places', async () => {
      const { store, close } = await make();
      const s = await store.createStudy({ name: 'lim3', directions: ['minimize'], datetime_start: 0 });
      const all = await Promise.all(Array.from({ length: 12 }, (_, i) => store.createTrial(s.study_id, { params: { i }, datetime_start: i, limit: 5 })));
      expect(all.filter((t) => t !== null).map((t) => t!.number).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
      expect(await store.listTrials(s.study_id)).toHaveLength(5);
      close?.();
    });
  });
}
