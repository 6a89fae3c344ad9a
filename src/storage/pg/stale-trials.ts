/**
 * Heartbeats and stale trials, for workers on other machines (Optuna's heartbeat protocol on
 * the same `trial_heartbeats` table): a worker records a heartbeat for the trials it runs;
 * any process may then fail the RUNNING trials whose worker has gone silent and queue a
 * retry of each, as Optuna's `fail_stale_trials` with a `RetryFailedTrialCallback` does.
 *
 * Times are the callers' epoch ms, stored as naive UTC (Optuna's own heartbeats are the
 * server's `now()`; migration 001 puts the database in UTC so both read alike).
 */
import type pg from 'pg';
import { OWNER_ATTR, RETRIED_AS_ATTR } from '../../engine/optimizer/store.js';
import type { AttrValue } from '../../engine/optimizer/trial.js';
import { datetimeToMs, msToDatetime, parseAttrJson } from '../optuna-model.js';

/** Retries of one configuration after which a trial failed without a heartbeat is left FAIL. */
export const MAX_RETRIES = 3;
import { inTransaction } from './pool.js';
import { insertNumberedTrial, lockStudy, TRIAL_ATTR_TABLE, upsertAttrs } from './trial-write.js';

export interface StaleTrials {
  /** Numbers of the trials failed, in order. */
  readonly failed: number[];
  /** Numbers of the WAITING retries (one per failed trial, but for those past MAX_RETRIES). */
  readonly retries: number[];
}

/** Upserts a heartbeat at `now` for those of `numbers` that are RUNNING in the study; returns them. */
export async function recordHeartbeats(pool: pg.Pool, studyId: number, numbers: readonly number[], now: number): Promise<number[]> {
  if (numbers.length === 0) return [];
  const { rows } = await pool.query<{ number: number }>(
    `WITH t AS (SELECT trial_id, number FROM trials WHERE study_id = $1 AND number = ANY ($2::int[]) AND state = 'RUNNING'),
     h AS (INSERT INTO trial_heartbeats (trial_id, heartbeat) SELECT trial_id, $3::timestamp FROM t
           ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat RETURNING trial_id)
     SELECT t.number FROM t JOIN h USING (trial_id) ORDER BY t.number`,
    [studyId, numbers, msToDatetime(now)],
  );
  return rows.map((r) => r.number);
}

/**
 * The system attributes of the retry of a failed trial, as Optuna's RetryFailedTrialCallback
 * makes them: the failed trial's own, with `failed_trial` (the first trial of a chain of
 * retries: a retry's own `failed_trial` is kept) and `retry_history` extended by its number.
 */
export function retryAttrs(number: number, failedAttrs: Readonly<Record<string, AttrValue>>): Record<string, AttrValue> {
  const attrs: Record<string, AttrValue> = { failed_trial: number, retry_history: [], ...failedAttrs };
  const history = attrs.retry_history;
  attrs.retry_history = [...(Array.isArray(history) ? history : []), number];
  return attrs;
}

/**
 * In one transaction: the study's row is locked (retries are numbered as createTrial numbers
 * trials, and callers racing each other take turns: the second finds the trials already
 * FAIL), and the stale RUNNING trials with `FOR UPDATE SKIP LOCKED` (a trial a worker is
 * finishing right now is left to it). Each stale trial becomes FAIL at `now` with
 * `fail_reason` and `retried_as`; its retry is WAITING with the same params (distributions
 * included) and user attributes, and no intermediate values.
 */
export async function failStaleTrials(pool: pg.Pool, studyId: number, now: number, graceMs: number): Promise<StaleTrials> {
  return inTransaction(pool, async (c) => {
    await lockStudy(c, studyId);
    // Last seen: the newer of the heartbeat and the start (a trial requeued and claimed again
    // starts afresh; its old heartbeat must not condemn it). A trial with no heartbeat yet is
    // judged by its start only when a worker of ours runs it (its `owner`): like Optuna's
    // fail_stale_trials, a trial of a process that sends no heartbeats is never failed here.
    const { rows } = await c.query<{ trial_id: number; number: number; last_seen: string }>(
      `SELECT t.trial_id, t.number, GREATEST(h.heartbeat, t.datetime_start) AS last_seen
       FROM trials t LEFT JOIN trial_heartbeats h ON h.trial_id = t.trial_id
       WHERE t.study_id = $1 AND t.state = 'RUNNING' AND GREATEST(h.heartbeat, t.datetime_start) < $2::timestamp
         AND (h.trial_id IS NOT NULL OR EXISTS (SELECT 1 FROM trial_system_attributes a WHERE a.trial_id = t.trial_id AND a.key = $3))
       ORDER BY t.number
       FOR UPDATE OF t SKIP LOCKED`,
      [studyId, msToDatetime(now - graceMs), OWNER_ATTR],
    );
    const out: StaleTrials = { failed: [], retries: [] };
    for (const stale of rows) {
      const sys = await c.query<{ key: string; value_json: string }>('SELECT key, value_json FROM trial_system_attributes WHERE trial_id = $1', [stale.trial_id]);
      const failedAttrs = Object.fromEntries(sys.rows.map((a) => [a.key, parseAttrJson(a.value_json)]));
      const attrs = retryAttrs(stale.number, failedAttrs);
      const silent = Math.round((now - datetimeToMs(stale.last_seen)) / 1000);
      const setFail = (extra: Record<string, AttrValue>): Promise<unknown> =>
        upsertAttrs(c, TRIAL_ATTR_TABLE.system, stale.trial_id, { fail_reason: `no heartbeat for ${silent} s (worker gone)`, ...extra }).then(() =>
          c.query("UPDATE trials SET state = 'FAIL', datetime_complete = $2::timestamp WHERE trial_id = $1 AND state = 'RUNNING'", [stale.trial_id, msToDatetime(now)]),
        );
      if ((attrs.retry_history as unknown[]).length > MAX_RETRIES) {
        // a trial that keeps taking its workers down is not retried forever: it stays FAIL and counts
        await setFail({ not_retried: `failed ${MAX_RETRIES + 1} times without a heartbeat` });
        out.failed.push(stale.number);
        continue;
      }
      const retry = await insertNumberedTrial(c, studyId, 'WAITING', now);
      for (const [table, cols] of [
        ['trial_params', 'param_name, param_value, distribution_json'],
        [TRIAL_ATTR_TABLE.user, 'key, value_json'],
      ]) {
        await c.query(`INSERT INTO ${table} (trial_id, ${cols}) SELECT $2, ${cols} FROM ${table} WHERE trial_id = $1`, [stale.trial_id, retry.trial_id]);
      }
      await upsertAttrs(c, TRIAL_ATTR_TABLE.system, retry.trial_id, attrs);
      await setFail({ [RETRIED_AS_ATTR]: retry.number });
      out.failed.push(stale.number);
      out.retries.push(retry.number);
    }
    return out;
  });
}
