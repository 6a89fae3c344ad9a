/**
 * Several writers of one study (each a Study over the same store, as separate processes would
 * be): trials are numbered once and contiguously, each writer proposes knowing the others'
 * trials, a dead writer's trial is taken over by a live one, and a loop that fails on a store
 * error leaves no trial RUNNING under its live owner. Over both store adapters.
 */
import { describe, expect, it } from 'vitest';
import { optimize } from '../../../src/engine/optimizer/optimize.js';
import { validateSpace } from '../../../src/engine/optimizer/space.js';
import type { FlatParams } from '../../../src/engine/optimizer/space.types.js';
import { InMemoryStudyStore, type StudyStore, type TrialFinish } from '../../../src/engine/optimizer/store.js';
import { Study } from '../../../src/engine/optimizer/study.js';
import { openDb } from '../../../src/storage/db.js';
import { SqliteStudyStore } from '../../../src/storage/study-store.js';

const SPACE = validateSpace({ x: { type: 'float', low: -5, high: 5 }, n: { type: 'int', low: 0, high: 50 } });
const f = (p: FlatParams): number => ((p.x as number) - 1) ** 2 + (p.n as number) / 10;
const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const STORES: Record<string, () => StudyStore> = {
  'in-memory': () => new InMemoryStudyStore(),
  sqlite: () => new SqliteStudyStore(openDb(':memory:')),
};

function open(store: StudyStore, owner: string, isLive: (o: string | null) => boolean): Promise<Study> {
  return Study.open({ store, name: 'shared', directions: ['minimize'], space: SPACE, sampler: { type: 'tpe', n_startup_trials: 4 }, seed: 3, clock: () => Date.now(), owner, isLive });
}

for (const [name, make] of Object.entries(STORES)) {
  describe(`several writers of one study (${name} store)`, () => {
    it('number trials once and contiguously, and each proposes knowing the others\u2019 trials', async () => {
      const store = make();
      const a = await open(store, 'a', () => true);
      const b = await open(store, 'b', () => true);
      const seen: number[] = [];
      const slow = async (p: FlatParams): Promise<number> => (await later(1 + Math.floor(Math.abs(p.x as number))), f(p));
      await Promise.all([
        optimize(a, slow, { n_trials: 15 }),
        optimize(b, async (p) => {
          seen.push(b.trials.filter((t) => t.system_attrs.owner === 'a').length);
          return slow(p);
        }, { n_trials: 15 }),
      ]);
      const all = await store.listTrials(a.record.study_id);
      expect(all.map((t) => t.number)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(all.every((t) => t.state === 'COMPLETE')).toBe(true);
      expect(all.filter((t) => t.system_attrs.owner === 'a')).toHaveLength(15);
      // b's proposals saw more and more of a's trials
      expect(seen[seen.length - 1]).toBeGreaterThan(5);
      // each mirror holds every trial up to its own last one, in place, without holes
      for (const s of [a, b]) expect(s.trials.map((t) => [t.number, t.params])).toEqual(all.slice(0, s.trials.length).map((t) => [t.number, t.params]));
    });

    it("take over a dead writer's trial, found on open or while running, under its number", async () => {
      const store = make();
      const dead = await open(store, 'dead', () => true);
      const left = (await dead.ask())!; // its process dies while trial 0 runs
      const other = await open(store, 'other', () => true);
      const kept = (await other.ask())!; // trial 1: its writer lives on (for a while)
      let otherAlive = true;
      const live = await open(store, 'live', (o) => o === 'live' || (o === 'other' && otherAlive));
      expect(live.interruptedOnOpen).toEqual([left.number]);
      expect(live.trials[kept.number].state).toBe('RUNNING');
      const order: number[] = [];
      await optimize(
        live,
        async (p, ctx) => {
          if (ctx.number === 3) otherAlive = false; // 'other' dies while this study runs
          await later(1);
          return f(p);
        },
        { n_trials: 5, onTrial: (t) => order.push(t.number) },
      );
      // the dead writer's trial first; the other's as soon as it is gone, before anything new
      expect(order).toEqual([0, 2, 3, 1, 4]);
      const all = await store.listTrials(live.record.study_id);
      expect(all.map((t) => [t.state, t.system_attrs.owner])).toEqual(Array(5).fill(['COMPLETE', 'live']));
      expect(all[0]).toMatchObject({ params: left.params, system_attrs: { interruptions: [{ at: expect.any(Number), reason: 'its process stopped while the trial ran' }] } });
      expect(all[1].params).toEqual(kept.params);
    });

    it('a loop that fails on a store error puts the trials it still runs back to WAITING', async () => {
      const base = make();
      let fail = true;
      const store: StudyStore = Object.assign(Object.create(base) as StudyStore, {
        finishTrial: (id: number, n: number, finish: TrialFinish) => {
          if (n === 2 && fail) {
            fail = false;
            return Promise.reject(new Error('disk I/O error'));
          }
          return base.finishTrial(id, n, finish);
        },
      });
      const study = await open(store, 'me', (o) => o === 'me');
      await expect(optimize(study, f, { n_trials: 6 })).rejects.toThrow(/disk I\/O error/);
      const all = await base.listTrials(study.record.study_id);
      expect(all.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'WAITING']);
      expect(all[2].system_attrs.interruptions).toEqual([{ at: expect.any(Number), reason: 'the study stopped on an error: Error: disk I/O error' }]);
      const again = await open(base, 'me', (o) => o === 'me');
      await optimize(again, f, { n_trials: 4 });
      expect((await base.listTrials(study.record.study_id)).map((t) => t.state)).toEqual(Array(6).fill('COMPLETE'));
    });
  });
}
