import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';
import { SqliteStudyStore } from '../../../src/storage/study-store.js';

const SPEC_X = { type: 'float', low: 0, high: 1 };
const SPEC_MODE = { type: 'categorical', choices: ['a', null, true] };

/** A version-14 store holding studies as the code before migration 015 wrote them (epoch-ms times, JSON param values, NaN as NULL). */
function v14(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, 14);
  db.exec(`
    INSERT INTO studies (study_id, study_name, datetime_start) VALUES (1, 'two', 1700000000123), (2, 'one', 5);
    INSERT INTO study_directions (study_id, objective, direction) VALUES (1, 0, 'maximize'), (1, 1, 'minimize'), (2, 0, 'minimize');
    INSERT INTO study_user_attributes (study_id, key, value_json) VALUES (1, 'strategy', '"sma_cross"');
    INSERT INTO study_system_attributes (study_id, key, value_json) VALUES (1, 'signature', '{"space":{"x":1}}');
  `);
  const trial = db.prepare('INSERT INTO trials (trial_id, number, study_id, state, constraints_json, datetime_start) VALUES (?, ?, ?, ?, ?, ?)');
  trial.run(1, 0, 1, 'RUNNING', '[1,-2]', 1700000001000);
  trial.run(2, 1, 1, 'RUNNING', null, 1700000002001);
  trial.run(3, 2, 1, 'RUNNING', null, 1700000003002);
  trial.run(4, 3, 1, 'RUNNING', null, 1700000004003);
  trial.run(5, 0, 2, 'RUNNING', null, 7);
  const param = db.prepare('INSERT INTO trial_params (trial_id, param_name, param_value_json, distribution_json) VALUES (?, ?, ?, ?)');
  for (const [id, x, mode] of [[1, 0.25, 'a'], [2, 1, null], [3, 0, true], [4, 0.5, 'a']] as const) {
    param.run(id, 'x', JSON.stringify(x), JSON.stringify(SPEC_X));
    param.run(id, 'mode', JSON.stringify(mode), JSON.stringify(SPEC_MODE));
  }
  param.run(5, 'free', '"text, no spec"', null);
  param.run(5, 'out', '7', JSON.stringify(SPEC_X)); // outside its spec: kept under a one-point distribution
  db.exec(`
    INSERT INTO trial_values (trial_id, objective, value) VALUES (1, 0, 1.5), (1, 1, 9e999), (5, 0, -0.0);
    INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value) VALUES (1, 0, 0.5), (1, 1, NULL), (1, 2, -9e999), (2, 0, -2);
    INSERT INTO trial_user_attributes (trial_id, key, value_json) VALUES (1, 'metrics', '{"sharpe":1.5}');
    INSERT INTO trial_system_attributes (trial_id, key, value_json) VALUES (3, 'fail_reason', '"boom"'), (4, 'interruptions', '[1]');
    UPDATE trials SET state = 'COMPLETE', datetime_complete = 1700000010000 WHERE trial_id = 1;
    UPDATE trials SET state = 'PRUNED', datetime_complete = 1700000011000 WHERE trial_id = 2;
    UPDATE trials SET state = 'FAIL', datetime_complete = 1700000012000 WHERE trial_id = 3;
    UPDATE trials SET state = 'WAITING' WHERE trial_id = 4;
    UPDATE trials SET state = 'COMPLETE', datetime_complete = 8 WHERE trial_id = 5;
  `);
  return db;
}

const schemaSql = (db: Database.Database): unknown[] => db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();

describe('migration 015 (Optuna 3.1 schema)', () => {
  it('carries every study, trial and child row over, value for value, and reads back as before', async () => {
    const db = v14();
    migrate(db, MIGRATIONS, 15);
    expect(schemaVersion(db)).toBe(15);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const store = new SqliteStudyStore(db);
    const two = (await store.getStudy('two'))!;
    expect(two).toMatchObject({ study_id: 1, directions: ['maximize', 'minimize'], user_attrs: { strategy: 'sma_cross' }, system_attrs: { signature: { space: { x: 1 } } }, datetime_start: 1700000000123 });
    const trials = await store.listTrials(1);
    expect(trials.map((t) => [t.number, t.state, t.datetime_start, t.datetime_complete])).toEqual([
      [0, 'COMPLETE', 1700000001000, 1700000010000],
      [1, 'PRUNED', 1700000002001, 1700000011000],
      [2, 'FAIL', 1700000003002, 1700000012000],
      [3, 'WAITING', 1700000004003, null],
    ]);
    expect(trials.map((t) => t.params)).toEqual([{ x: 0.25, mode: 'a' }, { x: 1, mode: null }, { x: 0, mode: true }, { x: 0.5, mode: 'a' }]);
    expect(trials[0].values).toEqual([1.5, Infinity]);
    expect(trials[0].constraints).toEqual([1, -2]);
    expect([...trials[0].intermediate_values]).toEqual([[0, 0.5], [1, NaN], [2, -Infinity]]);
    expect([...trials[1].intermediate_values]).toEqual([[0, -2]]);
    expect(trials[0].user_attrs).toEqual({ metrics: { sharpe: 1.5 } });
    expect(trials[2].system_attrs).toEqual({ fail_reason: 'boom' });
    expect(trials[3].system_attrs).toEqual({ interruptions: [1] });
    const [one] = await store.listTrials(2);
    expect(one.params).toEqual({ free: 'text, no spec', out: 7 });
    expect(Object.is(one.values?.[0], 0)).toBe(true);
    expect(db.prepare('SELECT * FROM version_info').all()).toEqual([{ version_info_id: 1, schema_version: 12, library_version: '3.1.0' }]);
    expect(db.prepare('SELECT * FROM alembic_version').all()).toEqual([{ version_num: 'v3.0.0.d' }]);
    expect(db.prepare("SELECT distribution_json FROM trial_params WHERE param_name = 'out'").get()).toEqual({ distribution_json: '{"name":"IntDistribution","attributes":{"log":false,"step":1,"low":7,"high":7}}' });
  });

  it('leaves the same schema as a store created at version 15, and an empty store migrates', () => {
    const migrated = v14();
    migrate(migrated);
    const fresh = new Database(':memory:');
    migrate(fresh);
    expect(schemaSql(migrated)).toEqual(schemaSql(fresh));
    const empty = new Database(':memory:');
    migrate(empty, MIGRATIONS, 14);
    migrate(empty);
    expect(schemaSql(empty)).toEqual(schemaSql(fresh));
  });

  it('keeps a finished trial immutable in the schema: its row and children refuse updates', () => {
    const db = v14();
    migrate(db);
    expect(() => db.prepare("UPDATE trials SET state = 'FAIL' WHERE trial_id = 1").run()).toThrow(/immutable/);
    expect(() => db.prepare('UPDATE trial_values SET value = 5 WHERE trial_id = 1').run()).toThrow(/immutable/);
    expect(() => db.prepare('UPDATE trial_params SET param_value = 0 WHERE trial_id = 1').run()).toThrow(/immutable/);
    db.prepare("UPDATE trials SET state = 'RUNNING' WHERE trial_id = 4").run(); // WAITING may run again
  });
});
