/**
 * Workers on machines whose clocks disagree: one an hour behind the database, one an hour
 * ahead. Each runs on the database's clock (its measured offset), so neither fails the
 * other's live trials as silent, and the study ends with exactly its n_trials.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import { openApp } from '../../../src/research/app.js';
import { openRemote } from '../../../src/research/remote/backend.js';
import { ServerClock } from '../../../src/research/remote/server-clock.js';
import { enqueueStudy } from '../../../src/research/remote/task.js';
import { runWorker } from '../../../src/research/remote/worker.js';
import { insertDataset } from '../../../src/storage/datasets.js';
import { postgresForFile } from '../../helpers/postgres.js';

const fx = postgresForFile();
const dir = mkdtempSync(join(tmpdir(), 'tradelab-skew-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HOUR = 3_600_000;

describe('workers whose clocks disagree', () => {
  it('measure their offset to the database clock', async () => {
    const remote = await openRemote(await fx.server.createDatabase());
    try {
      const behind = new ServerClock(() => remote.databaseNow(), () => Date.now() - HOUR);
      const offset = await behind.sync();
      // the same machine runs the database: the offset is the hour, give or take the round trip
      expect(Math.abs(offset - HOUR)).toBeLessThan(50 + behind.offset.within_ms);
      expect(Math.abs(behind.now() - Date.now())).toBeLessThan(50 + behind.offset.within_ms);
    } finally {
      await remote.close();
    }
  });

  it('judge each other by the database clock: none of the other’s live trials is failed, n_trials COMPLETE', async () => {
    const url = await fx.server.createDatabase();
    const app = openApp({ dbFile: ':memory:', home: dir, root: dir, config: {}, shared_storage: url });
    const remote = await openRemote(url);
    try {
      insertDataset(app.db, { candles: generateSynthetic({ symbol: 'SKW', timeframe: '1m', bars: 200_000, seed: 9, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
      // heartbeats every 200 ms, failed after 1 s of silence: an hour of skew would fail every trial it saw
      await enqueueStudy(app, remote, { strategy: 'sma_cross', symbol: 'SKW', timeframe: '1m', study_name: 'skew', sampler: 'random', n_trials: 60, seed: 1 } as never, { heartbeat_ms: 200, grace_ms: 1_000 });
      const abort = new AbortController();
      const logs: string[] = [];
      const worker = (skew: number) =>
        runWorker({ url, concurrency: 1, heartbeat_ms: 200, grace_ms: 1_000, idle_exit_ms: 500, poll_ms: 50, signal: abort.signal, log: (l) => logs.push(l), local_clock: () => Date.now() + skew });
      const [a, b] = await Promise.all([worker(-HOUR), worker(+HOUR)]);
      expect(a.stale_failed + b.stale_failed, logs.join('\n')).toBe(0);
      expect(a.trials).toBeGreaterThan(0);
      expect(b.trials).toBeGreaterThan(0);
      expect(logs.some((l) => /clock is 3600\.\d s behind the database's/.test(l))).toBe(true);
      expect(logs.some((l) => /clock is 3600\.\d s ahead of the database's/.test(l))).toBe(true);
      const study = (await remote.store.getStudy('skew'))!;
      const trials = await remote.store.listTrials(study.study_id);
      expect(trials.map((t) => t.state).filter((s) => s !== 'COMPLETE')).toEqual([]);
      expect(trials.length).toBe(60);
      // and their records are on the database's clock, not an hour off
      for (const t of trials) expect(Math.abs(t.datetime_start - Date.now())).toBeLessThan(10 * 60_000);
    } finally {
      await remote.close();
      app.db.close();
    }
  }, 120_000);
});
