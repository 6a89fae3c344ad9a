/**
 * The shared storage lists its studies as the SQLite store does: the same studies written
 * through both adapters give the same summaries (best feasible value, infinities, constraint
 * violations, counts by state, times), and `tradelab studies --storage URL` shows them.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { StudyStore } from '../../../src/engine/optimizer/store.js';
import { openDb } from '../../../src/storage/db.js';
import { PgStudyStore } from '../../../src/storage/pg/study-store.js';
import { studySummariesPg } from '../../../src/storage/pg/study-summaries.js';
import { SqliteStudyStore } from '../../../src/storage/study-store.js';
import { studySummaries } from '../../../src/storage/study-summaries.js';
import { CLI } from '../../helpers/cli-study.js';
import { postgresForFile } from '../../helpers/postgres.js';

const fx = postgresForFile();
const T = Date.UTC(2026, 0, 2, 3, 4, 5, 600);

async function fill(store: StudyStore): Promise<void> {
  const a = await store.createStudy({ name: 'single', directions: ['minimize'], user_attrs: { strategy: 'sma_cross', symbol: 'X', timeframe: '1h' }, datetime_start: T });
  const finish = async (id: number, values: number[] | null, constraints: number[] | null, state: 'COMPLETE' | 'FAIL' = 'COMPLETE', at = 0): Promise<void> => {
    const t = (await store.createTrial(id, { params: { x: values?.[0] ?? 0 }, datetime_start: T + at }))!;
    await store.finishTrial(id, t.number, { state, values, constraints, datetime_complete: T + at + 500 });
  };
  await finish(a.study_id, [3], null, 'COMPLETE', 1000);
  await finish(a.study_id, [-Infinity], [0.5], 'COMPLETE', 2000); // better, but violates its constraint
  await finish(a.study_id, [1], [-1, 0], 'COMPLETE', 3000);
  await finish(a.study_id, null, null, 'FAIL', 4000);
  await store.createTrial(a.study_id, { params: { x: 9 }, datetime_start: T + 9000 });
  const b = await store.createStudy({ name: 'pareto', directions: ['maximize', 'minimize'], datetime_start: T + 100 });
  await finish(b.study_id, [Infinity, 2], null, 'COMPLETE', 50);
  await store.createStudy({ name: 'empty', directions: ['maximize'], datetime_start: T + 20_000 });
}

describe('study summaries of the shared storage', () => {
  it('equal the SQLite store’s for the same studies, and `tradelab studies --storage` lists them', async () => {
    const { url, pool } = await fx.migrated();
    await fill(new PgStudyStore(pool));
    const db = openDb(':memory:');
    await fill(new SqliteStudyStore(db));
    const pg = await studySummariesPg(pool);
    expect(pg).toEqual(studySummaries(db));
    expect(pg.map((s) => s.name)).toEqual(['empty', 'single', 'pareto']);
    expect(pg[1]).toMatchObject({ counts: { COMPLETE: 3, FAIL: 1, RUNNING: 1 }, best_trial: 2, best_value: 1, last_update: T + 9000 });
    db.close();

    const r = spawnSync(process.execPath, [CLI, 'studies', '--storage', url, '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const listed = JSON.parse(r.stdout) as { total: number; studies: { study: string; strategy: string | null; best_value: number | null; counts: Record<string, number> }[] };
    expect(listed.total).toBe(3);
    expect(listed.studies[1]).toMatchObject({ study: 'single', strategy: 'sma_cross', best_value: 1, counts: { COMPLETE: 3, FAIL: 1, RUNNING: 1, PRUNED: 0, WAITING: 0 } });
    const text = spawnSync(process.execPath, [CLI, 'studies', '--storage', url], { encoding: 'utf8', timeout: 60_000 });
    expect(text.stdout).toMatch(/3 studies, most recently updated first:[\s\S]*single\s+sma_cross\s+X 1h/);
  });
});
