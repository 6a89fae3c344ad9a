/**
 * The server's job runner for long work (optimize, walk_forward, large batches). A job is a
 * stored run that goes queued → running → succeeded | failed | cancelled. Tools wait for it
 * up to a budget while relaying progress, then hand back the run id; `get_run` reports
 * later. The queue is bounded in total and per client so one client cannot starve others.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { createRun, getRun, updateRun, type RunKind, type RunProgress, type RunRow } from '../storage/runs.js';
import type { App } from './app.js';
import { InputError } from '../engine/errors.js';
import { UserError } from './errors.js';

export interface JobContext {
  readonly run_id: string;
  readonly signal: AbortSignal;
  /** Records progress (throttled to the db) and relays it to waiting tool calls. */
  progress(done: number, total: number | null, message?: string): void;
}

export type JobWork = (ctx: JobContext) => Promise<Record<string, unknown>>;

/**
 * Thrown by job work that ran to its end but failed as a whole (e.g. a study whose trials all
 * failed): the run is `failed` with this message and still keeps the summary.
 */
export class JobFailed extends Error {
  constructor(
    message: string,
    readonly summary: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'JobFailed';
  }
}

interface Job {
  readonly run_id: string;
  readonly kind: RunKind;
  readonly clientId: string;
  readonly controller: AbortController;
  readonly promise: Promise<RunRow>;
  readonly listeners: Set<(p: RunProgress) => void>;
  progress: RunProgress | null;
  settled: boolean;
}

export interface JobRunnerOptions {
  readonly concurrency?: number;
  readonly maxPerClient?: number;
  readonly maxQueued?: number;
}

export class JobRunner {
  private readonly jobs = new Map<string, Job>();
  private readonly limit: LimitFunction;
  private readonly maxPerClient: number;
  private readonly maxQueued: number;

  constructor(
    private readonly app: App,
    opts: JobRunnerOptions = {},
  ) {
    this.limit = pLimit(opts.concurrency ?? 1);
    this.maxPerClient = opts.maxPerClient ?? app.config.limits.max_jobs_per_client;
    this.maxQueued = opts.maxQueued ?? app.config.limits.max_queued_jobs;
  }

  /** Active (queued or running) jobs, optionally of one client. */
  active(clientId?: string): number {
    let n = 0;
    for (const j of this.jobs.values()) if (!j.settled && (clientId === undefined || j.clientId === clientId)) n++;
    return n;
  }

  start(kind: RunKind, clientId: string, spec: Record<string, unknown>, work: JobWork, extra: { strategy?: string; dataset_id?: number; parent_id?: string } = {}): RunRow {
    if (this.active(clientId) >= this.maxPerClient) {
      throw new UserError(`too many jobs: this client already has ${this.active(clientId)} running or queued (limit ${this.maxPerClient})`, {
        field: 'jobs',
        expected: `at most ${this.maxPerClient} concurrent jobs per client`,
        hint: 'wait for one to finish (get_run) or cancel one (cancel_run)',
      });
    }
    if (this.active() >= this.maxQueued) {
      throw new UserError(`the server's job queue is full (${this.maxQueued} jobs)`, { field: 'jobs', hint: 'try again when a job has finished' });
    }
    const run = createRun(this.app.db, { kind, status: 'queued', spec, strategy: extra.strategy ?? null, dataset_id: extra.dataset_id ?? null, parent_id: extra.parent_id ?? null, now: this.app.now() });
    const controller = new AbortController();
    const listeners = new Set<(p: RunProgress) => void>();
    let lastWrite = 0;
    const job: Job = {
      run_id: run.id,
      kind,
      clientId,
      controller,
      listeners,
      progress: null,
      settled: false,
      promise: this.limit(async () => {
        if (controller.signal.aborted) return this.finish(run.id, 'cancelled', null, 'cancelled before it started');
        updateRun(this.app.db, run.id, { status: 'running', started_at: this.app.now() });
        const ctx: JobContext = {
          run_id: run.id,
          signal: controller.signal,
          progress: (done, total, message) => {
            const p: RunProgress = { done, total, ...(message ? { message } : {}) };
            job.progress = p;
            const t = this.app.now();
            if (t - lastWrite > 250 || (total !== null && done >= total)) {
              lastWrite = t;
              updateRun(this.app.db, run.id, { progress: p });
            }
            for (const l of listeners) l(p);
          },
        };
        try {
          const summary = await work(ctx);
          return this.finish(run.id, controller.signal.aborted ? 'cancelled' : 'succeeded', summary, null, job.progress);
        } catch (e) {
          // any input error (a UserError, a SpaceError, a DataError…) is stored with its field and what was expected
          const msg = e instanceof InputError ? e.describe() : e instanceof Error ? e.message : String(e);
          return this.finish(run.id, controller.signal.aborted ? 'cancelled' : 'failed', e instanceof JobFailed ? e.summary : null, msg, job.progress);
        }
      }).finally(() => {
        job.settled = true;
      }),
    };
    this.jobs.set(run.id, job);
    return getRun(this.app.db, run.id) as RunRow;
  }

  private finish(id: string, status: RunRow['status'], summary: Record<string, unknown> | null, error: string | null, progress?: RunProgress | null): RunRow {
    updateRun(this.app.db, id, { status, summary, error, finished_at: this.app.now(), ...(progress ? { progress } : {}) });
    return getRun(this.app.db, id) as RunRow;
  }

  /** Requests cancellation; the job stops at its next trial/window boundary. */
  cancel(runId: string): boolean {
    const j = this.jobs.get(runId);
    if (!j || j.settled) return false;
    j.controller.abort();
    return true;
  }

  isLive(runId: string): boolean {
    const j = this.jobs.get(runId);
    return !!j && !j.settled;
  }

  /**
   * Waits up to `ms` for the job, relaying progress; aborting `signal` cancels the job.
   * Returns the run row (finished or not).
   */
  async wait(runId: string, ms: number, signal?: AbortSignal, onProgress?: (p: RunProgress) => void): Promise<{ done: boolean; run: RunRow }> {
    const j = this.jobs.get(runId);
    if (!j) return { done: true, run: getRun(this.app.db, runId) as RunRow };
    if (onProgress) j.listeners.add(onProgress);
    const onAbort = (): void => {
      j.controller.abort();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<null>((res) => {
        timer = setTimeout(() => res(null), ms);
      });
      const r = await Promise.race([j.promise, timeout]);
      return r ? { done: true, run: r } : { done: false, run: getRun(this.app.db, runId) as RunRow };
    } finally {
      if (timer) clearTimeout(timer);
      if (onProgress) j.listeners.delete(onProgress);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Cancels everything and waits for the jobs to settle (shutdown). */
  async close(): Promise<void> {
    for (const j of this.jobs.values()) if (!j.settled) j.controller.abort();
    await Promise.allSettled([...this.jobs.values()].map((j) => j.promise));
  }
}
