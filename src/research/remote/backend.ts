/**
 * The shared storage remote workers meet in: a PostgreSQL database holding studies (in
 * Optuna's schema) and the datasets their tasks run on. Opening it applies its migrations
 * (once, whichever process comes first).
 */
import type { Candles } from '../../engine/data/candles.js';
import type { StudyStore } from '../../engine/optimizer/store.js';
import { getDatasetCandles, putDataset } from '../../storage/pg/datasets.js';
import { migratePg } from '../../storage/pg/migrations/index.js';
import { databaseNow, isPostgresUrl, openPgPool, redactUrl } from '../../storage/pg/pool.js';
import { PgStudyStore } from '../../storage/pg/study-store.js';
import { studyWork, type StudyWork } from '../../storage/pg/study-work.js';
import { studySummariesPg } from '../../storage/pg/study-summaries.js';
import { enqueueTask, finishTask, hasWaitingTasks, heartbeatTasks, requeueStaleTasks, takeTask, taskOutcomes, withdrawTask, type TakenTask, type TaskOutcome } from '../../storage/pg/tasks.js';
import type { StudySummaryRow } from '../../storage/study-summaries.js';
import { UserError } from '../errors.js';

export interface RemoteBackend {
  readonly url: string;
  readonly store: PgStudyStore & StudyStore;
  /** Stores the bars under their content hash (once, whoever comes first). */
  putDataset(c: Candles, now: number): Promise<string>;
  getDataset(hash: string): Promise<Candles | null>;
  /** The shared queue of backtest tasks (batch items run by workers). */
  readonly tasks: {
    enqueue(queue: string, item: number, task: string, graceMs: number, now: number): Promise<number>;
    take(owner: string, now: number): Promise<TakenTask | null>;
    heartbeat(ids: readonly number[], owner: string, now: number): Promise<void>;
    finish(id: number, owner: string, outcome: { readonly result: string } | { readonly error: string }, now: number): Promise<boolean>;
    requeueStale(now: number): Promise<number>;
    withdraw(id: number, now: number): Promise<boolean>;
    outcomes(ids: readonly number[]): Promise<Map<number, TaskOutcome>>;
    anyWaiting(): Promise<boolean>;
  };
  /** The database server's clock (epoch ms): the one clock the workers judge heartbeats by (server-clock.ts). */
  databaseNow(): Promise<number>;
  /** Every study, as the SQLite store's studySummaries lists them. */
  studySummaries(): Promise<StudySummaryRow[]>;
  /** Trials of a study that count towards its budget, and those open (RUNNING or WAITING). */
  studyWork(studyId: number): Promise<StudyWork>;
  close(): Promise<void>;
}

export async function openRemote(url: string): Promise<RemoteBackend> {
  if (!isPostgresUrl(url)) throw new Error(`--storage must be a postgresql:// URL, got ${JSON.stringify(url)}`);
  let pool: Awaited<ReturnType<typeof openPgPool>>;
  try {
    pool = await openPgPool(url);
  } catch (e) {
    // a server that is down or a wrong URL: the caller's to fix, said without a stack
    throw new UserError((e as Error).message, { field: 'storage', value: redactUrl(url), expected: 'a reachable PostgreSQL server and database (postgresql://USER:PASS@HOST:PORT/DB)' });
  }
  try {
    await migratePg(pool);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return {
    url: redactUrl(url),
    store: new PgStudyStore(pool),
    putDataset: (c, now) => putDataset(pool, c, { now }),
    getDataset: (hash) => getDatasetCandles(pool, hash),
    studyWork: (id) => studyWork(pool, id),
    studySummaries: () => studySummariesPg(pool),
    databaseNow: () => databaseNow(pool),
    tasks: {
      enqueue: (queue, item, task, graceMs, now) => enqueueTask(pool, queue, item, task, graceMs, now),
      take: (owner, now) => takeTask(pool, owner, now),
      heartbeat: (ids, owner, now) => heartbeatTasks(pool, ids, owner, now),
      finish: (id, owner, outcome, now) => finishTask(pool, id, owner, outcome, now),
      requeueStale: (now) => requeueStaleTasks(pool, now),
      withdraw: (id, now) => withdrawTask(pool, id, now),
      outcomes: (ids) => taskOutcomes(pool, ids),
      anyWaiting: () => hasWaitingTasks(pool),
    },
    close: () => pool.end(),
  };
}
