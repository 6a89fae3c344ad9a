/**
 * A study's in-memory copy of its trials, kept true when other processes write the same
 * study (Optuna's distributed optimisation over one storage): the trials this process runs
 * are its own (their intermediate values are buffered here until the finish); every other
 * unfinished trial (RUNNING elsewhere, or WAITING) is re-read from the store before each
 * proposal, with the trials created since. With one writer that is one indexed read that
 * finds nothing.
 */
import type { StudyStore } from './store.js';
import { isFinished, type AttrValue, type FrozenTrial } from './trial.js';

/** System attribute listing why and when a trial was stopped before it finished ({at, reason} entries). */
export const INTERRUPTIONS_ATTR = 'interruptions';

export class TrialMirror {
  /** By number, without holes. */
  readonly trials: FrozenTrial[];
  /** Trials this process runs (asked or claimed here, not yet told or requeued). */
  private readonly own = new Set<number>();
  /** Unfinished trials that are not ours: they may change in the store. */
  private readonly others = new Set<number>();

  constructor(
    private readonly store: StudyStore,
    private readonly studyId: number,
    trials: FrozenTrial[],
  ) {
    this.trials = trials;
    for (const t of trials) if (!isFinished(t.state)) this.others.add(t.number);
  }

  /** Reads what other writers changed: trials from the lowest one not settled here on. */
  async sync(): Promise<void> {
    let from = this.trials.length;
    for (const n of this.others) from = Math.min(from, n);
    const fresh = await this.store.listTrials(this.studyId, { from });
    for (const t of fresh) if (!this.own.has(t.number)) this.put(t);
  }

  /** Whether some trial waits to be run again (as far as the last sync knows). */
  hasWaiting(): boolean {
    for (const n of this.others) if (this.trials[n].state === 'WAITING') return true;
    return false;
  }

  /** Records a trial this process now runs; fills in (from the store) any trials other writers created before it. */
  async claim(t: FrozenTrial): Promise<void> {
    if (t.number > this.trials.length) {
      for (const x of await this.store.listTrials(this.studyId, { from: this.trials.length })) if (x.number < t.number) this.put(x);
    }
    this.own.add(t.number);
    this.others.delete(t.number);
    this.trials[t.number] = t;
  }

  /** Replaces one of this process's trials (a report, or its finish). */
  update(t: FrozenTrial): void {
    this.trials[t.number] = t;
    if (isFinished(t.state)) this.own.delete(t.number);
  }

  /** One of this process's trials went back to the queue (WAITING): anyone may take it now. */
  release(t: FrozenTrial): void {
    this.own.delete(t.number);
    this.put(t);
  }

  private put(t: FrozenTrial): void {
    this.trials[t.number] = t;
    if (isFinished(t.state)) this.others.delete(t.number);
    else this.others.add(t.number);
  }
}

/** The entries of a trial's `interruptions` attribute with one more. */
export function withInterruption(prior: AttrValue | undefined, at: number, reason: string): AttrValue[] {
  return [...(Array.isArray(prior) ? prior : []), { at, reason }];
}
