import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

describe('migration 003 (studies)', () => {
  it('upgrades a version-2 database to Optuna-shaped STRICT study tables', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, 2);
    expect(schemaVersion(db)).toBe(2);
    migrate(db, MIGRATIONS, 3);
    expect(schemaVersion(db)).toBe(3);
    const tables = new Map((db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string }[]).map((t) => [t.name, t.sql]));
    for (const t of ['studies', 'study_directions', 'study_user_attributes', 'study_system_attributes', 'trials', 'trial_params', 'trial_values', 'trial_intermediate_values', 'trial_user_attributes', 'trial_system_attributes']) {
      expect(tables.get(t), t).toMatch(/STRICT/);
    }
  });

  it('enforces states, directions, unique numbers, STRICT types and cascades', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, 3);
    db.prepare("INSERT INTO studies (study_name, datetime_start) VALUES ('s', 0)").run();
    expect(() => db.prepare("INSERT INTO studies (study_name, datetime_start) VALUES ('s', 1)").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO study_directions (study_id, objective, direction) VALUES (1, 0, 'up')").run()).toThrow(/CHECK/);
    const trial = db.prepare('INSERT INTO trials (number, study_id, state, datetime_start) VALUES (?, 1, ?, 0)');
    trial.run(0, 'RUNNING');
    expect(() => trial.run(0, 'RUNNING')).toThrow(/UNIQUE/);
    expect(() => trial.run(1, 'DONE')).toThrow(/CHECK/);
    expect(() => trial.run('one', 'RUNNING')).toThrow();
    expect(() => db.prepare("INSERT INTO trials (number, study_id, state, datetime_start) VALUES (5, 99, 'RUNNING', 0)").run()).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO trial_params (trial_id, param_name, param_value_json) VALUES (1, 'x', '0.5')").run();
    db.prepare('INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value) VALUES (1, 0, NULL)').run();
    db.prepare("UPDATE trials SET state = 'COMPLETE' WHERE trial_id = 1").run();
    expect(() => db.prepare("UPDATE trials SET state = 'RUNNING' WHERE trial_id = 1").run()).toThrow(/immutable/);
    db.prepare("DELETE FROM studies WHERE study_name = 's'").run();
    for (const t of ['trials', 'trial_params', 'trial_intermediate_values']) expect(db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get()).toEqual({ n: 0 });
  });
});
