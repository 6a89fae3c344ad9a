/**
 * The remote task queue (migration 004): enqueue a task, take the oldest WAITING one (one
 * taker each: FOR UPDATE SKIP LOCKED), keep it alive with heartbeats, finish it with its
 * result or error, put stale ones back, and read a task's outcome.
 */
import type pg from 'pg';
import { msToDatetime } from '../optuna-model.js';

/** Attempts of one task (a worker killed while running it counts as one) before it is FAIL. */
export const MAX_TASK_ATTEMPTS = 3;

export interface TakenTask {
  readonly task_id: number;
  readonly task: string;
}

export interface TaskOutcome {
  readonly state: 'WAITING' | 'RUNNING' | 'DONE' | 'FAIL';
  readonly result: string | null;
  readonly error: string | null;
}

/** Queues a task; the same (queue, item) again returns the task already there (a resumed batch). */
export async function enqueueTask(pool: pg.Pool, queue: string, item: number, task: string, graceMs: number, now: number): Promise<number> {
  const { rows } = await pool.query<{ task_id: string }>(
    `INSERT INTO tradelab_tasks (queue, item, task, grace_ms, created_at) VALUES ($1, $2, $3, $4, $5::timestamp)
     ON CONFLICT (queue, item) DO UPDATE SET queue = excluded.queue RETURNING task_id`,
    [queue, item, task, graceMs, msToDatetime(now)],
  );
  return Number(rows[0].task_id);
}

export async function takeTask(pool: pg.Pool, owner: string, now: number): Promise<TakenTask | null> {
  const { rows } = await pool.query<{ task_id: string; task: string }>(
    `UPDATE tradelab_tasks SET state = 'RUNNING', owner = $1, heartbeat = $2::timestamp, attempts = attempts + 1
      WHERE task_id = (SELECT task_id FROM tradelab_tasks WHERE state = 'WAITING' ORDER BY task_id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING task_id, task`,
    [owner, msToDatetime(now)],
  );
  return rows[0] ? { task_id: Number(rows[0].task_id), task: rows[0].task } : null;
}

export async function heartbeatTasks(pool: pg.Pool, ids: readonly number[], owner: string, now: number): Promise<void> {
  if (ids.length === 0) return;
  await pool.query(`UPDATE tradelab_tasks SET heartbeat = $3::timestamp WHERE task_id = ANY ($1::bigint[]) AND owner = $2 AND state = 'RUNNING'`, [ids, owner, msToDatetime(now)]);
}

/** Records a task's end; false when it is no longer this owner's (put back as stale meanwhile). */
export async function finishTask(pool: pg.Pool, id: number, owner: string, outcome: { readonly result: string } | { readonly error: string }, now: number): Promise<boolean> {
  const done = 'result' in outcome;
  const { rowCount } = await pool.query(
    `UPDATE tradelab_tasks SET state = $3, result = $4, error = $5, finished_at = $6::timestamp
      WHERE task_id = $1 AND owner = $2 AND state = 'RUNNING'`,
    [id, owner, done ? 'DONE' : 'FAIL', done ? outcome.result : null, done ? null : outcome.error, msToDatetime(now)],
  );
  return rowCount === 1;
}

/** RUNNING tasks silent for longer than their grace go back to WAITING, or FAIL after MAX_TASK_ATTEMPTS; returns how many. */
export async function requeueStaleTasks(pool: pg.Pool, now: number): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE tradelab_tasks
        SET state = CASE WHEN attempts >= $2 THEN 'FAIL' ELSE 'WAITING' END,
            error = CASE WHEN attempts >= $2 THEN 'its worker stopped sending heartbeats ' || attempts || ' times' ELSE error END,
            finished_at = CASE WHEN attempts >= $2 THEN $1::timestamp ELSE finished_at END,
            owner = NULL
      WHERE state = 'RUNNING' AND heartbeat < $1::timestamp - grace_ms * interval '1 millisecond'`,
    [msToDatetime(now), MAX_TASK_ATTEMPTS],
  );
  return rowCount ?? 0;
}

/** Gives up a task nobody has taken yet (the batch was cancelled); true when it was still WAITING. */
export async function withdrawTask(pool: pg.Pool, id: number, now: number): Promise<boolean> {
  const { rowCount } = await pool.query(`UPDATE tradelab_tasks SET state = 'FAIL', error = 'withdrawn: the batch stopped before a worker took it', finished_at = $2::timestamp WHERE task_id = $1 AND state = 'WAITING'`, [id, msToDatetime(now)]);
  return rowCount === 1;
}

export async function taskOutcomes(pool: pg.Pool, ids: readonly number[]): Promise<Map<number, TaskOutcome>> {
  const { rows } = await pool.query<{ task_id: string } & TaskOutcome>('SELECT task_id, state, result, error FROM tradelab_tasks WHERE task_id = ANY ($1::bigint[])', [ids]);
  return new Map(rows.map((r) => [Number(r.task_id), { state: r.state, result: r.result, error: r.error }]));
}

/** Whether any task waits to be taken (a worker's cheap check before it takes one). */
export async function hasWaitingTasks(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM tradelab_tasks WHERE state = 'WAITING') AS any`);
  return rows[0].any;
}
