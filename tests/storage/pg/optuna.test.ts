/**
 * Python Optuna (3.1.0, Debian's python3-optuna) and tradelab share a PostgreSQL study: the
 * schema is Optuna's own apart from the deliberate differences of PG migration 001, Optuna
 * reads exactly what PgStudyStore wrote without writing anything, and PgStudyStore reads
 * exactly what Optuna workers wrote (fail_stale_trials with a retry, an enqueued trial, a
 * trial of ours they ran, fresh trials, a study Optuna created).
 */
import { describe, expect, it } from 'vitest';
import type { SearchSpace } from '../../../src/engine/optimizer/space.types.js';
import type { FrozenTrial } from '../../../src/engine/optimizer/trial.js';
import { encodeParam, msToDatetime } from '../../../src/storage/optuna-model.js';
import { PgStudyStore } from '../../../src/storage/pg/study-store.js';
import { runOptuna, sqlalchemyUrl } from '../../helpers/optuna.js';
import { postgresForFile } from '../../helpers/postgres.js';
import { describeSchema, isAppObject, tableDigests } from './schema.js';

const pg15 = postgresForFile();

const SPACE: SearchSpace = {
  n: { type: 'int', low: 1, high: 9, step: 2 },
  k: { type: 'int', low: 1, high: 64, log: true },
  x: { type: 'float', low: 0, high: 1 },
  lr: { type: 'float', low: 1e-5, high: 1, log: true },
  q: { type: 'float', low: 0, high: 1, step: 0.25 },
  mode: { type: 'categorical', choices: ['a', null, true, false, 3] },
};

const PARAMS = [
  { n: 7, k: 16, x: 0.1 + 0.2, lr: 1e-3, q: 0.75, mode: null },
  { n: 1, k: 1, x: 0, lr: 1, q: 0, mode: true },
  { n: 9, k: 64, x: 1, lr: 1e-5, q: 1, mode: false },
  { n: 3, k: 5, x: 0.5, lr: 0.02, q: 0.25, mode: 'a' },
  { n: 5, k: 2, x: 0.125, lr: 0.5, q: 0.5, mode: 3 },
];

type Dumped = { name: string; directions: string[]; user_attrs: object; system_attrs: object; trials: Record<string, unknown>[] };

const finite = (v: number): number | string => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v);

/** A trial as tradelab reads it, in the shape of the Python dump (without distributions). */
function view(t: FrozenTrial): Record<string, unknown> {
  return {
    number: t.number,
    state: t.state,
    params: t.params,
    values: t.values?.map(finite) ?? null,
    intermediate_values: [...t.intermediate_values].sort((a, b) => a[0] - b[0]).map(([s, v]) => [s, finite(v)]),
    user_attrs: t.user_attrs,
    system_attrs: t.system_attrs,
    datetime_start: msToDatetime(t.datetime_start),
    datetime_complete: t.datetime_complete === null ? null : msToDatetime(t.datetime_complete),
  };
}

const withoutDistributions = (ts: Record<string, unknown>[]) => ts.map(({ distributions: _, ...t }) => t);

/** Our study of every kind of trial: COMPLETE (with ±∞), PRUNED (NaN steps), FAIL, WAITING, RUNNING. */
async function writeStudy(store: PgStudyStore): Promise<number> {
  const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 250);
  const s = await store.createStudy({ name: 'tl', directions: ['minimize', 'maximize'], user_attrs: { note: 'from tradelab' }, system_attrs: { seed: 7 }, datetime_start: T0 });
  const id = s.study_id;
  for (const [i, params] of PARAMS.entries()) await store.createTrial(id, { params, distributions: SPACE, user_attrs: { i }, datetime_start: T0 + i * 1000 });
  await store.createTrial(id, { params: { free: 'text', flag: false, big: 12.5 }, datetime_start: T0 + 9000 });
  await store.finishTrial(id, 0, { state: 'COMPLETE', values: [1.5, Infinity], intermediate_values: [[0, 2], [1, 1.5]], system_attrs: { run: 'bt_1' }, datetime_complete: T0 + 500 });
  await store.finishTrial(id, 1, { state: 'PRUNED', intermediate_values: [[0, NaN], [1, -Infinity], [2, 0.5]], datetime_complete: T0 + 1500 });
  await store.finishTrial(id, 2, { state: 'FAIL', system_attrs: { fail_reason: 'boom' }, datetime_complete: T0 + 2500 });
  await store.requeueTrial(id, 3, { system_attrs: { why: 'cancelled' } });
  await store.setIntermediateValue(id, 4, 0, 0.25);
  await store.finishTrial(id, 5, { state: 'COMPLETE', values: [-3, -Infinity], datetime_complete: T0 + 9500 });
  return id;
}

describe('Python Optuna and PgStudyStore on one PostgreSQL database', () => {
  it("has Optuna's own schema, apart from migration 001's deliberate differences", async () => {
    const { pool: ours } = await pg15.migrated(2);
    const theirs = await pg15.pool(await pg15.server.createDatabase(), 2);
    const url = sqlalchemyUrl(`postgresql://postgres@127.0.0.1:${pg15.server.port}/${(await theirs.query('SELECT current_database() AS d')).rows[0].d}`);
    runOptuna(`optuna.create_study(study_name="x", storage=sys.argv[1]); emit(1)`, [url]);
    const mine = (await describeSchema(ours)).filter((s) => !/tradelab_|^function |^trigger /.test(s) && !isAppObject(s));
    const optuna = await describeSchema(theirs);
    const cascade = (s: string): string => s.replace(' ON DELETE CASCADE', '');
    expect(mine.filter((s) => s.includes('FOREIGN KEY') && !s.includes('ON DELETE CASCADE'))).toEqual([]);
    expect(optuna.filter((s) => !mine.map(cascade).includes(s))).toEqual([]);
    expect(mine.filter((s) => !optuna.includes(cascade(s)))).toEqual([
      'column studies.datetime_start timestamp NULL',
      'column trials.constraints_json text NULL',
      'constraint trials.trials_study_id_number_key UNIQUE (study_id, number)',
      'index trials.ix_trials_study_id_state CREATE INDEX ix_trials_study_id_state ON public.trials USING btree (study_id, state)',
      'index trials.trials_study_id_number_key CREATE UNIQUE INDEX trials_study_id_number_key ON public.trials USING btree (study_id, number)',
    ]);
  });

  it('Optuna reads exactly what PgStudyStore wrote, and writes nothing when it loads the study', async () => {
    const { url, pool } = await pg15.migrated(2);
    const store = new PgStudyStore(pool);
    const id = await writeStudy(store);
    const [schema, digests] = [await describeSchema(pool), await tableDigests(pool)];
    const out = runOptuna<{ version: string; study: Dumped }>(
      `st = optuna.storages.RDBStorage(sys.argv[1])
emit({"version": st.get_current_version(), "study": dump(optuna.load_study(study_name="tl", storage=st))})`,
      [sqlalchemyUrl(url)],
    );
    expect(out.version).toBe('v3.0.0.d');
    expect(out.study).toMatchObject({ name: 'tl', directions: ['MINIMIZE', 'MAXIMIZE'], user_attrs: { note: 'from tradelab' }, system_attrs: { seed: 7 } });
    expect(withoutDistributions(out.study.trials)).toEqual((await store.listTrials(id)).map(view));
    expect(out.study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'PRUNED', 'FAIL', 'WAITING', 'RUNNING', 'COMPLETE']);
    PARAMS.forEach((p, i) => {
      const expected = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, JSON.parse(encodeParam(v, SPACE[k]).distribution_json)]));
      expect(out.study.trials[i].distributions).toEqual(expected);
    });
    expect(out.study.trials[5].distributions).toEqual({
      free: { name: 'CategoricalDistribution', attributes: { choices: ['text'] } },
      flag: { name: 'CategoricalDistribution', attributes: { choices: [false] } },
      big: { name: 'FloatDistribution', attributes: { low: 12.5, high: 12.5, step: null, log: false } },
    });
    expect(await describeSchema(pool)).toEqual(schema);
    expect(await tableDigests(pool)).toEqual(digests);
  });

  it("PgStudyStore reads exactly what Optuna workers wrote: a stale trial's failure and retry, an enqueued trial, our WAITING trial run, new trials, their own study", async () => {
    const { url, pool } = await pg15.migrated(2);
    const store = new PgStudyStore(pool);
    const id = await writeStudy(store);
    // trial 4's worker went silent an hour ago (Optuna compares with the server's now())
    expect(await store.heartbeat(id, [4], Date.now() - 3_600_000)).toEqual([4]);
    const schema = await describeSchema(pool);
    const out = runOptuna<Dumped[]>(
      `from optuna.storages import RDBStorage, RetryFailedTrialCallback, fail_stale_trials
st = RDBStorage(sys.argv[1], heartbeat_interval=60, grace_period=120, failed_trial_callback=RetryFailedTrialCallback())
study = optuna.load_study(study_name="tl", storage=st, sampler=optuna.samplers.RandomSampler(seed=1))
fail_stale_trials(study)
study.enqueue_trial({"n": 5, "k": 3, "x": 0.75, "lr": 0.1, "q": 0.5, "mode": None})
def objective(t):
    n = t.suggest_int("n", 1, 9, step=2)
    k = t.suggest_int("k", 1, 64, log=True)
    x = t.suggest_float("x", 0, 1)
    lr = t.suggest_float("lr", 1e-5, 1, log=True)
    q = t.suggest_float("q", 0, 1, step=0.25)
    mode = t.suggest_categorical("mode", ["a", None, True, False, 3])
    # Trial.report refuses multi-objective studies; the storage records steps all the same
    t.storage.set_trial_intermediate_value(t._trial_id, 0, x)
    t.storage.set_trial_intermediate_value(t._trial_id, 1, float("nan"))
    t.set_user_attr("py", [n, k, str(mode)])
    return x + n, float("inf") if mode is True else lr * q
study.optimize(objective, n_trials=4)
py = optuna.create_study(study_name="py", storage=st, direction="maximize", sampler=optuna.samplers.RandomSampler(seed=2))
py.set_user_attr("by", "python")
py.optimize(lambda t: t.suggest_float("y", -1, 1), n_trials=2)
emit([dump(study), dump(py)])`,
      [sqlalchemyUrl(url)],
    );
    const [tl, py] = out;
    expect(withoutDistributions(tl.trials)).toEqual((await store.listTrials(id)).map(view));
    expect(tl.trials.map((t) => [t.number, t.state])).toEqual([
      [0, 'COMPLETE'], [1, 'PRUNED'], [2, 'FAIL'], [3, 'COMPLETE'], [4, 'FAIL'], [5, 'COMPLETE'], [6, 'COMPLETE'], [7, 'COMPLETE'], [8, 'COMPLETE'],
    ]);
    const trials = await store.listTrials(id);
    expect(trials[3].params).toEqual(PARAMS[3]); // our WAITING trial, run by Optuna with its own params
    expect(trials[3].system_attrs).toEqual({ why: 'cancelled' });
    expect(trials[6]).toMatchObject({ params: PARAMS[4], user_attrs: { i: 4 }, system_attrs: { failed_trial: 4, retry_history: [4] } });
    expect(trials[7]).toMatchObject({ params: { n: 5, k: 3, x: 0.75, lr: 0.1, q: 0.5, mode: null }, system_attrs: { fixed_params: { n: 5, k: 3, x: 0.75, lr: 0.1, q: 0.5, mode: null } } });
    expect(trials[8].intermediate_values).toEqual(new Map([[0, trials[8].params.x as number], [1, NaN]]));
    const mine = (await store.getStudy('py'))!;
    expect(mine).toMatchObject({ name: 'py', directions: ['maximize'], user_attrs: { by: 'python' }, system_attrs: {} });
    const pyTrials = await store.listTrials(mine.study_id);
    expect(withoutDistributions(py.trials)).toEqual(pyTrials.map(view));
    // a study Optuna created has no start of its own: its first trial's
    expect(mine.datetime_start).toBe(pyTrials[0].datetime_start);
    expect(await describeSchema(pool)).toEqual(schema);
    expect((await pool.query('SELECT * FROM alembic_version')).rows).toEqual([{ version_num: 'v3.0.0.d' }]);
  });
});
