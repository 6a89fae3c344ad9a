import type { PgMigration } from './types.js';

/**
 * PL/pgSQL functions doing each of PgStudyStore's trial writes in one round trip (one
 * statement, so one transaction), where they took 5 to 9: the rules are those the adapter
 * kept in its own transactions (storage/pg/study-store.ts), children always written before
 * the state change so migration 001's triggers still refuse writes to finished trials.
 * Arrays come as parameters (one element per param, value, step or attribute).
 *
 * `tradelab_trial_xids` names the transactions that wrote a trial's row and children as they
 * are now (their xmin, as bigint): the adapter keeps a trial it created or claimed with those
 * and, finishing it, learns whether anyone else wrote it since (then it reads the trial back
 * instead of building it from what it knows).
 *
 * Python Optuna never calls these; its `create_all` ignores functions, so its schema
 * comparison (tests/storage/pg/optuna.test.ts) is unchanged.
 */
export const migration003: PgMigration = {
  version: 3,
  name: 'trial_functions',
  sql: `
    -- (plpgsql, not sql, for functions called per trial: it keeps their plans for the session)
    CREATE FUNCTION tradelab_trial_xids(id INTEGER) RETURNS BIGINT[] LANGUAGE plpgsql STABLE AS $$
    BEGIN
      RETURN (SELECT array_agg(DISTINCT x ORDER BY x) FROM (
        SELECT xmin::text::bigint FROM trials WHERE trial_id = id
        UNION ALL SELECT xmin::text::bigint FROM trial_params WHERE trial_id = id
        UNION ALL SELECT xmin::text::bigint FROM trial_values WHERE trial_id = id
        UNION ALL SELECT xmin::text::bigint FROM trial_intermediate_values WHERE trial_id = id
        UNION ALL SELECT xmin::text::bigint FROM trial_user_attributes WHERE trial_id = id
        UNION ALL SELECT xmin::text::bigint FROM trial_system_attributes WHERE trial_id = id
      ) AS r (x));
    END $$;

    -- Sets a trial's user and system attributes (JSON text values), keys and values paired by position.
    CREATE FUNCTION tradelab_set_trial_attrs(id INTEGER, user_keys TEXT[], user_values TEXT[], system_keys TEXT[], system_values TEXT[])
    RETURNS VOID LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO trial_user_attributes (trial_id, key, value_json) SELECT id, k, v FROM unnest(user_keys, user_values) AS x (k, v)
        ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json;
      INSERT INTO trial_system_attributes (trial_id, key, value_json) SELECT id, k, v FROM unnest(system_keys, system_values) AS x (k, v)
        ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json;
    END $$;

    -- A new RUNNING trial, numbered as Optuna numbers them (the count of the study's trials)
    -- under the study row's lock; no row when a limit is given and reached (counted: every
    -- trial but a FAIL one carrying the system attribute retried_as). A missing study raises
    -- SQLSTATE TL404.
    CREATE FUNCTION tradelab_create_trial(
      p_study_id INTEGER, p_limit INTEGER, p_datetime_start TIMESTAMP,
      p_param_names TEXT[], p_param_values DOUBLE PRECISION[], p_param_dists TEXT[],
      p_user_keys TEXT[], p_user_values TEXT[], p_system_keys TEXT[], p_system_values TEXT[]
    ) RETURNS TABLE (trial_id INTEGER, number INTEGER, xids BIGINT[]) LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      id INTEGER;
      n INTEGER;
    BEGIN
      PERFORM 1 FROM studies s WHERE s.study_id = p_study_id FOR UPDATE;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'study id % does not exist', p_study_id USING ERRCODE = 'TL404';
      END IF;
      IF p_limit IS NOT NULL AND (
        SELECT COUNT(*) FROM trials t WHERE t.study_id = p_study_id
          AND NOT (t.state = 'FAIL' AND EXISTS (SELECT 1 FROM trial_system_attributes a WHERE a.trial_id = t.trial_id AND a.key = 'retried_as'))
      ) >= p_limit THEN
        RETURN;
      END IF;
      INSERT INTO trials (number, study_id, state, datetime_start)
        SELECT COUNT(*), p_study_id, 'RUNNING', p_datetime_start FROM trials t WHERE t.study_id = p_study_id
        RETURNING trials.trial_id, trials.number INTO id, n;
      INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json)
        SELECT id, x.n, x.v, x.d FROM unnest(p_param_names, p_param_values, p_param_dists) AS x (n, v, d);
      PERFORM tradelab_set_trial_attrs(id, p_user_keys, p_user_values, p_system_keys, p_system_values);
      RETURN QUERY SELECT id, n, tradelab_trial_xids(id);
    END $$;

    -- Finishes the study's trial p_number if it is RUNNING (its row locked meanwhile): values,
    -- intermediate values and attributes first, then state, datetime_complete and constraints.
    -- prior: the state found (NULL: no such trial); nothing is written unless it is RUNNING.
    -- fresh: the trial was written by the transactions p_xids only (tradelab_trial_xids)
    -- before this finish.
    CREATE FUNCTION tradelab_finish_trial(
      p_study_id INTEGER, p_number INTEGER, p_xids BIGINT[],
      p_state trialstate, p_datetime_complete TIMESTAMP, p_constraints TEXT,
      p_values DOUBLE PRECISION[], p_value_types trialvaluetype[],
      p_steps INTEGER[], p_step_values DOUBLE PRECISION[], p_step_types trialintermediatevaluetype[],
      p_user_keys TEXT[], p_user_values TEXT[], p_system_keys TEXT[], p_system_values TEXT[],
      OUT prior trialstate, OUT fresh BOOLEAN
    ) LANGUAGE plpgsql AS $$
    DECLARE
      id INTEGER;
    BEGIN
      fresh := false;
      SELECT t.trial_id, t.state INTO id, prior FROM trials t WHERE t.study_id = p_study_id AND t.number = p_number FOR UPDATE;
      IF prior IS DISTINCT FROM 'RUNNING' THEN
        RETURN;
      END IF;
      fresh := p_xids IS NOT NULL AND tradelab_trial_xids(id) <@ p_xids;
      INSERT INTO trial_values (trial_id, objective, value, value_type)
        SELECT id, x.o - 1, x.v, x.t FROM unnest(p_values, p_value_types) WITH ORDINALITY AS x (v, t, o)
        ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type;
      INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type)
        SELECT id, x.s, x.v, x.t FROM unnest(p_steps, p_step_values, p_step_types) AS x (s, v, t)
        ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type;
      PERFORM tradelab_set_trial_attrs(id, p_user_keys, p_user_values, p_system_keys, p_system_values);
      UPDATE trials SET state = p_state, datetime_complete = p_datetime_complete, constraints_json = p_constraints WHERE trial_id = id;
    END $$;
    -- Takes the study's lowest-numbered WAITING trial (FOR UPDATE SKIP LOCKED: one caller gets
    -- it, the others the next one or none, without waiting): RUNNING from p_datetime_start,
    -- with these system attributes. No row when none waits.
    CREATE FUNCTION tradelab_claim_trial(p_study_id INTEGER, p_datetime_start TIMESTAMP, p_system_keys TEXT[], p_system_values TEXT[])
    RETURNS TABLE (number INTEGER, xids BIGINT[]) LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      id INTEGER;
      n INTEGER;
    BEGIN
      SELECT t.trial_id, t.number INTO id, n FROM trials t WHERE t.study_id = p_study_id AND t.state = 'WAITING'
        ORDER BY t.number LIMIT 1 FOR UPDATE SKIP LOCKED;
      IF NOT FOUND THEN
        RETURN;
      END IF;
      UPDATE trials t SET state = 'RUNNING', datetime_start = p_datetime_start WHERE t.trial_id = id;
      PERFORM tradelab_set_trial_attrs(id, NULL, NULL, p_system_keys, p_system_values);
      RETURN QUERY SELECT n, tradelab_trial_xids(id);
    END $$;

    -- Puts the study's RUNNING trial p_number back in the queue (WAITING, without its
    -- intermediate values, with these system attributes), its row locked meanwhile, unless
    -- p_if_owner is given and differs from its owner system attribute (JSON null: it has none).
    -- prior: the state found (NULL: no such trial).
    CREATE FUNCTION tradelab_requeue_trial(p_study_id INTEGER, p_number INTEGER, p_if_owner JSONB, p_system_keys TEXT[], p_system_values TEXT[],
      OUT prior trialstate, OUT requeued BOOLEAN)
    LANGUAGE plpgsql AS $$
    DECLARE
      id INTEGER;
    BEGIN
      requeued := false;
      SELECT t.trial_id, t.state INTO id, prior FROM trials t WHERE t.study_id = p_study_id AND t.number = p_number FOR UPDATE;
      IF prior IS DISTINCT FROM 'RUNNING' OR (p_if_owner IS NOT NULL AND p_if_owner <> COALESCE(
        (SELECT a.value_json::jsonb FROM trial_system_attributes a WHERE a.trial_id = id AND a.key = 'owner'), 'null'::jsonb
      )) THEN
        RETURN;
      END IF;
      DELETE FROM trial_intermediate_values i WHERE i.trial_id = id;
      PERFORM tradelab_set_trial_attrs(id, NULL, NULL, p_system_keys, p_system_values);
      UPDATE trials t SET state = 'WAITING' WHERE t.trial_id = id;
      requeued := true;
    END $$;
  `,
};
