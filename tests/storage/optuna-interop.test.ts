/**
 * Optuna itself (python3-optuna 3.1) reads a study tradelab stored in SQLite, trial by trial,
 * and a Python Optuna worker adds trials to it that tradelab then reads back.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchSpace } from '../../src/engine/optimizer/space.types.js';
import { openDb } from '../../src/storage/db.js';
import { SqliteStudyStore } from '../../src/storage/study-store.js';
import { numeric, runStudyIo } from '../helpers/optuna.js';

export const INTEROP_SPACE: SearchSpace = {
  x: { type: 'float', low: -1, high: 1 },
  lr: { type: 'float', low: 1e-4, high: 1, log: true },
  q: { type: 'float', low: 0, high: 1, step: 0.25 },
  n: { type: 'int', low: 1, high: 9, step: 2 },
  big: { type: 'int', low: 1, high: 1000, log: true },
  mode: { type: 'categorical', choices: ['a', null, true, 2.5] },
};

const T0 = Date.UTC(2026, 11, 8, 1, 2, 3, 456);

/** A study with a trial in every state, every kind of parameter and of value. */
export async function fillInteropStudy(store: SqliteStudyStore | import('../../src/engine/optimizer/store.js').StudyStore): Promise<number> {
  const s = await store.createStudy({ name: 'interop', directions: ['maximize', 'minimize'], user_attrs: { strategy: 'sma_cross' }, datetime_start: T0 });
  const params = [
    { x: 0.5, lr: 0.001, q: 0.75, n: 3, big: 17, mode: 'a' },
    { x: -0.25, lr: 0.5, q: 0, n: 9, big: 1, mode: null },
    { x: 1, lr: 1e-4, q: 1, n: 1, big: 1000, mode: true },
    { x: 0, lr: 0.01, q: 0.5, n: 5, big: 100, mode: 2.5 },
    { x: 0.125, lr: 0.1, q: 0.25, n: 7, big: 2, mode: 'a' },
  ];
  for (const [i, p] of params.entries()) await store.createTrial(s.study_id, { params: p, distributions: INTEROP_SPACE, user_attrs: { i }, system_attrs: { owner: 'h:1' }, datetime_start: T0 + i * 1000 });
  await store.finishTrial(s.study_id, 0, { state: 'COMPLETE', values: [1.5, Infinity], intermediate_values: [[0, 0.5], [1, NaN], [2, -Infinity]], user_attrs: { metrics: { sharpe: 1.5 } }, datetime_complete: T0 + 10_000 });
  await store.finishTrial(s.study_id, 1, { state: 'PRUNED', intermediate_values: [[0, -2]], datetime_complete: T0 + 11_000 });
  await store.finishTrial(s.study_id, 2, { state: 'FAIL', system_attrs: { fail_reason: 'boom' }, datetime_complete: T0 + 12_001 });
  await store.requeueTrial(s.study_id, 3);
  return s.study_id;
}

let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-optuna-'));
  file = join(dir, 'tradelab.db');
  const db = openDb(file);
  await fillInteropStudy(new SqliteStudyStore(db));
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tables = (f: string): unknown[] => {
  const db = new Database(f, { readonly: true });
  try {
    return db.prepare("SELECT name, sql FROM sqlite_master ORDER BY name").all();
  } finally {
    db.close();
  }
};

interface OptunaTrial {
  number: number;
  state: string;
  params: Record<string, unknown>;
  distributions: Record<string, string>;
  values: unknown[] | null;
  intermediate_values: [number, unknown][];
  user_attrs: Record<string, unknown>;
  system_attrs: Record<string, unknown>;
  datetime_start: string | null;
  datetime_complete: string | null;
}

describe('Optuna 3.1 reads and extends a tradelab study (SQLite)', () => {
  it('load_study sees every trial with its params, distributions, values, states, intermediate values, attributes and times', async () => {
    const schema = tables(file);
    const out = runStudyIo(['read', `sqlite:///${file}`, 'interop']) as { summaries: unknown[]; directions: string[]; user_attrs: unknown; schema: string; head: string; trials: OptunaTrial[] };
    expect(tables(file)).toEqual(schema); // loading wrote no table, index or trigger
    expect(out.schema).toBe(out.head);
    expect(out.directions).toEqual(['MAXIMIZE', 'MINIMIZE']);
    expect(out.summaries).toEqual([{ name: 'interop', directions: ['MAXIMIZE', 'MINIMIZE'], user_attrs: { strategy: 'sma_cross' } }]);
    expect(out.user_attrs).toEqual({ strategy: 'sma_cross' });
    expect(out.trials.map((t) => t.state)).toEqual(['COMPLETE', 'PRUNED', 'FAIL', 'WAITING', 'RUNNING']);
    const [c, p, f, w, r] = out.trials;
    expect(c.params).toEqual({ x: 0.5, lr: 0.001, q: 0.75, n: 3, big: 17, mode: 'a' });
    expect(p.params.mode).toBeNull();
    expect(f.params).toEqual({ x: 1, lr: 1e-4, q: 1, n: 1, big: 1000, mode: true });
    expect(w.params.mode).toBe(2.5);
    expect(r.params.x).toBe(0.125);
    expect(JSON.parse(c.distributions.lr)).toEqual({ name: 'FloatDistribution', attributes: { low: 1e-4, high: 1, log: true, step: null } });
    expect(JSON.parse(c.distributions.n)).toEqual({ name: 'IntDistribution', attributes: { low: 1, high: 9, log: false, step: 2 } });
    expect(JSON.parse(c.distributions.mode)).toEqual({ name: 'CategoricalDistribution', attributes: { choices: ['a', null, true, 2.5] } });
    expect(c.values?.map(numeric)).toEqual([1.5, Infinity]);
    expect(p.values).toBeNull();
    expect(c.intermediate_values.map(([s, v]) => [s, numeric(v)])).toEqual([[0, 0.5], [1, NaN], [2, -Infinity]]);
    expect(p.intermediate_values).toEqual([[0, -2]]);
    expect(c.user_attrs).toEqual({ i: 0, metrics: { sharpe: 1.5 } });
    expect(f.system_attrs).toMatchObject({ owner: 'h:1', fail_reason: 'boom' });
    expect(c.datetime_start).toBe('2026-12-08T01:02:03.456000');
    expect(f.datetime_complete).toBe('2026-12-08T01:02:15.457000');
  });

  it('a Python Optuna worker adds trials (running the WAITING one first) and tradelab reads them back', async () => {
    const added = runStudyIo(['add', `sqlite:///${file}`, 'interop', '2']) as { numbers: number[] };
    expect(added.numbers).toEqual([3, 5]); // Optuna pops the WAITING trial 3, then numbers a new one after 4
    const db = openDb(file);
    const store = new SqliteStudyStore(db);
    const study = (await store.getStudy('interop'))!;
    const trials = await store.listTrials(study.study_id);
    expect(trials.map((t) => [t.number, t.state])).toEqual([[0, 'COMPLETE'], [1, 'PRUNED'], [2, 'FAIL'], [3, 'COMPLETE'], [4, 'RUNNING'], [5, 'COMPLETE']]);
    expect(trials[3].params).toEqual({ x: 0, lr: 0.01, q: 0.5, n: 5, big: 100, mode: 2.5 }); // the enqueued params, kept
    const t5 = trials[5];
    expect(Object.keys(t5.params).sort()).toEqual(Object.keys(INTEROP_SPACE).sort());
    expect(t5.values).toEqual([6, 7]);
    expect([...t5.intermediate_values]).toEqual([]); // Optuna takes none in a multi-objective study
    expect(t5.user_attrs).toEqual({ by: 'python' });
    expect(t5.datetime_complete).toBeGreaterThanOrEqual(t5.datetime_start);
    const lr = t5.params.lr as number;
    expect(lr).toBeGreaterThanOrEqual(1e-4);
    expect(lr).toBeLessThanOrEqual(1);
    expect(INTEROP_SPACE.mode.type === 'categorical' && INTEROP_SPACE.mode.choices).toContain(t5.params.mode);
    // and tradelab keeps numbering after Optuna's trials
    const next = await store.createTrial(study.study_id, { params: { x: 0 }, datetime_start: Date.now() });
    expect(next!.number).toBe(6);
    db.close();
  });
});
