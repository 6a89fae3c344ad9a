import type { Migration } from './types.js';

/**
 * Optimisation studies, following Optuna's RDB schema (studies, study directions, trials,
 * trial params, trial values, intermediate values, user/system attributes) so that the
 * tables can later be exposed to Optuna's own tools. Differences: times are epoch ms,
 * attribute values and param values are JSON text (a param keeps its exact external value,
 * e.g. a categorical string), NaN is stored as NULL, and constraint values (Optuna keeps
 * them as a system attribute) have a column on the trial.
 * Finished trials are immutable: triggers refuse any insert or update touching a finished
 * trial (deleting a whole study still cascades).
 */
export const migration003: Migration = {
  version: 3,
  name: 'studies',
  up(db) {
    db.exec(`
      CREATE TABLE studies (
        study_id        INTEGER PRIMARY KEY,
        study_name      TEXT    NOT NULL UNIQUE,
        datetime_start  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE study_directions (
        study_direction_id INTEGER PRIMARY KEY,
        study_id           INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
        objective          INTEGER NOT NULL CHECK (objective >= 0),
        direction          TEXT    NOT NULL CHECK (direction IN ('minimize', 'maximize')),
        UNIQUE (study_id, objective)
      ) STRICT;

      CREATE TABLE study_user_attributes (
        study_user_attribute_id INTEGER PRIMARY KEY,
        study_id                INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
        key                     TEXT    NOT NULL,
        value_json              TEXT    NOT NULL,
        UNIQUE (study_id, key)
      ) STRICT;

      CREATE TABLE study_system_attributes (
        study_system_attribute_id INTEGER PRIMARY KEY,
        study_id                  INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
        key                       TEXT    NOT NULL,
        value_json                TEXT    NOT NULL,
        UNIQUE (study_id, key)
      ) STRICT;

      CREATE TABLE trials (
        trial_id           INTEGER PRIMARY KEY,
        number             INTEGER NOT NULL CHECK (number >= 0),
        study_id           INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
        state              TEXT    NOT NULL CHECK (state IN ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL')),
        constraints_json   TEXT,
        datetime_start     INTEGER NOT NULL,
        datetime_complete  INTEGER,
        UNIQUE (study_id, number)
      ) STRICT;
      CREATE INDEX trials_by_state ON trials (study_id, state);

      CREATE TABLE trial_params (
        param_id           INTEGER PRIMARY KEY,
        trial_id           INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
        param_name         TEXT    NOT NULL,
        param_value_json   TEXT    NOT NULL,
        distribution_json  TEXT,
        UNIQUE (trial_id, param_name)
      ) STRICT;

      CREATE TABLE trial_values (
        trial_value_id  INTEGER PRIMARY KEY,
        trial_id        INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
        objective       INTEGER NOT NULL CHECK (objective >= 0),
        value           REAL,
        UNIQUE (trial_id, objective)
      ) STRICT;

      CREATE TABLE trial_intermediate_values (
        trial_intermediate_value_id  INTEGER PRIMARY KEY,
        trial_id                     INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
        step                         INTEGER NOT NULL CHECK (step >= 0),
        intermediate_value           REAL,
        UNIQUE (trial_id, step)
      ) STRICT;

      CREATE TABLE trial_user_attributes (
        trial_user_attribute_id INTEGER PRIMARY KEY,
        trial_id                INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
        key                     TEXT    NOT NULL,
        value_json              TEXT    NOT NULL,
        UNIQUE (trial_id, key)
      ) STRICT;

      CREATE TABLE trial_system_attributes (
        trial_system_attribute_id INTEGER PRIMARY KEY,
        trial_id                  INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
        key                       TEXT    NOT NULL,
        value_json                TEXT    NOT NULL,
        UNIQUE (trial_id, key)
      ) STRICT;

      -- Finished trials are immutable (their state cannot change back or again).
      CREATE TRIGGER trials_finished_immutable BEFORE UPDATE ON trials
      WHEN OLD.state <> 'RUNNING'
      BEGIN SELECT RAISE(ABORT, 'trial is finished and immutable'); END;
    `);
    for (const table of ['trial_params', 'trial_values', 'trial_intermediate_values', 'trial_user_attributes', 'trial_system_attributes']) {
      for (const op of ['INSERT', 'UPDATE'] as const) {
        const row = op === 'INSERT' ? 'NEW' : 'OLD';
        db.exec(`
          CREATE TRIGGER ${table}_${op.toLowerCase()}_finished BEFORE ${op} ON ${table}
          WHEN (SELECT state FROM trials WHERE trial_id = ${row}.trial_id) <> 'RUNNING'
          BEGIN SELECT RAISE(ABORT, 'trial is finished and immutable'); END;
        `);
      }
    }
  },
};
