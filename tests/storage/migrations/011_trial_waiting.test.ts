import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

const CHILDREN = ['trial_params', 'trial_values', 'trial_intermediate_values', 'trial_user_attributes', 'trial_system_attributes'];

function count(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** Names of the triggers on trials and its children. */
function triggers(db: Database.Database): string[] {
  const tables = ['trials', ...CHILDREN].map((t) => `'${t}'`).join(', ');
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (${tables}) ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
}

/** A version-10 store with a finished and a RUNNING trial, each with rows in every child table. */
function v10(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, 10);
  db.prepare("INSERT INTO studies (study_name, datetime_start) VALUES ('s', 0)").run();
  const trial = db.prepare('INSERT INTO trials (number, study_id, state, constraints_json, datetime_start) VALUES (?, 1, ?, ?, ?)');
  trial.run(0, 'RUNNING', '[1,-2]', 10);
  trial.run(1, 'RUNNING', null, 11);
  for (const id of [1, 2]) {
    db.prepare("INSERT INTO trial_params (trial_id, param_name, param_value_json) VALUES (?, 'x', '0.5')").run(id);
    db.prepare('INSERT INTO trial_values (trial_id, objective, value) VALUES (?, 0, 1.5)').run(id);
    db.prepare('INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value) VALUES (?, 0, NULL)').run(id);
    db.prepare("INSERT INTO trial_user_attributes (trial_id, key, value_json) VALUES (?, 'u', '1')").run(id);
    db.prepare("INSERT INTO trial_system_attributes (trial_id, key, value_json) VALUES (?, 'owner', '\"h:1\"')").run(id);
  }
  db.prepare("UPDATE trials SET state = 'COMPLETE', datetime_complete = 20 WHERE trial_id = 1").run();
  return db;
}

describe('migration 011 (WAITING trials)', () => {
  it('rebuilds trials keeping every row and child row; foreign keys stay on and intact', () => {
    const db = v10();
    const before = db.prepare('SELECT * FROM trials ORDER BY trial_id').all();
    const children = CHILDREN.map((t) => count(db, t));
    const triggersBefore = triggers(db);
    migrate(db, MIGRATIONS, 11);
    expect(schemaVersion(db)).toBe(11);
    expect(db.prepare('SELECT * FROM trials ORDER BY trial_id').all()).toEqual(before);
    expect(CHILDREN.map((t) => count(db, t))).toEqual(children);
    expect(children.every((n) => n === 2)).toBe(true);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trials' AND sql IS NOT NULL").all()).toEqual([{ name: 'trials_by_state' }]);
    expect(triggers(db)).toEqual(triggersBefore);
    expect(triggersBefore).toHaveLength(1 + 2 * CHILDREN.length);
  });

  it('lets a RUNNING trial wait and run again; finished trials stay immutable, WAITING ones take no child writes', () => {
    const db = v10();
    migrate(db, MIGRATIONS, 11);
    const state = (id: number, s: string) => db.prepare('UPDATE trials SET state = ? WHERE trial_id = ?').run(s, id);
    expect(() => db.prepare("INSERT INTO trials (number, study_id, state, datetime_start) VALUES (2, 1, 'DONE', 0)").run()).toThrow(/CHECK/);
    state(2, 'WAITING');
    expect(() => db.prepare("INSERT INTO trial_values (trial_id, objective, value) VALUES (2, 1, 3)").run()).toThrow(/not RUNNING/);
    expect(() => db.prepare("UPDATE trial_user_attributes SET value_json = '2' WHERE trial_id = 2").run()).toThrow(/not RUNNING/);
    db.prepare('DELETE FROM trial_intermediate_values WHERE trial_id = 2').run(); // a requeue drops the stopped attempt's values
    state(2, 'RUNNING');
    db.prepare("INSERT INTO trial_system_attributes (trial_id, key, value_json) VALUES (2, 'k', '1')").run();
    state(2, 'FAIL');
    expect(() => state(2, 'RUNNING')).toThrow(/immutable/);
    expect(() => state(1, 'WAITING')).toThrow(/immutable/);
    expect(() => db.prepare("INSERT INTO trial_params (trial_id, param_name, param_value_json) VALUES (1, 'y', '1')").run()).toThrow(/not RUNNING/);
    expect(() => db.prepare("INSERT INTO trials (number, study_id, state, datetime_start) VALUES (5, 99, 'RUNNING', 0)").run()).toThrow(/FOREIGN KEY/);
    // deleting a study still cascades through the rebuilt table to the trials' children
    db.prepare("DELETE FROM studies WHERE study_name = 's'").run();
    for (const t of ['trials', ...CHILDREN]) expect(count(db, t)).toBe(0);
  });
});
