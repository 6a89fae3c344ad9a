/** The shared backtest task queue (migration 004) on a real PostgreSQL server. */
import { describe, expect, it } from 'vitest';
import { decodeResult, encodeResult } from '../../../src/research/remote/task-codec.js';
import type { TaskResult } from '../../../src/engine/parallel/task.js';
import { enqueueTask, finishTask, hasWaitingTasks, heartbeatTasks, MAX_TASK_ATTEMPTS, requeueStaleTasks, takeTask, taskOutcomes, withdrawTask } from '../../../src/storage/pg/tasks.js';
import { postgresForFile } from '../../helpers/postgres.js';

const fx = postgresForFile();

describe('the shared task queue', () => {
  it('gives each task to one taker, keeps a heartbeating one, queues a silent one again, and fails it after 3 attempts', async () => {
    const { url, pool } = await fx.migrated();
    const other = await fx.pool(url);
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await enqueueTask(pool, 'b1', i, `{"i":${i}}`, 1_000, 0));
    expect(await enqueueTask(pool, 'b1', 2, '{"again":true}', 1_000, 0)).toBe(ids[2]); // the same item is the same task
    const taken = await Promise.all([...Array(8)].map((_, k) => takeTask(k % 2 ? pool : other, `w${k}`, 10_000)));
    const got = taken.filter((t) => t !== null).map((t) => t!.task_id);
    expect(got.sort((a, b) => a - b)).toEqual(ids);
    expect(await hasWaitingTasks(pool)).toBe(false);
    const owner = (id: number): string => `w${taken.findIndex((t) => t?.task_id === id)}`;
    // ids[0] beats at 10.5 s; the others are silent
    await heartbeatTasks(pool, [ids[0]], owner(ids[0]), 10_500);
    expect(await requeueStaleTasks(pool, 11_200)).toBe(5);
    expect(await finishTask(pool, ids[1], owner(ids[1]), { result: '{}' }, 11_300)).toBe(false); // put back meanwhile: refused
    expect(await finishTask(pool, ids[0], 'someone else', { result: '{}' }, 11_300)).toBe(false);
    expect(await finishTask(pool, ids[0], owner(ids[0]), { result: '{"ok":1}' }, 11_300)).toBe(true);
    expect(await withdrawTask(pool, ids[5], 11_400)).toBe(true);
    // ids[1] taken and left silent until its attempts run out
    for (let a = 2; a <= MAX_TASK_ATTEMPTS; a++) {
      let t;
      do t = await takeTask(pool, 'w', 20_000 * a);
      while (t && t.task_id !== ids[1] && (await finishTask(pool, t.task_id, 'w', { error: 'not this one' }, 20_000 * a)));
      expect(t?.task_id).toBe(ids[1]);
      await requeueStaleTasks(pool, 20_000 * a + 5_000);
    }
    const outcome = await taskOutcomes(pool, [ids[0], ids[1], ids[5]]);
    expect(outcome.get(ids[0])).toEqual({ state: 'DONE', result: '{"ok":1}', error: null });
    expect(outcome.get(ids[1])).toMatchObject({ state: 'FAIL', error: `its worker stopped sending heartbeats ${MAX_TASK_ATTEMPTS} times` });
    expect(outcome.get(ids[5])).toMatchObject({ state: 'FAIL', error: expect.stringMatching(/withdrawn/) });
  });

  it('carries a result exactly: ±∞, NaN, −0 and Float64Arrays', () => {
    const r = { metrics: { profit_factor: Infinity, calmar: -Infinity, sharpe: NaN, return_pct: -0, trades: 3 }, warnings: [], warmup: 0, intermediate: [[0, 1.5]], pruned_at: null, ledger: null, elapsed_ms: 1, indicators_computed: 0, equity: new Float64Array([1, NaN, -0, Infinity]) } as unknown as TaskResult;
    const back = decodeResult(encodeResult(r));
    expect(back).toEqual(r);
    expect(Object.is((back.metrics as unknown as { return_pct: number }).return_pct, -0)).toBe(true);
    expect(back.equity).toBeInstanceOf(Float64Array);
    expect(Object.is(back.equity![2], -0)).toBe(true);
  });
});
