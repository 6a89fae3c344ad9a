import type { PgMigration } from './types.js';

const CHILDREN = ['trial_params', 'trial_values', 'trial_intermediate_values', 'trial_user_attributes', 'trial_system_attributes'];

/**
 * Studies in the tables Optuna 3.1 (SQLAlchemy 1.4) creates on PostgreSQL, so that
 * `optuna.load_study(storage="postgresql+psycopg2://…")` reads them and Python workers write
 * trials beside ours: the same table, column, constraint and index names and types, the same
 * ENUM types, version_info (schema 12, 3.1.0) and alembic_version (v3.0.0.d) already filled
 * in, so Optuna finds a current schema and writes nothing when it connects.
 *
 * Why ENUM types and not TEXT + CHECK: Optuna 3.1 reads and writes TEXT columns just as
 * well (tried: load_study, optimize, enqueue_trial, add_trial), but every RDBStorage it opens
 * runs SQLAlchemy 1.4's `metadata.create_all`, which creates the four ENUM types whenever
 * they are missing: with TEXT columns the first `load_study` would add them to the schema.
 * With them, loading a study changes neither the schema nor a row
 * (tests/storage/pg/optuna.test.ts).
 *
 * Deliberate differences from Optuna's own tables:
 * - `studies.datetime_start` (when tradelab created the study; NULL for a study Optuna
 *   created) and `trials.constraints_json` (constraint values, tradelab's column);
 * - ON DELETE CASCADE on every child foreign key (deleting a study deletes its trials);
 * - UNIQUE (study_id, number) on trials and an index on trials (study_id, state);
 * - triggers keeping finished trials immutable (as SQLite migrations 003 and 011): a
 *   trial's row can change while it is RUNNING or WAITING, a WAITING one only towards
 *   RUNNING; its params, values, intermediate values and attributes only while it is
 *   RUNNING. Optuna writes a trial's last children in the very transaction (even the same
 *   flush) that changes its state (a trial made from a template is inserted RUNNING, given
 *   its children, then set WAITING or COMPLETE; `tell` sets the state beside the values), so
 *   a trial inserted, or moved away from RUNNING, in the current transaction stays writable
 *   until that transaction ends (`tradelab.trials_written`, a transaction-local setting).
 *   A refused write is SQLSTATE 23000 (integrity_constraint_violation): psycopg2 raises
 *   IntegrityError, which Optuna reads as losing a race for the trial.
 * - the database's TimeZone becomes UTC (when the migrating role may set it): Optuna's
 *   heartbeats are the server's `now()` in the session's time zone, and every other time
 *   here is naive UTC.
 */
export const migration001: PgMigration = {
  version: 1,
  name: 'studies',
  sql: `
    CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE');
    CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING');
    CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG');
    CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN');

    CREATE TABLE studies (
      study_id        SERIAL PRIMARY KEY,
      study_name      VARCHAR(512) NOT NULL,
      datetime_start  TIMESTAMP NULL
    );
    CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name);

    CREATE TABLE version_info (
      version_info_id  INTEGER PRIMARY KEY CHECK (version_info_id = 1),
      schema_version   INTEGER,
      library_version  VARCHAR(256)
    );

    CREATE TABLE study_directions (
      study_direction_id  SERIAL PRIMARY KEY,
      direction           studydirection NOT NULL,
      study_id            INTEGER NOT NULL REFERENCES studies (study_id) ON DELETE CASCADE,
      objective           INTEGER NOT NULL,
      UNIQUE (study_id, objective)
    );

    CREATE TABLE study_user_attributes (
      study_user_attribute_id  SERIAL PRIMARY KEY,
      study_id                 INTEGER REFERENCES studies (study_id) ON DELETE CASCADE,
      key                      VARCHAR(512),
      value_json               TEXT,
      UNIQUE (study_id, key)
    );

    CREATE TABLE study_system_attributes (
      study_system_attribute_id  SERIAL PRIMARY KEY,
      study_id                   INTEGER REFERENCES studies (study_id) ON DELETE CASCADE,
      key                        VARCHAR(512),
      value_json                 TEXT,
      UNIQUE (study_id, key)
    );

    CREATE TABLE trials (
      trial_id           SERIAL PRIMARY KEY,
      number             INTEGER,
      study_id           INTEGER REFERENCES studies (study_id) ON DELETE CASCADE,
      state              trialstate NOT NULL,
      datetime_start     TIMESTAMP,
      datetime_complete  TIMESTAMP,
      constraints_json   TEXT NULL,
      UNIQUE (study_id, number)
    );
    CREATE INDEX ix_trials_study_id_state ON trials (study_id, state);

    CREATE TABLE trial_user_attributes (
      trial_user_attribute_id  SERIAL PRIMARY KEY,
      trial_id                 INTEGER REFERENCES trials (trial_id) ON DELETE CASCADE,
      key                      VARCHAR(512),
      value_json               TEXT,
      UNIQUE (trial_id, key)
    );

    CREATE TABLE trial_system_attributes (
      trial_system_attribute_id  SERIAL PRIMARY KEY,
      trial_id                   INTEGER REFERENCES trials (trial_id) ON DELETE CASCADE,
      key                        VARCHAR(512),
      value_json                 TEXT,
      UNIQUE (trial_id, key)
    );

    CREATE TABLE trial_params (
      param_id           SERIAL PRIMARY KEY,
      trial_id           INTEGER REFERENCES trials (trial_id) ON DELETE CASCADE,
      param_name         VARCHAR(512),
      param_value        DOUBLE PRECISION,
      distribution_json  TEXT,
      UNIQUE (trial_id, param_name)
    );

    CREATE TABLE trial_values (
      trial_value_id  SERIAL PRIMARY KEY,
      trial_id        INTEGER NOT NULL REFERENCES trials (trial_id) ON DELETE CASCADE,
      objective       INTEGER NOT NULL,
      value           DOUBLE PRECISION,
      value_type      trialvaluetype NOT NULL,
      UNIQUE (trial_id, objective)
    );

    CREATE TABLE trial_intermediate_values (
      trial_intermediate_value_id  SERIAL PRIMARY KEY,
      trial_id                     INTEGER NOT NULL REFERENCES trials (trial_id) ON DELETE CASCADE,
      step                         INTEGER NOT NULL,
      intermediate_value           DOUBLE PRECISION,
      intermediate_value_type      trialintermediatevaluetype NOT NULL,
      UNIQUE (trial_id, step)
    );

    CREATE TABLE trial_heartbeats (
      trial_heartbeat_id  SERIAL PRIMARY KEY,
      trial_id            INTEGER NOT NULL UNIQUE REFERENCES trials (trial_id) ON DELETE CASCADE,
      heartbeat           TIMESTAMP NOT NULL
    );

    CREATE TABLE alembic_version (
      version_num  VARCHAR(32) NOT NULL,
      CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
    );

    -- optuna-model.ts's OPTUNA_* constants as they were when this was written (a released
    -- migration never changes; tests/storage/pg/migrations.test.ts compares them)
    INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, 12, '3.1.0');
    INSERT INTO alembic_version (version_num) VALUES ('v3.0.0.d');

    -- Is this trial inserted, or moved away from RUNNING, in the current transaction?
    CREATE FUNCTION tradelab_trial_written_here(id INTEGER) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
      SELECT (',' || COALESCE(current_setting('tradelab.trials_written', true), '') || ',') LIKE ('%,' || id || ',%')
    $$;

    CREATE FUNCTION tradelab_trials_guard() RETURNS TRIGGER LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NOT tradelab_trial_written_here(OLD.trial_id) THEN
        IF OLD.state NOT IN ('RUNNING', 'WAITING') THEN
          RAISE EXCEPTION 'trial % is % and immutable', OLD.number, OLD.state USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.state = 'WAITING' AND NEW.state NOT IN ('WAITING', 'RUNNING') THEN
          RAISE EXCEPTION 'trial % is WAITING: it runs before it can be %', OLD.number, NEW.state USING ERRCODE = 'integrity_constraint_violation';
        END IF;
      END IF;
      IF TG_OP = 'INSERT' OR (OLD.state = 'RUNNING' AND NEW.state <> 'RUNNING') THEN
        PERFORM set_config('tradelab.trials_written',
          COALESCE(NULLIF(current_setting('tradelab.trials_written', true), '') || ',', '') || NEW.trial_id, true);
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER trials_guard BEFORE INSERT OR UPDATE ON trials
      FOR EACH ROW EXECUTE FUNCTION tradelab_trials_guard();

    CREATE FUNCTION tradelab_trial_child_guard() RETURNS TRIGGER LANGUAGE plpgsql AS $$
    DECLARE
      id INTEGER := CASE TG_OP WHEN 'INSERT' THEN NEW.trial_id ELSE OLD.trial_id END;
      s trialstate;
      n INTEGER;
    BEGIN
      SELECT state, number INTO s, n FROM trials WHERE trial_id = id;
      IF s IS DISTINCT FROM 'RUNNING' AND NOT tradelab_trial_written_here(id) THEN
        RAISE EXCEPTION 'trial % is %: finished trials are immutable, a WAITING one is written when it runs again', n, s
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END $$;
    ${CHILDREN.map((t) => `CREATE TRIGGER ${t}_guard BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION tradelab_trial_child_guard();`).join('\n    ')}

    DO $$
    BEGIN
      EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'UTC');
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'tradelab: cannot set TimeZone UTC on database %: run Python Optuna workers against a server in UTC', current_database();
    END $$;
  `,
};
