/**
 * Interrupting a study (n_jobs 1) any number of times, at any point, and resuming it gives the
 * same trials — numbers, states, params, values — as running it once with the same seed:
 * - "kill": the process dies while trial k runs (its objective never returns; a new Study
 *   opens the same store, as a new process would);
 * - "cancel": the study is cancelled while trial k is queued, before it started (what Ctrl-C
 *   does to a trial behind the inline evaluator's yield): it goes back to WAITING;
 * - "stop": cancelled at a trial boundary.
 * Over both store adapters, for TPE with a median pruner and for the random sampler, and for a
 * study that ends exhausted by repeated proposals (the duplicate streak carries over resumes).
 */
import { describe, expect, it } from 'vitest';
import { TaskCancelled } from '../../../src/engine/cancel.js';
import { optimize, remainingTrials, type Objective, type OptimizeSummary } from '../../../src/engine/optimizer/optimize.js';
import { validateSpace } from '../../../src/engine/optimizer/space.js';
import { InMemoryStudyStore, type StudyStore } from '../../../src/engine/optimizer/store.js';
import { Study, type StudyOptions } from '../../../src/engine/optimizer/study.js';
import type { FrozenTrial } from '../../../src/engine/optimizer/trial.js';
import { openDb } from '../../../src/storage/db.js';
import { SqliteStudyStore } from '../../../src/storage/study-store.js';

type Mode = 'kill' | 'cancel' | 'stop';

const CONTINUOUS = validateSpace({ x: { type: 'float', low: -5, high: 5 }, y: { type: 'int', low: 0, high: 30 }, m: { type: 'categorical', choices: ['a', 'b'] } });
const SMALL = validateSpace({ x: { type: 'int', low: 0, high: 4 }, y: { type: 'int', low: 0, high: 3 } });

const value = (p: Record<string, unknown>): number => ((p.x as number) - 1) ** 2 + (p.y as number) / 7 + (p.m === 'b' ? 0.5 : 0);

/** Reports 4 checkpoints (so the median pruner can stop it), then the value. */
const objective: Objective = async (p, ctx) => {
  await new Promise<void>((r) => setImmediate(r)); // as the inline evaluator yields before it starts
  if (ctx.signal.aborted) throw new TaskCancelled();
  for (let s = 0; s < 4; s++) if (ctx.report(s, value(p) * (4 - s))) return { pruned: true };
  return value(p);
};

interface Case {
  readonly space: typeof CONTINUOUS;
  readonly sampler: StudyOptions['sampler'];
  readonly pruner?: StudyOptions['pruner'];
  readonly n: number;
  readonly duplicate_limit?: number;
}

const CASES: Record<string, Case> = {
  'tpe + median pruner': { space: CONTINUOUS, sampler: { type: 'tpe', n_startup_trials: 6 }, pruner: { type: 'median', n_startup_trials: 4, n_warmup_steps: 1 }, n: 30 },
  random: { space: CONTINUOUS, sampler: { type: 'random' }, n: 25 },
  'random, exhausted by repeats': { space: SMALL, sampler: { type: 'random' }, n: 200, duplicate_limit: 6 },
};

const STORES: Record<string, () => { store: () => StudyStore }> = {
  'in-memory': () => {
    const s = new InMemoryStudyStore();
    return { store: () => s };
  },
  sqlite: () => {
    const db = openDb(':memory:');
    return { store: () => new SqliteStudyStore(db) };
  },
};

function open(c: Case, store: StudyStore): Promise<Study> {
  let now = 1_000;
  return Study.open({ store, name: 'resume', directions: ['minimize'], space: c.space, sampler: c.sampler, pruner: c.pruner, seed: 11, clock: () => now++ });
}

const shape = (t: FrozenTrial) => ({ number: t.number, state: t.state, params: t.params, values: t.values, steps: [...t.intermediate_values.entries()] });

async function uninterrupted(c: Case): Promise<{ trials: ReturnType<typeof shape>[]; summary: OptimizeSummary }> {
  const study = await open(c, new InMemoryStudyStore());
  const summary = await optimize(study, objective, { n_trials: c.n, duplicate_limit: c.duplicate_limit });
  return { trials: study.trials.map(shape), summary };
}

/** Runs the study to its n_trials, interrupted at each `[trial number, mode]` in turn, reopening it after each. */
async function interrupted(
  c: Case,
  stores: { store: () => StudyStore },
  plan: readonly (readonly [number, Mode])[],
): Promise<{ trials: ReturnType<typeof shape>[]; summary: OptimizeSummary; requeued: number[]; killed: number[] }> {
  const requeued: number[] = [];
  // (a repeat of a COMPLETE trial is answered from it without running: nothing to kill or cancel there)
  const killed: number[] = [];
  let last: OptimizeSummary | null = null;
  for (let i = 0; i <= plan.length; i++) {
    const study = await open(c, stores.store());
    requeued.push(...study.interruptedOnOpen);
    const [at, mode] = plan[i] ?? [Infinity, 'stop'];
    const ctl = new AbortController();
    const run = optimize(
      study,
      async (p, ctx) => {
        if (ctx.number === at && mode === 'kill') {
          killed.push(at);
          return new Promise<never>(() => undefined); // dies mid-trial
        }
        if (ctx.number === at && mode === 'cancel') ctl.abort(); // Ctrl-C while it is queued
        return objective(p, ctx);
      },
      { n_trials: remainingTrials(study, c.n), duplicate_limit: c.duplicate_limit, signal: ctl.signal, onTrial: (t) => t.number === at && mode === 'stop' && ctl.abort() },
    );
    if (mode === 'kill' && at !== Infinity) {
      // the "process" is gone once trial `at` is RUNNING: the next Study opens the store afresh
      let ended = false;
      void run.then((s) => ((last = s), (ended = true)));
      while (!ended && study.trials[at]?.state !== 'RUNNING') await new Promise<void>((r) => setImmediate(r));
      if (!ended) continue;
    } else last = await run;
    if (last?.stop_reason === 'exhausted') break;
  }
  const final = await open(c, stores.store());
  return { trials: final.trials.map(shape), summary: last as OptimizeSummary, requeued, killed };
}

describe('resuming an interrupted study reproduces the uninterrupted one (n_jobs 1)', () => {
  for (const [name, c] of Object.entries(CASES)) {
    for (const [storeName, makeStore] of Object.entries(STORES)) {
      it(`${name}, ${storeName} store`, async () => {
        const whole = await uninterrupted(c);
        const plans: (readonly (readonly [number, Mode])[])[] = [
          [[0, 'kill']],
          [[3, 'cancel']],
          [[5, 'stop'], [6, 'kill'], [6, 'kill'], [7, 'cancel'], [12, 'kill'], [13, 'stop'], [19, 'cancel']],
          // one interruption per trial near the end: some fall inside a streak of repeats (a
          // stop fires on every trial; a kill or cancel only on one that runs its objective)
          Array.from({ length: 12 }, (_, i) => [16 + i, 'stop'] as const),
        ];
        let kills = 0;
        for (const plan of plans) {
          const resumed = await interrupted(c, makeStore(), plan);
          expect(resumed.trials).toEqual(whole.trials);
          expect(resumed.trials.every((t) => t.state !== 'RUNNING' && t.state !== 'WAITING')).toBe(true);
          // every kill put its trial back once; the same trial killed twice is re-run twice
          expect(resumed.requeued).toEqual(resumed.killed);
          kills += resumed.killed.length;
          expect(resumed.summary.stop_reason).toBe(whole.summary.stop_reason);
        }
        expect(kills).toBeGreaterThanOrEqual(3);
        if (c.duplicate_limit) {
          expect(whole.summary.stop_reason).toBe('exhausted');
          expect(whole.trials.length).toBeGreaterThan(8); // past several interruption points
        }
        else expect(whole.trials).toHaveLength(c.n);
        if (c.pruner) expect(whole.trials.some((t) => t.state === 'PRUNED')).toBe(true);
      });
    }
  }
});
