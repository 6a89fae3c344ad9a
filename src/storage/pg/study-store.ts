/**
 * PostgreSQL adapter of the engine's StudyStore port, on the tables of PG migration 001
 * (Optuna 3.1's own), so tradelab processes on several machines and Python Optuna workers
 * share one study. Same semantics as the SQLite adapter (storage/study-store.ts):
 *
 * - trials are numbered as Optuna's RDB storage numbers them (`_create_new_trial`): under a
 *   `FOR UPDATE` lock of the study's row, number = the count of the study's trials, in the
 *   transaction that inserts the trial; a `limit` is checked under the same lock;
 * - a finish is one transaction: values, intermediate values, attributes, then the state
 *   change of the RUNNING trial, its row locked; the triggers of migration 001 refuse later
 *   writes;
 * - a WAITING trial is taken with `FOR UPDATE SKIP LOCKED`: one caller gets it, the others
 *   the next one (or none), without waiting.
 *
 * Each of those is one call of a PL/pgSQL function of migration 003 (trial-functions.ts), so
 * one round trip: a trial asked and told costs about three (create, the mirror's read of
 * what others created, finish). A trial created or claimed here is kept until its finish,
 * which returns it built from what was written unless someone else wrote it meanwhile.
 *
 * For remote workers, beside the port: `heartbeat` and `failStaleTrials` (stale-trials.ts).
 */
import type pg from 'pg';
import {
  checkFinish,
  notRunning,
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
import { decodeParam, directionName, encodeIntermediate, finishedTrial, msToDatetime, storedAttrs } from '../optuna-model.js';
import { inTransaction } from './pool.js';
import { failStaleTrials, recordHeartbeats, type StaleTrials } from './stale-trials.js';
import { claimTrialRow, createTrialRow, finishTrialRow, requeueTrialRow, type TrialXids } from './trial-functions.js';
import { missingTrial, readStudies, readTrial, readTrials } from './trial-read.js';
import { checkSteps, paramRows, pgCode, STUDY_ATTR_TABLE, TRIAL_ATTR_TABLE, upsertAttrs } from './trial-write.js';

const INTEGRITY = '23000'; // the SQLSTATE of migration 001's triggers

export class PgStudyStore implements StudyStore {
  /** Directions per study id: written once at creation, never changed. */
  private readonly directionsById = new Map<number, readonly StudyDirection[]>();
  /**
   * RUNNING trials created or claimed here, by "study id:number", as they were written then
   * (and by which transactions), so that finishing one need not check it first nor read it
   * back. The rows stay the source of truth: a finish that finds the trial written since by
   * anyone (another process, or setIntermediateValue here) reads it back.
   */
  private readonly running = new Map<string, { readonly trial: FrozenTrial; readonly xids: TrialXids }>();

  constructor(private readonly pool: pg.Pool) {}

  /** The trial's row id and state, or the store's error when it is missing. */
  private async row(q: pg.Pool | pg.PoolClient, studyId: number, number: number): Promise<{ trial_id: number; state: TrialState }> {
    const { rows } = await q.query<{ trial_id: number; state: TrialState }>('SELECT trial_id, state FROM trials WHERE study_id = $1 AND number = $2', [studyId, number]);
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

  /** Studies read (remembering their directions: a finish needs them, and they never change). */
  private async studies(where?: { readonly id?: number; readonly name?: string }): Promise<StudyRecord[]> {
    const records = await readStudies(this.pool, where);
    for (const s of records) this.directionsById.set(s.study_id, s.directions);
    return records;
  }

  private async directionsOf(studyId: number): Promise<readonly StudyDirection[]> {
    const d = this.directionsById.get(studyId) ?? (await this.studies({ id: studyId }))[0]?.directions;
    if (!d) throw new StoreError('study_not_found', `study id ${studyId} does not exist`);
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
    return (await this.studies({ id }))[0];
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    return (await this.studies({ name }))[0] ?? null;
  }

  async listStudies(): Promise<StudyRecord[]> {
    return this.studies();
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
    const row = await createTrialRow(this.pool, studyId, trial, params);
    if (row === null) return null;
    // what the rows hold (params decoded from their stored form, attributes through JSON)
    const t = freezeTrial({
      number: row.number,
      state: 'RUNNING',
      params: Object.fromEntries(params.map(([name, p]) => [name, decodeParam(p.param_value, p.distribution_json)])),
      user_attrs: storedAttrs(trial.user_attrs),
      system_attrs: storedAttrs(trial.system_attrs),
      datetime_start: trial.datetime_start,
    });
    this.running.set(`${studyId}:${row.number}`, { trial: t, xids: row.xids });
    return t;
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
   * e.g. to its SQLite store) runs once the finish is checked and the trial known RUNNING
   * (created or claimed here, or read so), just before the transaction: it cannot share a
   * PostgreSQL transaction. When it throws, nothing is written here; when the trial was
   * finished by someone else meanwhile, alongside has run and this rejects with
   * trial_finished.
   */
  async finishTrial(studyId: number, number: number, finish: TrialFinish): Promise<FrozenTrial> {
    const key = `${studyId}:${number}`;
    const known = this.running.get(key);
    if (!known) notRunning(number, (await this.row(this.pool, studyId, number)).state);
    const values = checkFinish(await this.directionsOf(studyId), finish);
    const steps = checkSteps(finish.intermediate_values ?? []);
    finish.alongside?.();
    let outcome;
    try {
      outcome = await finishTrialRow(this.pool, studyId, number, known?.xids ?? null, finish, values, steps);
    } finally {
      this.running.delete(key);
    }
    if (outcome.prior === null) throw await missingTrial(this.pool, studyId, number);
    notRunning(number, outcome.prior);
    if (known && outcome.fresh) return finishedTrial(known.trial, finish, values, steps);
    return (await readTrial(this.pool, studyId, number)) as FrozenTrial;
  }

  async requeueTrial(studyId: number, number: number, requeue: Requeue = {}): Promise<FrozenTrial | null> {
    return inTransaction(this.pool, async (c) => {
      const { prior, requeued } = await requeueTrialRow(c, studyId, number, requeue);
      if (prior === null) throw await missingTrial(c, studyId, number);
      if (!requeued) return null;
      this.running.delete(`${studyId}:${number}`);
      return readTrial(c, studyId, number);
    });
  }

  async popWaitingTrial(studyId: number, claim: Claim): Promise<FrozenTrial | null> {
    const claimed = await inTransaction(this.pool, async (c) => {
      const row = await claimTrialRow(c, studyId, claim);
      return row && { xids: row.xids, trial: (await readTrial(c, studyId, row.number)) as FrozenTrial };
    });
    if (!claimed) return null;
    this.running.set(`${studyId}:${claimed.trial.number}`, claimed);
    return claimed.trial;
  }

  async getTrial(studyId: number, number: number): Promise<FrozenTrial | null> {
    return readTrial(this.pool, studyId, number);
  }

  async listTrials(studyId: number, opts: { readonly states?: readonly TrialState[]; readonly from?: number } = {}): Promise<FrozenTrial[]> {
    const trials = await readTrials(this.pool, studyId, opts);
    if (trials === null) throw new StoreError('study_not_found', `study id ${studyId} does not exist`);
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
