/**
 * A study shared by several workers: its trial budget (trial_limit) stops every writer at
 * n_trials together, and a trial another writer finished meanwhile (failed as stale) is
 * dropped by the loop that ran it, never a crash.
 */
import { describe, expect, it } from 'vitest';
import { optimize } from '../../../src/engine/optimizer/optimize.js';
import { InMemoryStudyStore, type StudyStore } from '../../../src/engine/optimizer/store.js';
import { Study } from '../../../src/engine/optimizer/study.js';

const SPACE = { x: { type: 'float', low: 0, high: 1 } } as const;

function open(store: StudyStore, owner: string, limit?: number): Promise<Study> {
  return Study.open({ store, name: 's', directions: ['minimize'], space: SPACE, sampler: { type: 'random' }, seed: 1, clock: () => Date.now(), owner, isLive: () => true, ...(limit === undefined ? {} : { trial_limit: limit }) });
}

describe('a study shared under a trial budget', () => {
  it('stops two writers at the budget together, as n_trials, with no trial over it', async () => {
    const store = new InMemoryStudyStore();
    const [a, b] = [await open(store, 'a', 30), await open(store, 'b', 30)];
    const slow = async (p: Record<string, unknown>): Promise<number> => {
      await new Promise((r) => setTimeout(r, 1));
      return Number(p.x);
    };
    const signal = new AbortController().signal;
    const [ra, rb] = await Promise.all([optimize(a, slow, { signal }), optimize(b, slow, { signal })]);
    expect([ra.stop_reason, rb.stop_reason]).toEqual(['n_trials', 'n_trials']);
    expect(ra.stop_detail).toMatch(/trial budget is taken/);
    expect(ra.space_exhausted).toBe(false);
    const trials = await store.listTrials(a.record.study_id);
    expect(trials.length).toBe(30);
    expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expect(ra.trials_started + rb.trials_started).toBeGreaterThanOrEqual(30);
    expect(a.full).toBe(true);
  });

  it('drops a trial another writer finished while it ran, and goes on', async () => {
    const store = new InMemoryStudyStore();
    const study = await open(store, 'a');
    const lost: number[] = [];
    const run = await optimize(
      study,
      async (p, ctx) => {
        // another worker judged this trial stale and failed it meanwhile
        if (ctx.number === 1) await store.finishTrial(study.record.study_id, 1, { state: 'FAIL', system_attrs: { fail_reason: 'no heartbeat' }, datetime_complete: Date.now() });
        return Number(p.x);
      },
      { n_trials: 4, onLost: (n) => lost.push(n) },
    );
    expect(run.stop_reason).toBe('n_trials');
    expect(lost).toEqual([1]);
    const trials = await store.listTrials(study.record.study_id);
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE']);
    expect(trials[1].system_attrs.fail_reason).toBe('no heartbeat');
    expect(study.trials[1].state).toBe('FAIL'); // the study's own view took the stored trial
  });
});
