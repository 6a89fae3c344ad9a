/**
 * Every stored study in one query, in the spirit of Optuna's get_all_study_summaries: its
 * name, directions, user attributes (strategy, symbol, timeframe, dataset), trials by state,
 * start and last update, and the best trial of a single-objective study: the best first
 * value among its feasible COMPLETE trials (a NULL or positive constraint value is a
 * violation, as in the optimizer's isFeasible).
 */
import { isPostgres, statement, type Db } from './db.js';
import { STUDY_SUMMARIES_PG, studySummaryFromPg, type PgStudySummaryRaw } from './pg/study-summaries.js';
import { datetimeToMs, directionOf } from './optuna-model.js';

export interface StudySummaryRow {
  readonly name: string;
  readonly directions: readonly string[];
  readonly user_attrs: Readonly<Record<string, unknown>>;
  /** Trials by state (only the states present). */
  readonly counts: Readonly<Record<string, number>>;
  readonly datetime_start: number;
  /** The newest trial start or finish (the study's start when it has no trial). */
  readonly last_update: number;
  /** Best feasible COMPLETE trial by the first objective (null when none). */
  readonly best_trial: number | null;
  readonly best_value: number | null;
}

interface Raw {
  name: string;
  directions: string | null;
  user_attrs: string;
  counts: string;
  datetime_start: string | null;
  last_update: string | null;
  best_trial: number | null;
  best_value: number | null;
}

export function studySummaries(db: Db): StudySummaryRow[] {
  if (isPostgres(db)) return statement<[], PgStudySummaryRaw>(db, STUDY_SUMMARIES_PG).all().map(studySummaryFromPg);
  const rows = statement(db,
      `WITH feasible AS (
         SELECT t.study_id, t.number,
                CASE v.value_type WHEN 'INF_POS' THEN 9e999 WHEN 'INF_NEG' THEN -9e999 ELSE v.value END AS value
           FROM trials t
           JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0
          WHERE t.state = 'COMPLETE' AND (v.value IS NOT NULL OR v.value_type <> 'FINITE')
            AND (t.constraints_json IS NULL
                 OR NOT EXISTS (SELECT 1 FROM json_each(t.constraints_json) j WHERE j.value IS NULL OR j.value > 0))
       ),
       best AS (
         SELECT f.study_id, f.number, f.value,
                ROW_NUMBER() OVER (PARTITION BY f.study_id
                                   ORDER BY CASE d.direction WHEN 'MINIMIZE' THEN f.value ELSE -f.value END, f.number) AS rank
           FROM feasible f
           JOIN study_directions d ON d.study_id = f.study_id AND d.objective = 0
       )
       SELECT s.study_name AS name, s.datetime_start,
              (SELECT group_concat(direction, ',')
                 FROM (SELECT direction FROM study_directions d WHERE d.study_id = s.study_id ORDER BY objective)) AS directions,
              (SELECT json_group_object(a.key, json(a.value_json)) FROM study_user_attributes a WHERE a.study_id = s.study_id) AS user_attrs,
              (SELECT json_group_object(state, n)
                 FROM (SELECT state, COUNT(*) AS n FROM trials t WHERE t.study_id = s.study_id GROUP BY state)) AS counts,
              (SELECT MAX(MAX(COALESCE(t.datetime_start, ''), COALESCE(t.datetime_complete, ''))) FROM trials t WHERE t.study_id = s.study_id) AS last_update,
              b.number AS best_trial, b.value AS best_value
         FROM studies s
         LEFT JOIN best b ON b.study_id = s.study_id AND b.rank = 1
        ORDER BY COALESCE(last_update, s.datetime_start, '') DESC, s.study_id DESC`,
    )
    .all() as Raw[];
  return rows.map((r) => {
    const start = r.datetime_start === null ? 0 : datetimeToMs(r.datetime_start);
    return {
    name: r.name,
    directions: r.directions ? r.directions.split(',').map(directionOf) : [],
    user_attrs: JSON.parse(r.user_attrs) as Record<string, unknown>,
    counts: JSON.parse(r.counts) as Record<string, number>,
    datetime_start: start,
    last_update: r.last_update ? datetimeToMs(r.last_update) : start,
    best_trial: r.best_trial,
    best_value: r.best_value,
    };
  });
}
