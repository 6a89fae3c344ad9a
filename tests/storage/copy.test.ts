/**
 * `tradelab copy-store`: a SQLite store filled by a research journey, copied into an empty
 * PostgreSQL database, reads back the same through every reader, and goes on working there
 * (new ids after the copied ones, the study continues at its next trial number).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/research/app.js';
import { closeShared } from '../../src/research/remote/shared.js';
import { appStudyStore } from '../../src/research/study-store.js';
import { listCurrentChampions } from '../../src/storage/champions.js';
import { openDb, statement, type Db } from '../../src/storage/db.js';
import { listDatasets } from '../../src/storage/datasets.js';
import { openStore } from '../../src/storage/open.js';
import { PgStudyStore } from '../../src/storage/pg/study-store.js';
import { loadBacktestResult } from '../../src/storage/run-results.js';
import { listRuns } from '../../src/storage/runs.js';
import { SqliteStudyStore } from '../../src/storage/study-store.js';
import { studySummaries } from '../../src/storage/study-summaries.js';
import { CLI } from '../helpers/cli-study.js';
import { fixture, removeTempDirs, SYMBOL, tempDir, TF } from '../helpers/champions.js';
import { journey } from '../helpers/journey.js';
import { dataOf, harness } from '../helpers/mcp.js';
import { postgresForFile } from '../helpers/postgres.js';

const pg15 = postgresForFile();
afterAll(() => removeTempDirs());

function copyStore(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.TRADELAB_DATABASE_URL;
  const r = spawnSync(process.execPath, [CLI, 'copy-store', ...args], { encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What a store's readers give, ids and all. */
function readAll(db: Db): unknown {
  const runs = listRuns(db, { limit: 1000, offset: 0 }).runs;
  return {
    datasets: listDatasets(db),
    runs,
    results: runs.filter((r) => r.kind === 'backtest').map((r) => loadBacktestResult(db, r.id)),
    ledger: statement(db, 'SELECT id, family_id, source_kind, source_id, params_hash, outcome, n_periods, sharpe, block_moments FROM ledger_entries ORDER BY id').all(),
    champions: listCurrentChampions(db, {}, 100, 0),
    studies: studySummaries(db),
  };
}

describe('tradelab copy-store', () => {
  it('copies every row into an empty PostgreSQL database; the copy reads the same and goes on from there', async () => {
    const dir = tempDir('tradelab-copy-');
    const file = join(dir, 'tradelab.db');
    await journey(fixture({ dbFile: file, root: dir })); // closes its app
    const url = await pg15.server.createDatabase();

    const r = copyStore(['--from', file, '--to', url, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { tables: { table: string; rows: number }[]; rows: number };
    expect(report.tables.find((t) => t.table === 'trials')?.rows).toBe(24);
    expect(report.tables.find((t) => t.table === 'champion_versions')?.rows).toBe(1);
    expect(r.stderr).toMatch(/copy-store: candle_columns: \d+ row\(s\)/);

    const lite = openDb(file);
    const pg = openStore(url);
    try {
      expect(readAll(pg)).toEqual(readAll(lite));
      // every table, row for row in count; the champion key too (confirm tokens stay valid)
      for (const t of report.tables) expect((statement(lite, `SELECT COUNT(*) AS n FROM "${t.table}"`).get() as { n: number }).n).toBe(t.rows);
      expect(statement(pg, 'SELECT secret FROM champion_secret').get()).toEqual(statement(lite, 'SELECT secret FROM champion_secret').get());
    } finally {
      lite.close();
      pg.close();
    }
    // the trials through both study stores, Optuna's model and all
    const sqliteTrials = await (async () => {
      const db = openDb(file);
      try {
        const s = new SqliteStudyStore(db);
        return await s.listTrials((await s.getStudy('journey'))!.study_id);
      } finally {
        db.close();
      }
    })();
    const app = openApp({ storage: url, home: dir, root: dir, config: {} });
    try {
      const store = (await appStudyStore(app)) as PgStudyStore;
      const study = (await store.getStudy('journey'))!;
      expect(await store.listTrials(study.study_id)).toEqual(sqliteTrials);
      // and it goes on: new runs get new ids, the study its next trial numbers
      const h = await harness({ app });
      try {
        const bt = dataOf<{ run_id: string }>(await h.call('backtest', { strategy: 'sma_cross', params: { fast: 7, slow: 33 }, symbol: SYMBOL, timeframe: TF }));
        expect(bt.run_id).toMatch(/^bt_/);
        const more = dataOf<{ counts: Record<string, number> }>(await h.call('optimize', { strategy: 'sma_cross', symbol: SYMBOL, timeframe: TF, to: '2021-01-01', study_name: 'journey', sampler: 'tpe', n_trials: 30, seed: 5 }));
        expect(more.counts.COMPLETE).toBe(30);
        expect((await store.listTrials(study.study_id)).map((t) => t.number)).toEqual([...Array(30).keys()]);
        expect((statement(app.db, 'SELECT MAX(id) AS m FROM ledger_entries').get() as { m: number }).m).toBeGreaterThan(report.tables.find((t) => t.table === 'ledger_entries')!.rows);
      } finally {
        await closeShared(app);
        await h.close();
      }
    } finally {
      app.db.close();
    }

    // a database that holds data is refused, and left as it was
    const again = copyStore(['--from', file, '--to', url]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds data \(table \w+ has rows\).*field: --to/s);
  }, 180_000);

  it('names what is wrong: no --to, a missing --from', () => {
    const none = copyStore(['--from', '/nonexistent/tradelab.db']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/field: --to.*postgresql:\/\//s);
    const missing = copyStore(['--from', '/nonexistent/tradelab.db', '--to', 'postgresql://u@127.0.0.1:1/x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no SQLite store to copy.*field: --from/s);
  });
});
