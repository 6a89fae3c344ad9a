/**
 * Read-only, synchronous queries over a study for reports and paged run sections: its trials
 * as flat rows, the intermediate values every trial reported (for pruning), the newest run
 * of a study. Kept here so SQL stays in src/storage.
 */
import { jsonField, statement, type Db } from './db.js';
import { decodeParam, decodeValue } from './optuna-model.js';

/** One trial as stored: params by flat path (`a.b`), objective values in order, the `metrics` user attribute, the `fail_reason` system attribute. */
export interface StudyTrialRow {
  readonly number: number;
  readonly state: string;
  readonly values: (number | null)[];
  readonly params: Record<string, string | number | boolean | null>;
  /** The trial's `metrics` user attribute (null when it has none). */
  readonly metrics: unknown;
  /** The `fail_reason` system attribute of a FAIL trial (undefined when it has none or did not fail). */
  readonly fail_reason: unknown;
}

/**
 * Every trial of a study in trial-number order, read with a fixed number of plain queries
 * over Optuna's tables (migration 015) whatever the trial count; undefined when no
 * study has that name.
 */
export function studyTrialRows(db: Db, studyName: string): StudyTrialRow[] | undefined {
  const study = statement(db, 'SELECT study_id FROM studies WHERE study_name = ?').get(studyName) as { study_id: number } | undefined;
  if (!study) return undefined;
  const id = study.study_id;
  const trials = statement(db, 'SELECT trial_id, number, state FROM trials WHERE study_id = ? ORDER BY number').all(id) as { trial_id: number; number: number; state: string }[];
  const params = statement(db, 'SELECT t.trial_id, p.param_name, p.param_value, p.distribution_json FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id WHERE t.study_id = ?').all(id) as { trial_id: number; param_name: string; param_value: number; distribution_json: string }[];
  const values = statement(db, 'SELECT t.trial_id, v.value, v.value_type FROM trial_values v JOIN trials t ON t.trial_id = v.trial_id WHERE t.study_id = ? ORDER BY v.objective').all(id) as { trial_id: number; value: number | null; value_type: string }[];
  const attrs = statement(db, "SELECT t.trial_id, a.value_json FROM trial_user_attributes a JOIN trials t ON t.trial_id = a.trial_id WHERE t.study_id = ? AND a.key = 'metrics'").all(id) as { trial_id: number; value_json: string }[];
  const reasons = statement(db, "SELECT t.trial_id, a.value_json FROM trial_system_attributes a JOIN trials t ON t.trial_id = a.trial_id WHERE t.study_id = ? AND a.key = 'fail_reason'").all(id) as { trial_id: number; value_json: string }[];
  type Row = { -readonly [K in keyof StudyTrialRow]: StudyTrialRow[K] };
  const byId = new Map<number, Row>();
  for (const t of trials) byId.set(t.trial_id, { number: t.number, state: t.state, values: [], params: {}, metrics: null, fail_reason: undefined });
  for (const p of params) byId.get(p.trial_id)!.params[p.param_name] = decodeParam(p.param_value, p.distribution_json);
  for (const v of values) byId.get(v.trial_id)!.values.push(v.value_type === 'FINITE' ? v.value : decodeValue(v.value, v.value_type));
  for (const a of attrs) byId.get(a.trial_id)!.metrics = JSON.parse(a.value_json) as unknown;
  for (const a of reasons) {
    const row = byId.get(a.trial_id)!;
    if (row.state === 'FAIL') row.fail_reason = JSON.parse(a.value_json) as unknown;
  }
  return [...byId.values()];
}

/** Trial number → its intermediate values in step order (trials without any are absent). */
export function studyIntermediateValues(db: Db, studyName: string): Map<number, { step: number; value: number }[]> {
  const rows = statement(db,
      `SELECT t.number AS number, v.step AS step, v.intermediate_value AS value, v.intermediate_value_type AS type
         FROM trial_intermediate_values v
         JOIN trials t ON t.trial_id = v.trial_id
         JOIN studies s ON s.study_id = t.study_id
        WHERE s.study_name = ? AND v.intermediate_value_type <> 'NAN'
        ORDER BY t.number, v.step`,
    )
    .all(studyName) as { number: number; step: number; value: number | null; type: string }[];
  const out = new Map<number, { step: number; value: number }[]>();
  for (const r of rows) {
    let list = out.get(r.number);
    if (!list) out.set(r.number, (list = []));
    list.push({ step: r.step, value: decodeValue(r.value, r.type) });
  }
  return out;
}

/** The newest optimize run of a study (for `tradelab report STUDY`), or undefined. */
export function latestStudyRunId(db: Db, studyName: string): string | undefined {
  const row = statement(db,
      `SELECT id FROM runs WHERE kind = 'optimize'
          AND (${jsonField(db, 'summary', 'study_name')} = ? OR ${jsonField(db, 'spec', 'study_name')} = ?)
        ORDER BY created_at DESC LIMIT 1`,
    )
    .get(studyName, studyName) as { id: string } | undefined;
  return row?.id;
}
