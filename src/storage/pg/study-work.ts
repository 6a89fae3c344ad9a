/**
 * What is left of a study for workers, in one indexed query: the trials that count towards
 * its budget (all but FAIL trials retried elsewhere) and those still open (RUNNING or
 * WAITING). A worker skips a study with its budget used and nothing open without loading it.
 */
import type pg from 'pg';
import { RETRIED_AS_ATTR } from '../../engine/optimizer/store.js';

export interface StudyWork {
  readonly counted: number;
  readonly open: number;
}

export async function studyWork(pool: pg.Pool, studyId: number): Promise<StudyWork> {
  const { rows } = await pool.query<{ counted: number; open: number }>(
    `SELECT COUNT(*) FILTER (WHERE NOT (t.state = 'FAIL' AND EXISTS (SELECT 1 FROM trial_system_attributes a WHERE a.trial_id = t.trial_id AND a.key = $2))) AS counted,
            COUNT(*) FILTER (WHERE t.state IN ('RUNNING', 'WAITING')) AS open
       FROM trials t WHERE t.study_id = $1`,
    [studyId, RETRIED_AS_ATTR],
  );
  return { counted: Number(rows[0].counted), open: Number(rows[0].open) };
}
