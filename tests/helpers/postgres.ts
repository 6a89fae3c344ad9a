/**
 * A throwaway PostgreSQL server for tests: Debian's `postgresql` package (its binaries in
 * /usr/lib/postgresql/<version>/bin, or initdb/pg_ctl on PATH), a cluster initialised in a
 * fresh temporary directory, listening on a free TCP port of 127.0.0.1 and on a unix socket
 * inside that directory, trust authentication, fsync off, TimeZone UTC. initdb refuses to
 * run as root (CI runs as root): then the cluster belongs to, and runs as, the `postgres`
 * user (`runuser`).
 *
 * A missing or failing PostgreSQL is an Error saying what was looked for and what the tools
 * printed: tests that need a server fail, never skip.
 */
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migratePg } from '../../src/storage/pg/migrations/index.js';
import { openPgPool } from '../../src/storage/pg/pool.js';
import { inject } from 'vitest';
import { attachPostgres, startPostgres, type TestPostgres } from '../../src/storage/pg/local-server.js';

export { startPostgres, type TestPostgres };

/** The run's PostgreSQL server (tests/global-postgres.ts), or the reason it could not start. */
export function runPostgres(): TestPostgres {
  const p = inject('postgres');
  if ('error' in p) throw new Error(`the test run's PostgreSQL server did not start: ${p.error}`);
  return attachPostgres(p.port);
}

export interface PostgresFixture {
  /** The file's server (started by its beforeAll). */
  readonly server: TestPostgres;
  /** A pool on `url`, ended after the file's tests unless `end` ends it sooner. */
  pool(url: string, max?: number): Promise<pg.Pool>;
  /** A pool on a fresh database migrated to the current schema. */
  migrated(max?: number): Promise<{ readonly url: string; readonly pool: pg.Pool }>;
  end(pools: readonly pg.Pool[]): void;
}

/**
 * One server for the calling test file: started in beforeAll, stopped in afterAll after the
 * pools opened through the fixture are ended. When it cannot start, every test that uses it
 * fails with the reason (a failing beforeAll would only mark them skipped).
 */
export function postgresForFile(): PostgresFixture {
  let server: TestPostgres | undefined;
  let failure: unknown;
  const open = new Set<pg.Pool>();
  const ending: Promise<void>[] = [];
  beforeAll(async () => {
    try {
      server = runPostgres();
    } catch (e) {
      failure = e;
    }
  });
  afterAll(async () => {
    fixture.end([...open]);
    await Promise.all(ending);
    await server?.stop();
  });
  const fixture: PostgresFixture = {
    get server(): TestPostgres {
      if (failure) throw failure;
      if (!server) throw new Error('the PostgreSQL test server starts in beforeAll');
      return server;
    },
    async pool(url, max = 4) {
      const p = await openPgPool(url, { max });
      open.add(p);
      return p;
    },
    async migrated(max) {
      const url = await fixture.server.createDatabase();
      const pool = await fixture.pool(url, max);
      await migratePg(pool);
      return { url, pool };
    },
    end(pools) {
      for (const p of pools) if (open.delete(p)) ending.push(p.end());
    },
  };
  return fixture;
}
