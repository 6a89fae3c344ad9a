/**
 * A study's in-memory copy of its trials, kept true when other processes write the same
 * study (Optuna's distributed optimisation over one storage): the trials this process runs
 * are its own (their intermediate values are buffered here until the finish); before each
 * proposal the trials created elsewhere since are read, and every unfinished trial of
 * another writer (RUNNING there, or WAITING) is read again, one by one, so the cost follows
 * what the others have in flight, not the length of the study. With one writer that is one
 * indexed read that finds nothing.
 */
import { OWNER_ATTR, type StudyStore } from './store.js';
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

  /** Reads what other writers changed: the trials they created, and the state of those they run or left waiting. */
  async sync(): Promise<void> {
    const known = this.trials.length;
    for (const t of await this.store.listTrials(this.studyId, { from: known })) if (!this.own.has(t.number)) this.put(t);
    for (const n of [...this.others]) {
      if (n >= known) continue;
      const t = await this.store.getTrial(this.studyId, n);
      if (t) this.put(t);
    }
  }

  /** Trials another writer is running (as far as the last sync knows). */
  othersRunning(): FrozenTrial[] {
    return [...this.others].map((n) => this.trials[n]).filter((t) => t.state === 'RUNNING');
  }

  /** Replaces a trial of another writer (read again after a change made here). */
  refresh(t: FrozenTrial): void {
    if (!this.own.has(t.number)) this.put(t);
  }

  /** Numbers of the trials this process runs. */
  ownNumbers(): number[] {
    return [...this.own];
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

/** The process a trial's `owner` system attribute names, or null. */
export function ownerOf(t: FrozenTrial): string | null {
  const o = t.system_attrs[OWNER_ATTR];
  return typeof o === 'string' ? o : null;
}

/**
 * Puts a RUNNING trial whose process is gone back to WAITING (unless another process took it
 * first: then the trial as it is now, `requeued: false`).
 */
export async function requeueOrphan(store: StudyStore, studyId: number, t: FrozenTrial, now: number): Promise<{ trial: FrozenTrial; requeued: boolean }> {
  const attrs = { [INTERRUPTIONS_ATTR]: withInterruption(t.system_attrs[INTERRUPTIONS_ATTR], now, 'its process stopped while the trial ran') };
  const requeued = await store.requeueTrial(studyId, t.number, { if_owner: ownerOf(t), system_attrs: attrs });
  return requeued ? { trial: requeued, requeued: true } : { trial: (await store.getTrial(studyId, t.number)) as FrozenTrial, requeued: false };
}
