/**
 * SQLite adapter of the engine's StudyStore port (tables of migration 003, Optuna's model;
 * the WAITING state of migration 011).
 * The db handle is passed in; statements are prepared once. Every finished trial is written
 * in one transaction (values, intermediate values, attributes, then the state change), so a
 * killed process leaves either the RUNNING trial or the whole finished one, never half.
 * Listing a study's trials costs a fixed number of queries, whatever the trial count.
 */
import type { FlatParams } from '../engine/optimizer/space.types.js';
import {
  checkFinish,
  notRunning,
  OWNER_ATTR,
  RETRIED_AS_ATTR,
  StoreError,
  type AttrKind,
  type Claim,
  type Requeue,
  type NewStudy,
  type NewTrial,
  type StudyRecord,
  type StudyStore,
  type TrialFinish,
} from '../engine/optimizer/store.js';
import { freezeTrial, type AttrValue, type FrozenTrial, type StudyDirection, type TrialState } from '../engine/optimizer/trial.js';
import type { Statement } from 'better-sqlite3';
import { sqliteStatement, writeTransaction, type SqliteDb } from './db.js';
import { parseAttrJson, datetimeToMs, decodeParam, decodeValue, directionName, directionOf, encodeIntermediate, encodeParam, encodeValue, finishedTrial, msToDatetime } from './optuna-model.js';

interface TrialRow {
  trial_id: number;
  number: number;
  state: TrialState;
  constraints_json: string | null;
  datetime_start: string | null;
  datetime_complete: string | null;
}

interface StudyRow {
  study_id: number;
  study_name: string;
  datetime_start: string | null;
}

interface ParamRow {
  trial_id: number;
  key: string;
  param_value: number;
  distribution_json: string;
}

interface KeyedRow {
  trial_id: number;
  key: string;
  value_json: string;
}

/** Optuna's DATETIME text as epoch ms (a study or trial Optuna made without one: 0). */
const ms = (t: string | null): number => (t === null ? 0 : datetimeToMs(t));

export class SqliteStudyStore implements StudyStore {
  private readonly q;
  /**
   * RUNNING trials created or updated through this adapter, so that finishing one does not
   * re-read it (the rows are still the source of truth: a trial missing here is read).
   */
  private readonly running = new Map<string, { readonly trial: FrozenTrial; readonly trial_id: number }>();
  /** Directions per study id: written once at creation, never changed. */
  private readonly directionsById = new Map<number, StudyDirection[]>();
  /** `INSERT INTO trial_params` for n rows at once, by n. */
  private readonly insertParams = new Map<number, Statement>();

  constructor(private readonly db: SqliteDb) {
    // a trial for a missing study is refused by the foreign key (createTrial relies on it)
    if (db.pragma('foreign_keys', { simple: true }) !== 1) throw new StoreError('invalid', 'SqliteStudyStore needs a connection with foreign_keys = ON (openDb sets it)');
    const p = <T extends unknown[] = unknown[]>(sql: string) => sqliteStatement<T>(db, sql);
    this.q = {
      studyByName: p<[string]>('SELECT study_id, study_name, datetime_start FROM studies WHERE study_name = ?'),
      studies: p('SELECT study_id, study_name, datetime_start FROM studies ORDER BY study_id'),
      insertStudy: p<[string, string]>('INSERT INTO studies (study_name, datetime_start) VALUES (?, ?)'),
      directions: p<[number]>('SELECT direction FROM study_directions WHERE study_id = ? ORDER BY objective'),
      insertDirection: p<[number, number, 'MINIMIZE' | 'MAXIMIZE']>('INSERT INTO study_directions (study_id, objective, direction) VALUES (?, ?, ?)'),
      studyAttrs: {
        user: p<[number]>('SELECT key, value_json FROM study_user_attributes WHERE study_id = ?'),
        system: p<[number]>('SELECT key, value_json FROM study_system_attributes WHERE study_id = ?'),
      },
      setStudyAttr: {
        user: p<[number, string, string]>('INSERT INTO study_user_attributes (study_id, key, value_json) VALUES (?, ?, ?) ON CONFLICT (study_id, key) DO UPDATE SET value_json = excluded.value_json'),
        system: p<[number, string, string]>('INSERT INTO study_system_attributes (study_id, key, value_json) VALUES (?, ?, ?) ON CONFLICT (study_id, key) DO UPDATE SET value_json = excluded.value_json'),
      },
      counted: p<[number]>(
        `SELECT COUNT(*) AS n FROM trials t WHERE t.study_id = ? AND NOT (t.state = 'FAIL' AND EXISTS (SELECT 1 FROM trial_system_attributes a WHERE a.trial_id = t.trial_id AND a.key = '${RETRIED_AS_ATTR}'))`,
      ),
      nextNumber: p<[number]>('SELECT COALESCE(MAX(number) + 1, 0) AS n FROM trials WHERE study_id = ?'),
      insertTrial: p<[number, number, string]>("INSERT INTO trials (number, study_id, state, datetime_start) VALUES (?, ?, 'RUNNING', ?)"),
      trialRow: p<[number, number]>('SELECT trial_id, number, state, constraints_json, datetime_start, datetime_complete FROM trials WHERE study_id = ? AND number = ?'),
      trialRows: p<[number, number, number]>('SELECT trial_id, number, state, constraints_json, datetime_start, datetime_complete FROM trials WHERE study_id = ? AND number BETWEEN ? AND ? ORDER BY number'),
      studyExists: p<[number]>('SELECT 1 AS one FROM studies WHERE study_id = ?'),
      setTrialAttr: {
        user: p<[number, string, string]>('INSERT INTO trial_user_attributes (trial_id, key, value_json) VALUES (?, ?, ?) ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json'),
        system: p<[number, string, string]>('INSERT INTO trial_system_attributes (trial_id, key, value_json) VALUES (?, ?, ?) ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json'),
      },
      setIntermediate: p<[number, number, number | null, string]>(
        'INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type',
      ),
      insertValue: p<[number, number, number | null, string]>('INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, ?, ?, ?)'),
      finish: p<[string, string | null, string, number]>("UPDATE trials SET state = ?, constraints_json = ?, datetime_complete = ? WHERE trial_id = ? AND state = 'RUNNING'"),
      ownerOf: p<[number]>(`SELECT value_json FROM trial_system_attributes WHERE trial_id = ? AND key = '${OWNER_ATTR}'`),
      dropIntermediates: p<[number]>('DELETE FROM trial_intermediate_values WHERE trial_id = ?'),
      toWaiting: p<[number]>("UPDATE trials SET state = 'WAITING' WHERE trial_id = ? AND state = 'RUNNING'"),
      firstWaiting: p<[number]>("SELECT trial_id, number FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1"),
      claim: p<[string, number]>("UPDATE trials SET state = 'RUNNING', datetime_start = ? WHERE trial_id = ? AND state = 'WAITING'"),
      // Bulk reads of one study's children (trial_id >= ? narrows to the listed trials).
      params: p<[number, number, number]>('SELECT p.trial_id, p.param_name AS key, p.param_value, p.distribution_json FROM trial_params p JOIN trials t USING (trial_id) WHERE t.study_id = ? AND t.number BETWEEN ? AND ?'),
      values: p<[number, number, number]>('SELECT v.trial_id, v.objective, v.value, v.value_type FROM trial_values v JOIN trials t USING (trial_id) WHERE t.study_id = ? AND t.number BETWEEN ? AND ? ORDER BY v.objective'),
      intermediates: p<[number, number, number]>('SELECT i.trial_id, i.step, i.intermediate_value, i.intermediate_value_type FROM trial_intermediate_values i JOIN trials t USING (trial_id) WHERE t.study_id = ? AND t.number BETWEEN ? AND ?'),
      trialAttrs: {
        user: p<[number, number, number]>('SELECT a.trial_id, a.key, a.value_json FROM trial_user_attributes a JOIN trials t USING (trial_id) WHERE t.study_id = ? AND t.number BETWEEN ? AND ?'),
        system: p<[number, number, number]>('SELECT a.trial_id, a.key, a.value_json FROM trial_system_attributes a JOIN trials t USING (trial_id) WHERE t.study_id = ? AND t.number BETWEEN ? AND ?'),
      },
    };
  }

  private record(row: StudyRow): StudyRecord {
    const attrs = (kind: AttrKind): Record<string, AttrValue> =>
      Object.fromEntries((this.q.studyAttrs[kind].all(row.study_id) as { key: string; value_json: string }[]).map((a) => [a.key, parseAttrJson(a.value_json)]));
    return Object.freeze({
      study_id: row.study_id,
      name: row.study_name,
      directions: Object.freeze(this.directionRows(row.study_id)),
      user_attrs: Object.freeze(attrs('user')),
      system_attrs: Object.freeze(attrs('system')),
      datetime_start: ms(row.datetime_start),
    });
  }

  private directionRows(studyId: number): StudyDirection[] {
    return (this.q.directions.all(studyId) as { direction: string }[]).map((d) => directionOf(d.direction));
  }

  private studyRow(studyId: number): void {
    const exists = this.q.studyExists.get(studyId);
    if (!exists) throw new StoreError('study_not_found', `study id ${studyId} does not exist`);
  }

  private runningRow(studyId: number, number: number): TrialRow {
    const row = this.q.trialRow.get(studyId, number) as TrialRow | undefined;
    if (!row) {
      this.studyRow(studyId);
      throw new StoreError('trial_not_found', `study id ${studyId} has no trial ${number}`);
    }
    notRunning(number, row.state);
    return row;
  }

  async createStudy(study: NewStudy): Promise<StudyRecord> {
    if (study.directions.length === 0) throw new StoreError('invalid', 'a study needs at least one direction');
    return writeTransaction(this.db, () => {
      if (this.q.studyByName.get(study.name)) throw new StoreError('study_exists', `a study named "${study.name}" already exists`);
      const id = Number(this.q.insertStudy.run(study.name, msToDatetime(study.datetime_start)).lastInsertRowid);
      study.directions.forEach((d, i) => this.q.insertDirection.run(id, i, directionName(d)));
      for (const [k, v] of Object.entries(study.user_attrs ?? {})) this.q.setStudyAttr.user.run(id, k, JSON.stringify(v));
      for (const [k, v] of Object.entries(study.system_attrs ?? {})) this.q.setStudyAttr.system.run(id, k, JSON.stringify(v));
      return this.record({ study_id: id, study_name: study.name, datetime_start: msToDatetime(study.datetime_start) });
    });
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    const row = this.q.studyByName.get(name) as StudyRow | undefined;
    return row ? this.record(row) : null;
  }

  async listStudies(): Promise<StudyRecord[]> {
    return (this.q.studies.all() as StudyRow[]).map((r) => this.record(r));
  }

  async setStudyAttr(studyId: number, kind: AttrKind, key: string, value: AttrValue): Promise<void> {
    this.studyRow(studyId);
    this.q.setStudyAttr[kind].run(studyId, key, JSON.stringify(value));
  }

  async createTrial(studyId: number, trial: NewTrial & { readonly limit?: undefined }): Promise<FrozenTrial>;
  async createTrial(studyId: number, trial: NewTrial): Promise<FrozenTrial | null>;
  async createTrial(studyId: number, trial: NewTrial): Promise<FrozenTrial | null> {
    // immediate: the next number is read and used under one write lock (unique across processes)
    return writeTransaction(this.db, () => {
      if (trial.limit !== undefined && (this.q.counted.get(studyId) as { n: number }).n >= trial.limit) return null;
      const number = (this.q.nextNumber.get(studyId) as { n: number }).n;
      let id: number;
      try {
        id = Number(this.q.insertTrial.run(number, studyId, msToDatetime(trial.datetime_start)).lastInsertRowid);
      } catch (e) {
        this.studyRow(studyId); // a missing study (the foreign key) becomes study_not_found
        throw e;
      }
      const rows: (string | number)[] = [];
      for (const [name, v] of Object.entries(trial.params)) {
        const enc = encodeParam(v, trial.distributions?.[name]);
        rows.push(id, name, enc.param_value, enc.distribution_json);
      }
      if (rows.length > 0) this.paramsInsert(rows.length / 4).run(...rows);
      for (const [k, v] of Object.entries(trial.user_attrs ?? {})) this.q.setTrialAttr.user.run(id, k, JSON.stringify(v));
      for (const [k, v] of Object.entries(trial.system_attrs ?? {})) this.q.setTrialAttr.system.run(id, k, JSON.stringify(v));
      const t = freezeTrial({ number, state: 'RUNNING', params: trial.params, user_attrs: trial.user_attrs, system_attrs: trial.system_attrs, datetime_start: trial.datetime_start });
      this.running.set(`${studyId}:${number}`, { trial: t, trial_id: id });
      return t;
    });
  }

  /** One statement inserting n trial_params rows (one per parameter of a trial). */
  private paramsInsert(n: number): Statement {
    let st = this.insertParams.get(n);
    if (!st) {
      const values = Array.from({ length: n }, () => '(?, ?, ?, ?)').join(', ');
      st = sqliteStatement(this.db, `INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES ${values}`);
      this.insertParams.set(n, st);
    }
    return st;
  }

  private directionsOf(studyId: number): StudyDirection[] {
    let d = this.directionsById.get(studyId);
    if (!d) {
      d = this.directionRows(studyId);
      if (d.length > 0) this.directionsById.set(studyId, d);
    }
    return d;
  }

  async setIntermediateValue(studyId: number, number: number, step: number, value: number): Promise<void> {
    if (!Number.isInteger(step) || step < 0) throw new StoreError('invalid', `intermediate step must be a non-negative integer, got ${step}`);
    const row = this.runningRow(studyId, number);
    const enc = encodeIntermediate(value);
    this.q.setIntermediate.run(row.trial_id, step, enc.value, enc.value_type);
    this.running.delete(`${studyId}:${number}`);
  }

  async setTrialAttr(studyId: number, number: number, kind: AttrKind, key: string, value: AttrValue): Promise<void> {
    const row = this.runningRow(studyId, number);
    this.q.setTrialAttr[kind].run(row.trial_id, key, JSON.stringify(value));
    this.running.delete(`${studyId}:${number}`);
  }

  async finishTrial(studyId: number, number: number, finish: TrialFinish): Promise<FrozenTrial> {
    return writeTransaction(this.db, () => {
      const key = `${studyId}:${number}`;
      const known = this.running.get(key);
      // a trial created here is known by id; the state check moves into the UPDATE below
      const trialId = known ? known.trial_id : this.runningRow(studyId, number).trial_id;
      const values = checkFinish(this.directionsOf(studyId), finish);
      const constraints = finish.constraints ? JSON.stringify(finish.constraints.map((c) => (Number.isFinite(c) ? c : String(c)))) : null;
      try {
        finish.alongside?.();
        values?.forEach((v, i) => {
          const enc = encodeValue(v);
          this.q.insertValue.run(trialId, i, enc.value, enc.value_type);
        });
        for (const [step, v] of finish.intermediate_values ?? []) {
          if (!Number.isInteger(step) || step < 0) throw new StoreError('invalid', `intermediate step must be a non-negative integer, got ${step}`);
          const enc = encodeIntermediate(v);
          this.q.setIntermediate.run(trialId, step, enc.value, enc.value_type);
        }
        for (const [k, v] of Object.entries(finish.user_attrs ?? {})) this.q.setTrialAttr.user.run(trialId, k, JSON.stringify(v));
        for (const [k, v] of Object.entries(finish.system_attrs ?? {})) this.q.setTrialAttr.system.run(trialId, k, JSON.stringify(v));
        // the state change comes last: triggers refuse changes to a finished trial's rows
        if (this.q.finish.run(finish.state, constraints, msToDatetime(finish.datetime_complete), trialId).changes !== 1) {
          throw new StoreError('trial_finished', `trial ${number} is no longer RUNNING; finished trials are immutable`);
        }
      } catch (e) {
        this.running.delete(key);
        // finished meanwhile (another writer): the store's own error, as for an unknown trial
        if (known) this.runningRow(studyId, number);
        throw e;
      }
      this.running.delete(key);
      if (!known) return this.read(studyId, number, number)[0];
      // The same values the rows now hold (NaN intermediate values included).
      return finishedTrial(known.trial, finish, values, finish.intermediate_values ?? []);
    });
  }

  async requeueTrial(studyId: number, number: number, requeue: Requeue = {}): Promise<FrozenTrial | null> {
    return writeTransaction(this.db, () => {
      const row = this.q.trialRow.get(studyId, number) as TrialRow | undefined;
      if (!row) {
        this.studyRow(studyId);
        throw new StoreError('trial_not_found', `study id ${studyId} has no trial ${number}`);
      }
      if (row.state !== 'RUNNING') return null;
      if (requeue.if_owner !== undefined) {
        const owner = this.q.ownerOf.get(row.trial_id) as { value_json: string } | undefined;
        if ((owner ? JSON.parse(owner.value_json) : null) !== requeue.if_owner) return null;
      }
      this.q.dropIntermediates.run(row.trial_id);
      for (const [k, v] of Object.entries(requeue.system_attrs ?? {})) this.q.setTrialAttr.system.run(row.trial_id, k, JSON.stringify(v));
      this.q.toWaiting.run(row.trial_id);
      this.running.delete(`${studyId}:${number}`);
      return this.read(studyId, number, number)[0];
    });
  }

  async popWaitingTrial(studyId: number, claim: Claim): Promise<FrozenTrial | null> {
    // looked for without the write lock (an indexed read); taken under it, by one caller only
    for (;;) {
      const row = this.q.firstWaiting.get(studyId) as { trial_id: number; number: number } | undefined;
      if (!row) return null;
      const t = writeTransaction(this.db, () => {
        if (this.q.claim.run(msToDatetime(claim.datetime_start), row.trial_id).changes !== 1) return null;
        for (const [k, v] of Object.entries(claim.system_attrs ?? {})) this.q.setTrialAttr.system.run(row.trial_id, k, JSON.stringify(v));
        return this.read(studyId, row.number, row.number)[0];
      });
      if (t) {
        this.running.set(`${studyId}:${t.number}`, { trial: t, trial_id: row.trial_id });
        return t;
      }
    }
  }

  async getTrial(studyId: number, number: number): Promise<FrozenTrial | null> {
    return this.read(studyId, number, number)[0] ?? null;
  }

  async listTrials(studyId: number, opts: { readonly states?: readonly TrialState[]; readonly from?: number } = {}): Promise<FrozenTrial[]> {
    this.studyRow(studyId);
    const all = this.read(studyId, opts.from ?? 0, Infinity);
    return opts.states ? all.filter((t) => opts.states?.includes(t.state)) : all;
  }

  /** Trials numbered from..to (inclusive) with all their children, in a fixed number of queries. */
  private read(studyId: number, from: number, to: number): FrozenTrial[] {
    const hi = Math.min(to, Number.MAX_SAFE_INTEGER);
    const rows = this.q.trialRows.all(studyId, from, hi) as TrialRow[];
    if (rows.length === 0) return [];
    const group = <T extends { trial_id: number }>(list: T[]): Map<number, T[]> => {
      const m = new Map<number, T[]>();
      for (const x of list) {
        const arr = m.get(x.trial_id);
        if (arr) arr.push(x);
        else m.set(x.trial_id, [x]);
      }
      return m;
    };
    const params = group(this.q.params.all(studyId, from, hi) as ParamRow[]);
    const values = group(this.q.values.all(studyId, from, hi) as { trial_id: number; objective: number; value: number | null; value_type: string }[]);
    const inter = group(this.q.intermediates.all(studyId, from, hi) as { trial_id: number; step: number; intermediate_value: number | null; intermediate_value_type: string }[]);
    const ua = group(this.q.trialAttrs.user.all(studyId, from, hi) as KeyedRow[]);
    const sa = group(this.q.trialAttrs.system.all(studyId, from, hi) as KeyedRow[]);
    const obj = (list: KeyedRow[] | undefined): Record<string, AttrValue> => Object.fromEntries((list ?? []).map((a) => [a.key, parseAttrJson(a.value_json)]));
    return rows.map((r) => {
      const p: FlatParams = {};
      for (const x of params.get(r.trial_id) ?? []) p[x.key] = decodeParam(x.param_value, x.distribution_json);
      const vals = values.get(r.trial_id);
      return freezeTrial({
        number: r.number,
        state: r.state,
        params: p,
        values: r.state === 'COMPLETE' && vals ? vals.map((v) => decodeValue(v.value, v.value_type)) : null,
        intermediate_values: (inter.get(r.trial_id) ?? []).map((i) => [i.step, decodeValue(i.intermediate_value, i.intermediate_value_type)] as const),
        constraints: r.constraints_json === null ? null : (JSON.parse(r.constraints_json) as (number | string)[]).map(Number),
        user_attrs: obj(ua.get(r.trial_id)),
        system_attrs: obj(sa.get(r.trial_id)),
        datetime_start: ms(r.datetime_start),
        datetime_complete: r.datetime_complete === null ? null : ms(r.datetime_complete),
      });
    });
  }
}
