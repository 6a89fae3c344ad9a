/**
 * A node-postgres pool for tradelab's PostgreSQL storage (studies shared with Python Optuna
 * workers, datasets for remote workers).
 *
 * Every connection of the pool reads values the same way, whatever the server's settings:
 * - TIMESTAMP WITHOUT TIME ZONE (OID 1114) comes back as its text, parsed by the caller
 *   with `datetimeToMs` (Optuna's naive datetimes are UTC here; pg would read them in the
 *   local time zone of this process);
 * - BIGINT (OID 20, e.g. COUNT(*)) as a number, or an error beyond 2^53 (never a string
 *   that sometimes looks like a number);
 * - the session runs with DateStyle ISO, TimeZone UTC and extra_float_digits 1 (the
 *   shortest text that reads back as the same float8, also inside JSON).
 */
import pg from 'pg';
import { isPostgresUrl, redactUrl } from './url.js';

export { isPostgresUrl, redactUrl };

const TIMESTAMP = 1114;
const INT8 = 20;

function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`PostgreSQL BIGINT ${text} is beyond 2^53 and cannot be read as a number`);
  return n;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === TIMESTAMP) return (text: string) => text;
    if (oid === INT8) return parseInt8;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** No statement of ours takes this long; one that does (a lock never released, a dead peer) fails with an error. */
const STATEMENT_TIMEOUT_MS = 120_000;

export interface PgPoolOptions {
  /** Most connections held at once (pg's default: 10). */
  readonly max?: number;
}

/**
 * Opens a pool on a `postgresql://` (or `postgres://`) URL and checks that it connects, so a
 * wrong URL fails here with a message naming it (password redacted), not at the first query.
 */
export async function openPgPool(url: string, opts: PgPoolOptions = {}): Promise<pg.Pool> {
  if (!isPostgresUrl(url)) throw new Error(`not a PostgreSQL URL (postgresql://user@host:port/db): ${redactUrl(url)}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    types,
    options: `-c DateStyle=ISO -c TimeZone=UTC -c extra_float_digits=1 -c bytea_output=hex -c statement_timeout=${STATEMENT_TIMEOUT_MS}`,
    // a half-open connection (a network cut) fails instead of hanging a worker's heartbeats
    keepAlive: true,
    connectionTimeoutMillis: 15_000,
    // idle connections do not keep a finished CLI command alive (servers and workers have other work)
    allowExitOnIdle: true,
    query_timeout: STATEMENT_TIMEOUT_MS + 30_000,
  });
  // an idle connection the server dropped is discarded by the pool; the next query reconnects
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(e as Error).message}`, { cause: e });
  }
  return pool;
}

/**
 * Runs `fn` in one transaction on one connection of the pool: committed when it returns,
 * rolled back when it throws (the error is rethrown).
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  try {
    await c.query('BEGIN');
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    // a connection that cannot even roll back is closed rather than given back to the pool
    await c.query('ROLLBACK').catch((r: Error) => (broken = r));
    throw e;
  } finally {
    c.release(broken);
  }
}

/** The database server's clock, epoch ms (clock_timestamp(): the moment of the call, not of the transaction). */
export async function databaseNow(pool: pg.Pool): Promise<number> {
  return (await pool.query<{ ms: number }>('SELECT extract(epoch FROM clock_timestamp())::float8 * 1000 AS ms')).rows[0].ms;
}
