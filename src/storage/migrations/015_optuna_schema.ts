import type Database from 'better-sqlite3';
import type { ParamSpec, ParamValue } from '../../engine/optimizer/space.types.js';
import { encodeIntermediate, encodeParam, encodeValue, msToDatetime, OPTUNA_ALEMBIC_HEAD, OPTUNA_LIBRARY_VERSION, OPTUNA_SCHEMA_VERSION } from '../optuna-model.js';
import type { Migration } from './types.js';

const CHILDREN = ['trial_params', 'trial_values', 'trial_intermediate_values', 'trial_user_attributes', 'trial_system_attributes'] as const;

/** Optuna 3.1's tables (optuna/storages/_rdb/models.py) with our two extra columns and integrity rules. */
export const OPTUNA_TABLES = `
  CREATE TABLE studies (
    study_id        INTEGER PRIMARY KEY,
    study_name      TEXT    NOT NULL UNIQUE,
    datetime_start  TEXT
  ) STRICT;
  CREATE TABLE study_directions (
    study_direction_id INTEGER PRIMARY KEY,
    direction          TEXT    NOT NULL CHECK (direction IN ('NOT_SET', 'MINIMIZE', 'MAXIMIZE')),
    study_id           INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
    objective          INTEGER NOT NULL CHECK (objective >= 0),
    UNIQUE (study_id, objective)
  ) STRICT;
  CREATE TABLE study_user_attributes (
    study_user_attribute_id INTEGER PRIMARY KEY,
    study_id   INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    value_json TEXT    NOT NULL,
    UNIQUE (study_id, key)
  ) STRICT;
  CREATE TABLE study_system_attributes (
    study_system_attribute_id INTEGER PRIMARY KEY,
    study_id   INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    value_json TEXT    NOT NULL,
    UNIQUE (study_id, key)
  ) STRICT;
  CREATE TABLE trials (
    trial_id          INTEGER PRIMARY KEY,
    number            INTEGER CHECK (number >= 0),
    study_id          INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
    state             TEXT    NOT NULL CHECK (state IN ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')),
    datetime_start    TEXT,
    datetime_complete TEXT,
    constraints_json  TEXT,
    UNIQUE (study_id, number)
  ) STRICT;
  CREATE INDEX trials_by_state ON trials (study_id, state);
  CREATE TABLE trial_user_attributes (
    trial_user_attribute_id INTEGER PRIMARY KEY,
    trial_id   INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    value_json TEXT    NOT NULL,
    UNIQUE (trial_id, key)
  ) STRICT;
  CREATE TABLE trial_system_attributes (
    trial_system_attribute_id INTEGER PRIMARY KEY,
    trial_id   INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    value_json TEXT    NOT NULL,
    UNIQUE (trial_id, key)
  ) STRICT;
  CREATE TABLE trial_params (
    param_id          INTEGER PRIMARY KEY,
    trial_id          INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
    param_name        TEXT    NOT NULL,
    param_value       REAL    NOT NULL,
    distribution_json TEXT    NOT NULL,
    UNIQUE (trial_id, param_name)
  ) STRICT;
  CREATE TABLE trial_values (
    trial_value_id INTEGER PRIMARY KEY,
    trial_id       INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
    objective      INTEGER NOT NULL CHECK (objective >= 0),
    value          REAL,
    value_type     TEXT    NOT NULL CHECK (value_type IN ('FINITE', 'INF_POS', 'INF_NEG')),
    UNIQUE (trial_id, objective)
  ) STRICT;
  CREATE TABLE trial_intermediate_values (
    trial_intermediate_value_id INTEGER PRIMARY KEY,
    trial_id                INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
    step                    INTEGER NOT NULL CHECK (step >= 0),
    intermediate_value      REAL,
    intermediate_value_type TEXT    NOT NULL CHECK (intermediate_value_type IN ('FINITE', 'INF_POS', 'INF_NEG', 'NAN')),
    UNIQUE (trial_id, step)
  ) STRICT;
  CREATE TABLE trial_heartbeats (
    trial_heartbeat_id INTEGER PRIMARY KEY,
    trial_id           INTEGER NOT NULL UNIQUE REFERENCES trials(trial_id) ON DELETE CASCADE,
    heartbeat          TEXT    NOT NULL
  ) STRICT;
  CREATE TABLE version_info (
    version_info_id INTEGER PRIMARY KEY CHECK (version_info_id = 1),
    schema_version  INTEGER,
    library_version TEXT
  ) STRICT;
  CREATE TABLE alembic_version (
    version_num TEXT NOT NULL CONSTRAINT alembic_version_pkc PRIMARY KEY
  ) STRICT;
  CREATE TRIGGER trials_finished_immutable BEFORE UPDATE ON trials
  WHEN OLD.state NOT IN ('RUNNING', 'WAITING')
  BEGIN SELECT RAISE(ABORT, 'trial is finished and immutable'); END;
`;

function createOptunaTables(db: Database.Database): void {
  db.exec(OPTUNA_TABLES);
  // Only updates are refused by the schema: Optuna's RDB storage inserts a trial's values in
  // the same flush that finishes it, state first (the stores refuse such inserts themselves).
  for (const table of CHILDREN) {
    db.exec(`
      CREATE TRIGGER ${table}_update_finished BEFORE UPDATE ON ${table}
      WHEN (SELECT state FROM trials WHERE trial_id = OLD.trial_id) <> 'RUNNING'
      BEGIN SELECT RAISE(ABORT, 'trial is not RUNNING: finished trials are immutable, a WAITING one is written when it runs again'); END;
    `);
  }
  db.prepare('INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ?, ?)').run(OPTUNA_SCHEMA_VERSION, OPTUNA_LIBRARY_VERSION);
  db.prepare('INSERT INTO alembic_version (version_num) VALUES (?)').run(OPTUNA_ALEMBIC_HEAD);
}

const OLD_TABLES = ['studies', 'study_directions', 'study_user_attributes', 'study_system_attributes', 'trials', ...CHILDREN] as const;

/** Copies the version-14 rows (renamed `<table>_v14`) into Optuna's layout, value by value. */
function copyRows(db: Database.Database): void {
  const time = (ms: number | null): string | null => (ms === null ? null : msToDatetime(ms));
  const all = (table: string): Record<string, unknown>[] => db.prepare(`SELECT * FROM ${table}_v14 ORDER BY 1`).all() as Record<string, unknown>[];
  const put = (table: string, row: Record<string, unknown>): void => {
    const cols = Object.keys(row);
    db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...Object.values(row));
  };
  for (const r of all('studies')) put('studies', { ...r, datetime_start: time(r.datetime_start as number) });
  for (const r of all('study_directions')) put('study_directions', { ...r, direction: String(r.direction).toUpperCase() });
  for (const t of ['study_user_attributes', 'study_system_attributes', 'trial_user_attributes', 'trial_system_attributes']) for (const r of all(t)) put(t, r);
  // children first would trip the RUNNING-only triggers: trials go in RUNNING and take their state last
  const trials = all('trials');
  for (const r of trials) put('trials', { ...r, state: 'RUNNING', datetime_start: time(r.datetime_start as number), datetime_complete: time(r.datetime_complete as number | null) });
  for (const r of all('trial_params')) {
    const spec = r.distribution_json === null ? undefined : (JSON.parse(r.distribution_json as string) as ParamSpec);
    const enc = encodeParam(JSON.parse(r.param_value_json as string) as ParamValue, spec);
    put('trial_params', { param_id: r.param_id, trial_id: r.trial_id, param_name: r.param_name, param_value: enc.param_value, distribution_json: enc.distribution_json });
  }
  for (const r of all('trial_values')) {
    // a NULL (NaN) value was never stored for a COMPLETE trial; kept as NULL FINITE (read back as NaN, as before)
    const enc = r.value === null ? { value: null, value_type: 'FINITE' } : encodeValue(r.value as number);
    put('trial_values', { trial_value_id: r.trial_value_id, trial_id: r.trial_id, objective: r.objective, ...enc });
  }
  for (const r of all('trial_intermediate_values')) {
    const enc = encodeIntermediate(r.intermediate_value === null ? NaN : (r.intermediate_value as number));
    put('trial_intermediate_values', { trial_intermediate_value_id: r.trial_intermediate_value_id, trial_id: r.trial_id, step: r.step, intermediate_value: enc.value, intermediate_value_type: enc.value_type });
  }
  const setState = db.prepare('UPDATE trials SET state = ? WHERE trial_id = ?');
  for (const r of trials) if (r.state !== 'RUNNING') setState.run(r.state, r.trial_id);
}

/**
 * The study tables take Optuna 3.1's exact layout (schema version 12, alembic head
 * v3.0.0.d), so `optuna.load_study(storage="sqlite:///…/tradelab.db")` reads tradelab's
 * studies and Python Optuna workers can add trials to them: directions and states as
 * Optuna's enum names, parameters as Optuna's internal value + `distribution_json`, values
 * with their `value_type`, times as Optuna's DATETIME text (UTC), a nullable trial number
 * (Optuna inserts the trial, then numbers it), and the `trial_heartbeats`, `version_info`
 * and `alembic_version` tables. Extra columns Optuna ignores: `studies.datetime_start`,
 * `trials.constraints_json`. Every row is carried over value by value (the migration test
 * reads each study back through the store before and after); the old tables are dropped
 * only once all are copied.
 */
export const migration015: Migration = {
  version: 15,
  name: 'optuna_schema',
  foreign_keys_off: true,
  up(db) {
    for (const table of CHILDREN) for (const op of ['insert', 'update']) db.exec(`DROP TRIGGER ${table}_${op}_finished`);
    db.exec('DROP TRIGGER trials_finished_immutable; DROP INDEX trials_by_state');
    for (const t of OLD_TABLES) db.exec(`ALTER TABLE ${t} RENAME TO ${t}_v14`);
    createOptunaTables(db);
    copyRows(db);
    for (const t of [...OLD_TABLES].reverse()) db.exec(`DROP TABLE ${t}_v14`);
  },
};
