/**
 * Read-only queries over a study for reports: the intermediate values every trial reported
 * (for pruning), by trial number. Kept here so SQL stays in src/storage.
 */
import { statement, type Db } from './db.js';

/** Trial number → its intermediate values in step order (trials without any are absent). */
export function studyIntermediateValues(db: Db, studyName: string): Map<number, { step: number; value: number }[]> {
  const rows = statement(db,
      `SELECT t.number AS number, v.step AS step, v.intermediate_value AS value
         FROM trial_intermediate_values v
         JOIN trials t ON t.trial_id = v.trial_id
         JOIN studies s ON s.study_id = t.study_id
        WHERE s.study_name = ? AND v.intermediate_value IS NOT NULL
        ORDER BY t.number, v.step`,
    )
    .all(studyName) as { number: number; step: number; value: number }[];
  const out = new Map<number, { step: number; value: number }[]>();
  for (const r of rows) {
    let list = out.get(r.number);
    if (!list) out.set(r.number, (list = []));
    list.push({ step: r.step, value: r.value });
  }
  return out;
}

/** The newest optimize run of a study (for `tradelab report STUDY`), or undefined. */
export function latestStudyRunId(db: Db, studyName: string): string | undefined {
  const row = statement(db,
      `SELECT id FROM runs WHERE kind = 'optimize'
          AND (json_extract(summary, '$.study_name') = ? OR json_extract(spec, '$.study_name') = ?)
        ORDER BY created_at DESC LIMIT 1`,
    )
    .get(studyName, studyName) as { id: string } | undefined;
  return row?.id;
}
