/**
 * A synchronous PostgreSQL connection with the slice of better-sqlite3's API that the storage
 * modules use (prepared statements with get/all/run, exec, transactions, close), so the same
 * repository code and, where the dialects agree, the same SQL text serve both stores.
 *
 * Why synchronous: every repository of src/storage is synchronous (better-sqlite3), and so are
 * their ~100 callers. libpq's blocking calls (the `libpq` package, node-postgres's own native
 * binding) keep that contract; each call holds the event loop for one round trip (about
 * 0.1 ms on loopback, a LAN's latency otherwise). The trial hot path does not come through
 * here: studies use the asynchronous pool (pg/study-store.ts).
 *
 * Writers are serialised as SQLite's are: a write transaction takes one transaction-level
 * advisory lock at BEGIN, so read-then-write sequences (the next dataset version, the next
 * champion version) behave as under SQLite's BEGIN IMMEDIATE, across processes and machines.
 */
import { createRequire } from 'node:module';
import type LibpqClass from 'libpq';
import { redactUrl } from './url.js';
import { cachedStatement } from '../statement-cache.js';
import { decodePgValue, encodePgParam, numberedPlaceholders } from './sync-values.js';

export interface RunInfo {
  readonly changes: number;
}

/** The statement interface both stores give (a subset of better-sqlite3's Statement). */
export interface Stmt<P extends unknown[] = unknown[], R = unknown> {
  get(...params: P): R | undefined;
  all(...params: P): R[];
  run(...params: P): RunInfo;
}

/** An error from the server, with its SQLSTATE (e.g. 23505 unique_violation) as `code`. */
export class PgSyncError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'PgSyncError';
  }
}

/** The server could not be reached or refused the connection (wrong URL, server down, bad credentials). */
export class PgConnectError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PgConnectError';
  }
}

/** Key of the advisory lock every write transaction takes ("tradelab" + 1). */
const WRITE_LOCK_KEY = '8390876182755154275';
/**
 * Session settings the reading of values depends on (sync-values.ts): bytea as hex, floats in
 * their shortest exact text, ISO dates in UTC; and the statement timeout.
 */
const SESSION_SETTINGS =
  "SET TIME ZONE 'UTC'; SET bytea_output = 'hex'; SET extra_float_digits = 3; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; " +
  "SET statement_timeout = '120s'; SET client_min_messages = warning";
/** SQLSTATE feature_not_supported: a prepared statement whose table changed ("cached plan must not change result type"). */
const PLAN_CHANGED = '0A000';
/** Statements that change nothing, which may run again after a lost connection. */
const READ_ONLY = /^\s*SELECT\b/i;
/** PQtransactionStatus's PQTRANS_UNKNOWN: the connection is bad. */
const CONNECTION_LOST = 4;

/** libpq's client, with the transactionStatus() it has and its typings miss (0 idle … 4 connection bad). */
type Libpq = LibpqClass & { transactionStatus(): number };

/**
 * libpq objects finished but perhaps not yet let go of by libuv. The package's finish()
 * uv_close()s the socket's poll handle, which lives inside the native object, and at once lets
 * the object be garbage-collected; libuv completes the close only at the end of a later turn
 * of the event loop, and reads the handle then. A collection in between (synchronous work right
 * after close(), as a test that allocates much after a PostgreSQL test) freed that memory under
 * libuv, and the process aborted (uv__finish_close assertion). Each object is kept here until
 * two check phases have passed, so at least one closing phase came after its finish().
 */
const finishing = new Set<Libpq>();

/** Finishes a connection, keeping its object until libuv has closed its handle (above). */
function letGo(pq: Libpq): void {
  pq.finish();
  finishing.add(pq);
  setImmediate(() => setImmediate(() => finishing.delete(pq)));
}

function loadLibpq(): new () => Libpq {
  try {
    return createRequire(import.meta.url)('libpq') as new () => Libpq;
  } catch (e) {
    throw new Error(
      `PostgreSQL storage needs the optional package "libpq", which did not install or load (${(e as Error).message.split('\n')[0]}); ` +
        'install the PostgreSQL client headers (Debian: apt-get install libpq-dev) and run npm install again',
      { cause: e },
    );
  }
}

export class PgSyncDb {
  readonly dialect = 'postgres' as const;
  /** The URL with its password hidden (for messages). */
  readonly name: string;
  private pq: Libpq;
  private readonly prepared = new Map<string, string>();
  private nextName = 0;
  private depth = 0;
  private closed = false;

  constructor(readonly url: string) {
    this.name = redactUrl(url);
    this.pq = this.connect();
  }

  private connect(): Libpq {
    const pq = new (loadLibpq())();
    try {
      pq.connectSync(this.url);
    } catch (e) {
      throw new PgConnectError(`cannot connect to PostgreSQL at ${this.name}: ${(e as Error).message.trim().replace(/\s+/g, ' ')}`, { cause: e });
    }
    this.pq = pq;
    this.prepared.clear();
    // every setting the values are read by is pinned here, whatever the database's or role's defaults
    this.exec(SESSION_SETTINGS);
    return pq;
  }

  /**
   * Runs `call` once more on a new connection when the last one was lost (a server restart,
   * a dropped idle connection), outside a transaction and only when running it again cannot
   * apply anything twice (`repeatable`: a read, or a BEGIN); otherwise the loss is the
   * caller's error (a write may or may not have been applied).
   */
  private retried<T>(repeatable: boolean, call: () => T): T {
    try {
      return call();
    } catch (e) {
      if (!repeatable || this.closed || this.depth > 0 || this.pq.transactionStatus() !== CONNECTION_LOST) throw e;
      letGo(this.pq);
      this.connect();
      return call();
    }
  }

  /** The compiled statement for `sql` (`?` placeholders, as in SQLite), prepared once per connection. */
  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): Stmt<P, R> {
    const repeatable = READ_ONLY.test(sql);
    const query = (params: unknown[]): Libpq => this.retried(repeatable, () => this.execute(sql, params));
    return {
      get: (...params: P): R | undefined => this.rows<R>(query(params), 1)[0],
      all: (...params: P): R[] => this.rows<R>(query(params)),
      run: (...params: P): RunInfo => ({ changes: Number(query(params).cmdTuples() || 0) }),
    };
  }

  /** Runs one or more statements without parameters. */
  exec(sql: string, repeatable = false): void {
    this.check();
    this.retried(repeatable, () => {
      this.pq.exec(sql);
      this.result(sql);
    });
  }

  /**
   * Runs `fn` in a write transaction (the advisory write lock taken at BEGIN); nested calls
   * become savepoints. An exception rolls back and is rethrown.
   */
  transaction<T>(fn: () => T): T {
    const outer = this.depth === 0;
    const savepoint = `tl_sp_${this.depth}`;
    try {
      // nothing is applied yet: a lost connection may be replaced here
      if (outer) this.exec(`BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`, true);
      else this.exec(`SAVEPOINT ${savepoint}`);
    } catch (e) {
      // e.g. the write lock not had within lock_timeout: end the transaction BEGIN opened
      if (outer) this.undo('ROLLBACK');
      throw e;
    }
    this.depth += 1;
    let out: T;
    try {
      out = fn();
      if (out instanceof Promise) throw new Error('a transaction body must be synchronous');
    } catch (e) {
      this.depth -= 1;
      this.undo(outer ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`);
      throw e;
    }
    try {
      // never run again on another connection (depth is still > 0): a lost COMMIT is an error
      this.exec(outer ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`);
      // a statement that failed inside the body (its error caught there) aborted the whole
      // transaction, and PostgreSQL answers COMMIT with ROLLBACK: SQLite would have kept the rest
      if (outer && this.pq.cmdStatus() === 'ROLLBACK') {
        throw new PgSyncError('the transaction was rolled back: a statement in it failed (its error was caught inside the transaction); nothing of it was stored', '25P02');
      }
    } finally {
      this.depth -= 1;
    }
    return out;
  }

  /** Rolls back with `sql`, unless the connection is closed or gone (its transaction went with it). */
  private undo(sql: string): void {
    if (!this.closed && this.pq.transactionStatus() !== CONNECTION_LOST) this.exec(sql);
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    letGo(this.pq);
  }

  private check(): void {
    if (this.closed) throw new Error(`the PostgreSQL connection to ${this.name} is closed`);
  }

  private execute(sql: string, params: unknown[], again = false): Libpq {
    this.check();
    const name = cachedStatement(
      this.prepared,
      sql,
      () => {
        const made = `tl_${this.nextName++}`;
        const text = numberedPlaceholders(sql);
        this.pq.prepare(made, text.sql, text.count);
        this.result(sql);
        return made;
      },
      (old) => this.exec(`DEALLOCATE ${old}`),
    );
    const values = params.map(encodePgParam) as string[];
    this.pq.execPrepared(name, values);
    try {
      this.result(sql);
    } catch (e) {
      // another process altered the table (a newer tradelab migrating): prepare it again, once,
      // outside a transaction (inside one the transaction is lost anyway)
      if (!(e instanceof PgSyncError && e.code === PLAN_CHANGED) || this.depth > 0 || again) throw e;
      this.prepared.delete(sql);
      this.exec(`DEALLOCATE ${name}`);
      return this.execute(sql, params, true);
    }
    return this.pq;
  }

  /** Throws the server's error for the last command, if it failed. */
  private result(sql: string): void {
    const status = this.pq.resultStatus();
    if (status === 'PGRES_COMMAND_OK' || status === 'PGRES_TUPLES_OK' || status === 'PGRES_EMPTY_QUERY') return;
    const fields = this.pq.resultErrorFields() as { sqlState?: string; messagePrimary?: string; messageDetail?: string } | undefined;
    const primary = fields?.messagePrimary ? `${fields.messagePrimary}${fields.messageDetail ? ` (${fields.messageDetail})` : ''}` : '';
    const message = (primary || this.pq.resultErrorMessage() || this.pq.errorMessage() || status).trim();
    throw new PgSyncError(`${message} (in: ${sql.replace(/\s+/g, ' ').trim().slice(0, 160)})`, fields?.sqlState);
  }

  private rows<R>(pq: Libpq, max = Infinity): R[] {
    const n = Math.min(pq.ntuples(), max);
    const cols = pq.nfields();
    const names: string[] = [];
    const types: number[] = [];
    for (let c = 0; c < cols; c++) {
      names.push(pq.fname(c));
      types.push(pq.ftype(c));
    }
    const out: R[] = [];
    for (let r = 0; r < n; r++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < cols; c++) row[names[c]] = pq.getisnull(r, c) ? null : decodePgValue(types[c], pq.getvalue(r, c));
      out.push(row as R);
    }
    return out;
  }
}
