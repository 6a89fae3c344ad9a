/**
 * Every study of the shared PostgreSQL storage in one query, in the same shape as the SQLite
 * store's studySummaries (storage/study-summaries.ts), so `tradelab studies --storage URL`
 * shows the workers' studies as it shows the local ones: name, directions, user attributes,
 * trials by state, start, last update, and the best feasible first value.
 */
import type pg from 'pg';
import { datetimeToMs, directionOf, parseAttrJson } from '../optuna-model.js';
import type { StudySummaryRow } from '../study-summaries.js';

/** A row of STUDY_SUMMARIES_PG as text (the same through node-postgres and the synchronous connection). */
export interface PgStudySummaryRaw {
  name: string;
  datetime_start: string | null;
  /** Comma-separated direction names, in objective order. */
  directions: string;
  /** JSON object: attribute key → its value_json text. */
  user_attrs: string | null;
  /** JSON object: state → count. */
  counts: string | null;
  last_update: string | null;
  best_trial: number | null;
  best_value: number | null;
}

export const STUDY_SUMMARIES_PG = `WITH feasible AS (
       SELECT t.study_id, t.number,
              CASE v.value_type WHEN 'INF_POS' THEN 'Infinity'::float8 WHEN 'INF_NEG' THEN '-Infinity'::float8 ELSE v.value END AS value
         FROM trials t
         JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
        WHERE t.state = 'COMPLETE' AND (v.value IS NOT NULL OR v.value_type <> 'FINITE')
          AND (t.constraints_json IS NULL
               OR NOT EXISTS (SELECT 1 FROM json_array_elements(t.constraints_json::json) j
                               WHERE json_typeof(j) <> 'number' OR (j::text)::float8 > 0))
     ),
     best AS (
       SELECT f.study_id, f.number, f.value,
              ROW_NUMBER() OVER (PARTITION BY f.study_id
                                 ORDER BY CASE WHEN d.direction = 'MINIMIZE' THEN f.value ELSE -f.value END, f.number) AS rank
         FROM feasible f
         JOIN study_directions d ON d.study_id = f.study_id AND d.objective = 0
     ),
     listed AS (
       SELECT s.study_id, s.study_name AS name,
              COALESCE(s.datetime_start, (SELECT MIN(t.datetime_start) FROM trials t WHERE t.study_id = s.study_id))::text AS datetime_start,
              array_to_string(ARRAY(SELECT d.direction::text FROM study_directions d WHERE d.study_id = s.study_id ORDER BY d.objective), ',') AS directions,
              (SELECT json_object_agg(a.key, a.value_json)::text FROM study_user_attributes a WHERE a.study_id = s.study_id) AS user_attrs,
              (SELECT json_object_agg(c.state, c.n)::text FROM (SELECT t.state::text AS state, COUNT(*) AS n FROM trials t WHERE t.study_id = s.study_id GROUP BY t.state) c) AS counts,
              (SELECT GREATEST(MAX(t.datetime_start), MAX(t.datetime_complete)) FROM trials t WHERE t.study_id = s.study_id)::text AS last_update,
              b.number AS best_trial, b.value AS best_value
         FROM studies s
         LEFT JOIN best b ON b.study_id = s.study_id AND b.rank = 1
     )
     SELECT name, datetime_start, directions, user_attrs, counts, last_update, best_trial, best_value
       FROM listed
      ORDER BY COALESCE(last_update, datetime_start, '') DESC, study_id DESC`;

export async function studySummariesPg(pool: pg.Pool): Promise<StudySummaryRow[]> {
  return (await pool.query<PgStudySummaryRaw>(STUDY_SUMMARIES_PG)).rows.map(studySummaryFromPg);
}

export function studySummaryFromPg(r: PgStudySummaryRaw): StudySummaryRow {
  const start = r.datetime_start === null ? 0 : datetimeToMs(r.datetime_start);
  return {
      name: r.name,
      directions: r.directions ? r.directions.split(',').map(directionOf) : [],
      user_attrs: Object.fromEntries(Object.entries(JSON.parse(r.user_attrs ?? '{}') as Record<string, string>).map(([k, v]) => [k, parseAttrJson(v)])),
      counts: Object.fromEntries(Object.entries(JSON.parse(r.counts ?? '{}') as Record<string, number>).map(([k, n]) => [k, Number(n)])),
      datetime_start: start,
      last_update: r.last_update === null ? start : datetimeToMs(r.last_update),
      best_trial: r.best_trial,
      best_value: r.best_value,
  };
}
