/**
 * PostgreSQL adapter of the engine's StudyStore port, on the tables of PG migration 001
 * (Optuna 3.1's own), so tradelab processes on several machines and Python Optuna workers
 * share one study. Same semantics as the SQLite adapter (storage/study-store.ts):
 *
 * - trials are numbered as Optuna's RDB storage numbers them (`_create_new_trial`): under a
 *   `FOR UPDATE` lock of the study's row, number = the count of the study's trials, in the
 *   transaction that inserts the trial; a `limit` is checked under the same lock;
 * - a finish is one transaction: values, intermediate values, attributes, then the state
 *   change guarded by `state = 'RUNNING'`; the triggers of migration 001 refuse later writes;
 * - a WAITING trial is taken with `FOR UPDATE SKIP LOCKED`: one caller gets it, the others
 *   the next one (or none), without waiting.
 *
 * For remote workers, beside the port: `heartbeat` and `failStaleTrials` (stale-trials.ts).
 */
import type pg from 'pg';
import {
  checkFinish,
  notRunning,
  OWNER_ATTR,
  StoreError,
  type AttrKind,
  type Claim,
  type NewStudy,
  type NewTrial,
  type Requeue,
  type StudyRecord,
  type StudyStore,
  type TrialFinish,
} from '../../engine/optimizer/store.js';
import { freezeTrial, type AttrValue, type FrozenTrial, type StudyDirection, type TrialState } from '../../engine/optimizer/trial.js';
import { decodeParam, directionName, encodeIntermediate, encodeValue, msToDatetime } from '../optuna-model.js';
import { inTransaction } from './pool.js';
import { failStaleTrials, recordHeartbeats, type StaleTrials } from './stale-trials.js';
import { missingTrial, readStudies, readTrial, readTrials, studyExists } from './trial-read.js';
import {
  checkSteps,
  countedTrials,
  insertNumberedTrial,
  insertParams,
  lockStudy,
  paramRows,
  pgCode,
  STUDY_ATTR_TABLE,
  TRIAL_ATTR_TABLE,
  upsertAttrs,
  upsertIntermediates,
} from './trial-write.js';

const INTEGRITY = '23000'; // the SQLSTATE of migration 001's triggers
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x ?? {})) as T;

export class PgStudyStore implements StudyStore {
  /** Directions per study id: written once at creation, never changed. */
  private readonly directionsById = new Map<number, readonly StudyDirection[]>();

  constructor(private readonly pool: pg.Pool) {}

  /** The trial's row id and state, or the store's error when it is missing. */
  private async row(q: pg.Pool | pg.PoolClient, studyId: number, number: number, lock = false): Promise<{ trial_id: number; state: TrialState }> {
    const { rows } = await q.query<{ trial_id: number; state: TrialState }>(
      `SELECT trial_id, state FROM trials WHERE study_id = $1 AND number = $2${lock ? ' FOR UPDATE' : ''}`,
      [studyId, number],
    );
    if (rows.length === 0) throw await missingTrial(q, studyId, number);
    return rows[0];
  }

  /**
   * A write to one RUNNING trial's children in one statement (`sql` selects the trial by $1
   * study id, $2 number and state RUNNING); when it writes nothing, or a trigger refuses it
   * (the trial finished meanwhile), the reason as the store's error.
   */
  private async runningWrite(studyId: number, number: number, sql: string, args: unknown[]): Promise<void> {
    // a second attempt only when the trial was WAITING at the first and has been taken since
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        if ((await this.pool.query(sql, [studyId, number, ...args])).rowCount) return;
      } catch (e) {
        if (pgCode(e) !== INTEGRITY) throw e;
      }
      notRunning(number, (await this.row(this.pool, studyId, number)).state);
    }
    throw new StoreError('trial_waiting', `trial ${number} changed state while it was written; try again`);
  }

  private async directionsOf(studyId: number): Promise<readonly StudyDirection[]> {
    let d = this.directionsById.get(studyId);
    if (!d) {
      const s = (await readStudies(this.pool, { id: studyId }))[0];
      if (!s) throw new StoreError('study_not_found', `study id ${studyId} does not exist`);
      d = s.directions;
      this.directionsById.set(studyId, d);
    }
    return d;
  }

  async createStudy(study: NewStudy): Promise<StudyRecord> {
    if (study.directions.length === 0) throw new StoreError('invalid', 'a study needs at least one direction');
    let id: number;
    try {
      id = await inTransaction(this.pool, async (c) => {
        const { rows } = await c.query<{ study_id: number }>('INSERT INTO studies (study_name, datetime_start) VALUES ($1, $2::timestamp) RETURNING study_id', [
          study.name,
          msToDatetime(study.datetime_start),
        ]);
        const sid = rows[0].study_id;
        await c.query(
          'INSERT INTO study_directions (study_id, objective, direction) SELECT $1, o - 1, d::studydirection FROM unnest($2::text[]) WITH ORDINALITY AS x (d, o)',
          [sid, study.directions.map(directionName)],
        );
        await upsertAttrs(c, STUDY_ATTR_TABLE.user, sid, study.user_attrs);
        await upsertAttrs(c, STUDY_ATTR_TABLE.system, sid, study.system_attrs);
        return sid;
      });
    } catch (e) {
      if (pgCode(e) === '23505') throw new StoreError('study_exists', `a study named "${study.name}" already exists`);
      throw e;
    }
    return (await readStudies(this.pool, { id }))[0];
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    return (await readStudies(this.pool, { name }))[0] ?? null;
  }

  async listStudies(): Promise<StudyRecord[]> {
    return readStudies(this.pool);
  }

  async setStudyAttr(studyId: number, kind: AttrKind, key: string, value: AttrValue): Promise<void> {
    try {
      await upsertAttrs(this.pool, STUDY_ATTR_TABLE[kind], studyId, { [key]: value });
    } catch (e) {
      if (pgCode(e) === '23503') throw new StoreError('study_not_found', `study id ${studyId} does not exist`);
      throw e;
    }
  }

  async createTrial(studyId: number, trial: NewTrial & { readonly limit?: undefined }): Promise<FrozenTrial>;
  async createTrial(studyId: number, trial: NewTrial): Promise<FrozenTrial | null>;
  async createTrial(studyId: number, trial: NewTrial): Promise<FrozenTrial | null> {
    const params = paramRows(trial.params, trial.distributions);
    const number = await inTransaction(this.pool, async (c) => {
      await lockStudy(c, studyId);
      if (trial.limit !== undefined && (await countedTrials(c, studyId)) >= trial.limit) return null;
      const row = await insertNumberedTrial(c, studyId, 'RUNNING', trial.datetime_start);
      await insertParams(c, row.trial_id, params);
      await upsertAttrs(c, TRIAL_ATTR_TABLE.user, row.trial_id, trial.user_attrs);
      await upsertAttrs(c, TRIAL_ATTR_TABLE.system, row.trial_id, trial.system_attrs);
      return row.number;
    });
    if (number === null) return null;
    // what the rows hold (params decoded from their stored form, attributes through JSON)
    return freezeTrial({
      number,
      state: 'RUNNING',
      params: Object.fromEntries(params.map(([name, p]) => [name, decodeParam(p.param_value, p.distribution_json)])),
      user_attrs: json(trial.user_attrs),
      system_attrs: json(trial.system_attrs),
      datetime_start: trial.datetime_start,
    });
  }

  async setIntermediateValue(studyId: number, number: number, step: number, value: number): Promise<void> {
    const [[s, v]] = checkSteps([[step, value]]);
    const { value: stored, value_type } = encodeIntermediate(v);
    await this.runningWrite(
      studyId,
      number,
      `INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type)
       SELECT trial_id, $3, $4, $5 FROM trials WHERE study_id = $1 AND number = $2 AND state = 'RUNNING'
       ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type`,
      [s, stored, value_type],
    );
  }

  async setTrialAttr(studyId: number, number: number, kind: AttrKind, key: string, value: AttrValue): Promise<void> {
    await this.runningWrite(
      studyId,
      number,
      `INSERT INTO ${TRIAL_ATTR_TABLE[kind]} (trial_id, key, value_json)
       SELECT trial_id, $3, $4 FROM trials WHERE study_id = $1 AND number = $2 AND state = 'RUNNING'
       ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json`,
      [key, JSON.stringify(value)],
    );
  }

  /**
   * Finishes a RUNNING trial in one transaction. `finish.alongside` (the caller's own writes,
   * e.g. to its SQLite store) runs once the finish is checked and the trial found RUNNING,
   * just before the transaction starts: it cannot share a PostgreSQL transaction. When it
   * throws, nothing is written here; when the trial is finished by someone else between the
   * check and the transaction, alongside has run and this rejects with trial_finished.
   */
  async finishTrial(studyId: number, number: number, finish: TrialFinish): Promise<FrozenTrial> {
    const { trial_id, state } = await this.row(this.pool, studyId, number);
    notRunning(number, state);
    const values = checkFinish(await this.directionsOf(studyId), finish);
    const steps = checkSteps(finish.intermediate_values ?? []);
    const constraints = finish.constraints ? JSON.stringify(finish.constraints.map((c) => (Number.isFinite(c) ? c : String(c)))) : null;
    finish.alongside?.();
    await inTransaction(this.pool, async (c) => {
      notRunning(number, (await this.row(c, studyId, number, true)).state);
      if (values) {
        const enc = values.map(encodeValue);
        await c.query(
          `INSERT INTO trial_values (trial_id, objective, value, value_type)
           SELECT $1, o - 1, v, t::trialvaluetype FROM unnest($2::float8[], $3::text[]) WITH ORDINALITY AS x (v, t, o)
           ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type`,
          [trial_id, enc.map((e) => e.value), enc.map((e) => e.value_type)],
        );
      }
      await upsertIntermediates(c, trial_id, steps);
      await upsertAttrs(c, TRIAL_ATTR_TABLE.user, trial_id, finish.user_attrs);
      await upsertAttrs(c, TRIAL_ATTR_TABLE.system, trial_id, finish.system_attrs);
      await c.query(
        "UPDATE trials SET state = $2, datetime_complete = $3::timestamp, constraints_json = $4 WHERE trial_id = $1 AND state = 'RUNNING'",
        [trial_id, finish.state, msToDatetime(finish.datetime_complete), constraints],
      );
    });
    return (await readTrial(this.pool, studyId, number)) as FrozenTrial;
  }

  async requeueTrial(studyId: number, number: number, requeue: Requeue = {}): Promise<FrozenTrial | null> {
    return inTransaction(this.pool, async (c) => {
      const { trial_id, state } = await this.row(c, studyId, number, true);
      if (state !== 'RUNNING') return null;
      if (requeue.if_owner !== undefined) {
        const { rows } = await c.query<{ value_json: string }>('SELECT value_json FROM trial_system_attributes WHERE trial_id = $1 AND key = $2', [trial_id, OWNER_ATTR]);
        if ((rows.length > 0 ? JSON.parse(rows[0].value_json) : null) !== requeue.if_owner) return null;
      }
      await c.query('DELETE FROM trial_intermediate_values WHERE trial_id = $1', [trial_id]);
      await upsertAttrs(c, TRIAL_ATTR_TABLE.system, trial_id, requeue.system_attrs);
      await c.query("UPDATE trials SET state = 'WAITING' WHERE trial_id = $1", [trial_id]);
      return readTrial(c, studyId, number);
    });
  }

  async popWaitingTrial(studyId: number, claim: Claim): Promise<FrozenTrial | null> {
    return inTransaction(this.pool, async (c) => {
      const { rows } = await c.query<{ trial_id: number; number: number }>(
        "SELECT trial_id, number FROM trials WHERE study_id = $1 AND state = 'WAITING' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED",
        [studyId],
      );
      if (rows.length === 0) return null;
      const { trial_id, number } = rows[0];
      await c.query("UPDATE trials SET state = 'RUNNING', datetime_start = $2::timestamp WHERE trial_id = $1", [trial_id, msToDatetime(claim.datetime_start)]);
      await upsertAttrs(c, TRIAL_ATTR_TABLE.system, trial_id, claim.system_attrs);
      return readTrial(c, studyId, number);
    });
  }

  async getTrial(studyId: number, number: number): Promise<FrozenTrial | null> {
    return readTrial(this.pool, studyId, number);
  }

  async listTrials(studyId: number, opts: { readonly states?: readonly TrialState[]; readonly from?: number } = {}): Promise<FrozenTrial[]> {
    const trials = await readTrials(this.pool, studyId, opts);
    if (trials.length === 0 && !(await studyExists(this.pool, studyId))) throw new StoreError('study_not_found', `study id ${studyId} does not exist`);
    return trials;
  }

  /**
   * Records that this worker still runs these trials (Optuna's `record_heartbeat`: one
   * `trial_heartbeats` row per trial, at `now`). Only RUNNING trials of the study get one;
   * returns their numbers, so a worker learns which of its trials were failed as stale.
   */
  async heartbeat(studyId: number, numbers: readonly number[], now: number): Promise<number[]> {
    return recordHeartbeats(this.pool, studyId, numbers, now);
  }

  /**
   * Fails the study's RUNNING trials whose last heartbeat (or start, without one) is older
   * than `now - graceMs` and queues a WAITING retry of each (stale-trials.ts). Callers racing
   * each other, or a worker finishing one of those trials, never fail or retry a trial twice.
   */
  async failStaleTrials(studyId: number, now: number, graceMs: number): Promise<StaleTrials> {
    return failStaleTrials(this.pool, studyId, now, graceMs);
  }
}
