import type { Migration } from './types.js';

const CHILDREN = ['trial_params', 'trial_values', 'trial_intermediate_values', 'trial_user_attributes', 'trial_system_attributes'];

/**
 * Trials may be WAITING (Optuna's state for a queued trial): a trial stopped before it
 * finished — its process died mid-trial, or it was queued when the study was cancelled — goes
 * back to WAITING under its own number and params, and the next run of the study runs it
 * first, so a resumed study reproduces the uninterrupted one. SQLite cannot change a CHECK
 * constraint in place, so `trials` is rebuilt with its rows and index (foreign keys are off
 * meanwhile: dropping the old table must not cascade into the trials' children, which keep
 * referring to `trials` by name). The immutability trigger lets a WAITING trial become
 * RUNNING again; the children's triggers, dropped first because they name the table, are
 * recreated unchanged: only a RUNNING trial takes values, parameters or attributes.
 */
export const migration011: Migration = {
  version: 11,
  name: 'trial_waiting',
  foreign_keys_off: true,
  up(db) {
    for (const table of CHILDREN) for (const op of ['insert', 'update']) db.exec(`DROP TRIGGER ${table}_${op}_finished`);
    db.exec(`
      CREATE TABLE trials_v11 (
        trial_id           INTEGER PRIMARY KEY,
        number             INTEGER NOT NULL CHECK (number >= 0),
        study_id           INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
        state              TEXT    NOT NULL CHECK (state IN ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')),
        constraints_json   TEXT,
        datetime_start     INTEGER NOT NULL,
        datetime_complete  INTEGER,
        UNIQUE (study_id, number)
      ) STRICT;
      INSERT INTO trials_v11 (trial_id, number, study_id, state, constraints_json, datetime_start, datetime_complete)
        SELECT trial_id, number, study_id, state, constraints_json, datetime_start, datetime_complete FROM trials;
      DROP TABLE trials;
      ALTER TABLE trials_v11 RENAME TO trials;
      CREATE INDEX trials_by_state ON trials (study_id, state);
      CREATE TRIGGER trials_finished_immutable BEFORE UPDATE ON trials
      WHEN OLD.state NOT IN ('RUNNING', 'WAITING')
      BEGIN SELECT RAISE(ABORT, 'trial is finished and immutable'); END;
    `);
    for (const table of CHILDREN) {
      for (const op of ['INSERT', 'UPDATE'] as const) {
        const row = op === 'INSERT' ? 'NEW' : 'OLD';
        db.exec(`
          CREATE TRIGGER ${table}_${op.toLowerCase()}_finished BEFORE ${op} ON ${table}
          WHEN (SELECT state FROM trials WHERE trial_id = ${row}.trial_id) <> 'RUNNING'
          BEGIN SELECT RAISE(ABORT, 'trial is not RUNNING: finished trials are immutable, a WAITING one is written when it runs again'); END;
        `);
      }
    }
  },
};
