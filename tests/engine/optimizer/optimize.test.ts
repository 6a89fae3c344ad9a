import pLimit from 'p-limit';
import { TaskCancelled } from '../../../src/engine/cancel.js';
import { describe, expect, it } from 'vitest';
import { optimize, remainingTrials, TrialFailed, TrialPruned } from '../../../src/engine/optimizer/optimize.js';
import { convergence, countsByState, studyResults } from '../../../src/engine/optimizer/results.js';
import { validateSpace } from '../../../src/engine/optimizer/space.js';
import type { FlatParams } from '../../../src/engine/optimizer/space.types.js';
import { InMemoryStudyStore } from '../../../src/engine/optimizer/store.js';
import { Study, StudySignatureError, type StudyOptions } from '../../../src/engine/optimizer/study.js';

const SPACE = validateSpace({ x: { type: 'float', low: -5, high: 5 }, y: { type: 'int', low: 0, high: 10 } });
const f = (p: FlatParams): number => ((p.x as number) - 1) ** 2 + (p.y as number);

function options(extra: Partial<StudyOptions> = {}): StudyOptions {
  let now = 1_000;
  return { store: new InMemoryStudyStore(), name: 'study', directions: ['minimize'], space: SPACE, seed: 42, clock: () => now++, ...extra };
}

describe('Study ask / tell', () => {
  it('numbers trials, stores params and values, and keeps finished trials immutable', async () => {
    const study = await Study.open(options());
    const a = (await study.ask())!;
    const b = (await study.ask())!;
    expect([a.number, b.number]).toEqual([0, 1]);
    expect(study.trials.map((t) => t.state)).toEqual(['RUNNING', 'RUNNING']);
    const done = await study.tell(a.number, { state: 'COMPLETE', values: [f(a.params)], user_attrs: { run_id: 'bt_1' } });
    expect(done.values).toEqual([f(a.params)]);
    await expect(study.tell(a.number, { state: 'FAIL', reason: 'again' })).rejects.toThrow(/immutable/);
    expect(() => study.report(a.number, 0, 1)).toThrow(/immutable/);
    const stored = await study.store.getTrial(study.record.study_id, 0);
    expect(stored).toEqual(done);
  });

  it('turns a NaN or a wrong number of values into a FAIL trial, not an error', async () => {
    const study = await Study.open(options());
    const a = (await study.ask())!;
    expect((await study.tell(a.number, { state: 'COMPLETE', values: [NaN] })).state).toBe('FAIL');
    expect(study.trials[0].system_attrs.fail_reason).toMatch(/NaN/);
    const b = (await study.ask())!;
    expect((await study.tell(b.number, { state: 'COMPLETE', values: [1, 2] })).system_attrs.fail_reason).toMatch(/2 value\(s\) for 1 objective/);
  });

  it('report() records intermediate values, asks the pruner and writes them with the finished trial', async () => {
    const study = await Study.open(options({ pruner: { type: 'median', n_startup_trials: 2 } }));
    for (const v of [1, 3]) {
      const t = (await study.ask())!;
      for (let s = 0; s < 3; s++) expect(study.report(t.number, s, v)).toBe(false);
      await study.tell(t.number, { state: 'COMPLETE', values: [v] });
    }
    const t = (await study.ask())!;
    expect(study.report(t.number, 0, 1.5)).toBe(false); // median of 1 and 3 is 2
    expect(study.report(t.number, 0, 99)).toBe(false); // a step already reported is ignored
    expect(study.report(t.number, 1, 2.5)).toBe(false); // best so far 1.5
    const pruned = await study.tell(t.number, { state: 'PRUNED' });
    expect([...pruned.intermediate_values.entries()]).toEqual([[0, 1.5], [1, 2.5]]);
    const u = (await study.ask())!;
    expect(study.report(u.number, 0, 2.5)).toBe(true);
    expect(() => study.report(u.number, -1, 1)).toThrow(/non-negative integer/);
  });

  it('refuses to resume when the signature changed, naming what changed; force records it', async () => {
    const store = new InMemoryStudyStore();
    const first = await Study.open(options({ store, signature: { dataset_hash: 'abc', strategy: 'sma_cross' } }));
    await optimize(first, f, { n_trials: 3 });
    const changedSpace = validateSpace({ x: { type: 'float', low: -5, high: 6 }, y: { type: 'int', low: 0, high: 10 } });
    const err = await Study.open(options({ store, space: changedSpace, signature: { dataset_hash: 'abd', strategy: 'sma_cross' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudySignatureError);
    expect((err as StudySignatureError).changed).toEqual(['dataset_hash', 'space']);
    expect((err as Error).message).toMatch(/dataset_hash \(stored "abc", now "abd"\)/);
    const forced = await Study.open(options({ store, space: changedSpace, signature: { dataset_hash: 'abd', strategy: 'sma_cross' }, force: true }));
    expect(forced.record.system_attrs.forced_resumes).toEqual([{ at: expect.any(Number), changed: ['dataset_hash', 'space'] }]);
    expect(forced.trials).toHaveLength(3);
  });

  it('the sampler config seed, when given, takes precedence over the study seed', async () => {
    const run = async (seed: number, samplerSeed?: number) => {
      const study = await Study.open(options({ seed, sampler: { type: 'tpe', ...(samplerSeed === undefined ? {} : { seed: samplerSeed }) } }));
      await optimize(study, f, { n_trials: 15 });
      return study.trials.map((t) => t.params);
    };
    expect(await run(1, 9)).toEqual(await run(2, 9));
    expect(await run(1)).not.toEqual(await run(2));
  });

  it('a resumed study proposes exactly what the uninterrupted one would have', async () => {
    const whole = await Study.open(options());
    await optimize(whole, f, { n_trials: 30 });
    const store = new InMemoryStudyStore();
    const part = await Study.open(options({ store }));
    await optimize(part, f, { n_trials: 17 });
    const resumed = await Study.open(options({ store }));
    expect(remainingTrials(resumed, 30)).toBe(13);
    await optimize(resumed, f, { n_trials: remainingTrials(resumed, 30) });
    expect(resumed.trials.map((t) => t.params)).toEqual(whole.trials.map((t) => t.params));
  });
});

describe('optimize()', () => {
  it('stops after n_trials and stores every trial; errors and NaN become FAIL trials', async () => {
    const study = await Study.open(options());
    const seen: number[] = [];
    const summary = await optimize(
      study,
      (p, ctx) => {
        if (ctx.number === 3) throw new Error('boom');
        if (ctx.number === 5) return NaN;
        return f(p);
      },
      { n_trials: 12, onTrial: (t) => seen.push(t.number) },
    );
    expect(summary).toMatchObject({ stop_reason: 'n_trials', stop_detail: 'started the 12 trial(s) asked for', trials_started: 12 });
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(countsByState(study.trials)).toEqual({ RUNNING: 0, COMPLETE: 10, PRUNED: 0, FAIL: 2, WAITING: 0 });
    expect(study.trials[3].system_attrs.fail_reason).toBe('Error: boom');
    expect((await study.store.listTrials(study.record.study_id)).length).toBe(12);
  });

  it('TrialFailed fails a trial with its reason and keeps what was measured', async () => {
    const study = await Study.open(options());
    await optimize(
      study,
      (p, ctx) => {
        if (ctx.number % 2 === 1) throw new TrialFailed('objective sharpe is null: no closed trades', { metrics: { trades: 0, sharpe: null } });
        return f(p);
      },
      { n_trials: 4 },
    );
    expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE', 'FAIL']);
    const failed = study.trials[1];
    expect(failed.system_attrs.fail_reason).toBe('objective sharpe is null: no closed trades');
    expect(failed.user_attrs.metrics).toEqual({ trades: 0, sharpe: null });
    expect(failed.values).toBeNull();
    expect(await study.store.getTrial(study.record.study_id, 3)).toEqual(study.trials[3]);
  });

  it('stops on a timeout measured with the injected clock', async () => {
    let now = 0;
    const study = await Study.open(options({ clock: () => now }));
    const summary = await optimize(
      study,
      (p) => {
        now += 100;
        return f(p);
      },
      { timeout_ms: 450 },
    );
    expect(summary.stop_reason).toBe('timeout');
    expect(summary.stop_detail).toBe('the timeout of 0.45 s was reached after 5 trial(s) had started');
    expect(study.trials).toHaveLength(5);
  });

  it('cancellation stops at the next trial boundary; finished trials stay', async () => {
    const study = await Study.open(options());
    const ctl = new AbortController();
    const summary = await optimize(
      study,
      (p, ctx) => {
        if (ctx.number === 6) ctl.abort();
        return f(p);
      },
      { n_trials: 50, signal: ctl.signal },
    );
    expect(summary.stop_reason).toBe('cancelled');
    expect(summary.stop_detail).toBe('cancelled after 7 trial(s) had started');
    expect(study.trials).toHaveLength(7);
    expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
  });

  it('runs n_jobs trials at once; running trials are visible to the sampler', async () => {
    const study = await Study.open(options());
    let active = 0;
    let peak = 0;
    let runningSeen = 0;
    await optimize(
      study,
      async (p) => {
        active++;
        peak = Math.max(peak, active);
        runningSeen = Math.max(runningSeen, study.trials.filter((t) => t.state === 'RUNNING').length);
        await new Promise((r) => setTimeout(r, 2));
        active--;
        return f(p);
      },
      { n_trials: 20, n_jobs: 3 },
    );
    expect(peak).toBe(3);
    expect(runningSeen).toBe(3);
    expect(study.trials).toHaveLength(20);
    expect(new Set(study.trials.map((t) => t.number)).size).toBe(20);
  });

  it('queue_ahead asks that many extra trials early: they are RUNNING while they wait, and all trials are told', async () => {
    const study = await Study.open(options());
    let runningSeen = 0;
    let evaluating = 0;
    let evaluatingPeak = 0;
    // an evaluator of 2 slots (like a pool of 2 workers): the extra trial waits for a slot
    const slots = pLimit(2);
    await optimize(
      study,
      (p) => {
        runningSeen = Math.max(runningSeen, study.trials.filter((t) => t.state === 'RUNNING').length);
        return slots(async () => {
          evaluating++;
          evaluatingPeak = Math.max(evaluatingPeak, evaluating);
          await new Promise((r) => setTimeout(r, 2));
          evaluating--;
          return f(p);
        });
      },
      { n_trials: 15, n_jobs: 2, queue_ahead: 1 },
    );
    expect(runningSeen).toBe(3);
    expect(evaluatingPeak).toBe(2);
    expect(study.trials).toHaveLength(15);
    expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    await expect(optimize(study, f, { n_trials: 1, queue_ahead: -1 })).rejects.toThrow(/queue_ahead must be an integer >= 0/);
  });

  it('a trial queued ahead and given up on cancel goes back to WAITING, is not counted, and is run first next time', async () => {
    const study = await Study.open(options());
    const ctl = new AbortController();
    let evaluated = 0;
    const slots = pLimit(1);
    const summary = await optimize(
      study,
      (p, ctx) =>
        slots(async () => {
          // as an evaluator does: a task whose signal aborted before it started is given up
          if (ctx.signal.aborted) throw new TaskCancelled();
          await new Promise((r) => setTimeout(r, 3));
          if (++evaluated === 3) ctl.abort();
          return f(p);
        }),
      { n_trials: 20, n_jobs: 1, queue_ahead: 1, signal: ctl.signal },
    );
    expect(summary.stop_reason).toBe('cancelled');
    expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'WAITING']);
    expect(study.trials[3].system_attrs.interruptions).toEqual([{ at: expect.any(Number), reason: 'cancelled before it started' }]);
    expect(remainingTrials(study, 10)).toBe(7);
    const given = study.trials[3].params;
    const order: number[] = [];
    await optimize(study, f, { n_trials: 7, onTrial: (t) => order.push(t.number) });
    expect(order).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(study.trials[3]).toMatchObject({ state: 'COMPLETE', params: given, values: [f(given)] });
    expect(remainingTrials(study, 10)).toBe(0);
  });

  it("a trial whose own records fail to store is told as FAIL with the reason; the study goes on", async () => {
    const study = await Study.open(options());
    let n = 0;
    await optimize(
      study,
      (p) => ({
        values: f(p),
        alongside: () => {
          if (n++ === 1) throw new Error('disk full');
        },
      }),
      { n_trials: 4 },
    );
    expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE']);
    expect(study.trials[1].system_attrs.fail_reason).toMatch(/storing the trial's own records failed: disk full/);
  });

  it('answers cache hits without evaluating, marked cache_hit', async () => {
    const study = await Study.open(options());
    let calls = 0;
    await optimize(
      study,
      (p) => {
        calls++;
        return f(p);
      },
      { n_trials: 10, lookup: (p) => ((p.y as number) % 2 === 0 ? { values: -1, user_attrs: { run_id: 'cached' } } : null) },
    );
    const hits = study.trials.filter((t) => t.system_attrs.cache_hit === true);
    expect(hits.length).toBeGreaterThan(0);
    expect(calls).toBe(10 - hits.length);
    for (const h of hits) expect(h).toMatchObject({ state: 'COMPLETE', values: [-1], user_attrs: { run_id: 'cached' } });
  });

  it('stops as exhausted after a streak of already-evaluated proposals (tiny discrete space)', async () => {
    const tiny = validateSpace({ a: { type: 'int', low: 0, high: 2 }, b: { type: 'categorical', choices: [true, false] } });
    const study = await Study.open(options({ space: tiny }));
    let calls = 0;
    const summary = await optimize(
      study,
      (p) => {
        calls++;
        return (p.a as number) + (p.b ? 0 : 1);
      },
      { n_trials: 500, duplicate_limit: 20 },
    );
    expect(summary.stop_reason).toBe('exhausted');
    expect(summary.stop_detail).toMatch(/^20 proposals in a row were configurations the study had already evaluated/);
    expect(calls).toBeLessThanOrEqual(6);
    expect(study.trials.length).toBeLessThan(500);
    const dup = study.trials.filter((t) => t.system_attrs.duplicate_of !== undefined);
    expect(dup.length).toBeGreaterThanOrEqual(20);
    for (const d of dup) expect(d.values).toEqual(study.trials[d.system_attrs.duplicate_of as number].values);
  });

  it('objectives can stop themselves when report() says prune', async () => {
    const study = await Study.open(options({ pruner: { type: 'median', n_startup_trials: 3 } }));
    await optimize(
      study,
      (p, ctx) => {
        const v = f(p);
        for (let s = 0; s < 5; s++) if (ctx.report(s, v)) throw new TrialPruned();
        return v;
      },
      { n_trials: 30 },
    );
    const c = countsByState(study.trials);
    expect(c.PRUNED).toBeGreaterThan(0);
    expect(c.COMPLETE + c.PRUNED).toBe(30);
    for (const t of study.trials.filter((x) => x.state === 'PRUNED')) expect(t.intermediate_values.size).toBeGreaterThan(0);
  });

  it('requires a stop condition and validates n_jobs', async () => {
    const study = await Study.open(options());
    await expect(optimize(study, f)).rejects.toThrow(/needs n_trials, timeout_ms or a signal/);
    await expect(optimize(study, f, { n_trials: 1, n_jobs: 0 })).rejects.toThrow(/n_jobs must be an integer >= 1/);
  });
});

describe('results', () => {
  it('best, top N, convergence (feasible first), counts and importance', async () => {
    const study = await Study.open(options());
    await optimize(study, (p) => ({ values: f(p), constraints: [(p.y as number) - 5] }), { n_trials: 40 });
    const r = studyResults(SPACE, study.trials, study.directions, { top: 3 });
    expect(r.counts.COMPLETE).toBe(40);
    expect(r.best!.constraints![0]).toBeLessThanOrEqual(0);
    const feasible = study.trials.filter((t) => t.constraints![0] <= 0).map((t) => t.values![0]);
    expect(r.best!.values![0]).toBe(Math.min(...feasible));
    expect(r.top.map((t) => t.values![0])).toEqual([...feasible].sort((a, b) => a - b).slice(0, 3));
    const conv = convergence(study.trials, study.directions);
    expect(conv.at(-1)!.best).toBe(r.best!.values![0]);
    for (let i = 1; i < conv.length; i++) if (conv[i - 1].best_feasible && conv[i].best !== null) expect(conv[i].best!).toBeLessThanOrEqual(conv[i - 1].best!);
    expect(Object.keys(r.importance!)).toEqual(['x', 'y']);
    expect(r.pareto_front).toEqual([]);
  });
});
