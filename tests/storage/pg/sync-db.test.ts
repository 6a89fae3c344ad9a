/** The synchronous PostgreSQL connection behind a PostgreSQL store (storage/pg/sync-db.ts), on a real server. */
import { describe, expect, it } from 'vitest';
import { statement, writeTransaction } from '../../../src/storage/db.js';
import { openStore } from '../../../src/storage/open.js';
import { PgConnectError, PgSyncDb } from '../../../src/storage/pg/sync-db.js';
import { numberedPlaceholders } from '../../../src/storage/pg/sync-values.js';
import { postgresForFile } from '../../helpers/postgres.js';

const pg15 = postgresForFile();

async function fresh(): Promise<PgSyncDb> {
  return openStore(await pg15.server.createDatabase()) as PgSyncDb;
}

describe('PgSyncDb', () => {
  it('numbers ? placeholders outside quotes and comments', () => {
    expect(numberedPlaceholders(`SELECT ?, '?', "a?b", ? -- ?\n, ?`)).toEqual({ sql: `SELECT $1, '?', "a?b", $2 -- ?\n, $3`, count: 3 });
    expect(numberedPlaceholders("SELECT 'it''s ?', ?")).toEqual({ sql: "SELECT 'it''s ?', $1", count: 1 });
  });

  it('round-trips values as better-sqlite3 gives them: −0, ±∞, ms timestamps, bytes, text; NaN is NULL as in SQLite', async () => {
    const db = await fresh();
    try {
      const row = statement(db, "SELECT ?::float8 AS neg0, ?::float8 AS inf, ?::float8 AS ninf, ?::float8 AS nan, ?::bigint AS ms, ?::bytea AS b, ? AS t, 0.1 + 0.2 AS f, true AS yes, 'x?' AS q").get(
        -0, Infinity, -Infinity, NaN, 1_733_640_000_123, Buffer.from([0, 1, 255]), 'é ✓', 
      ) as Record<string, unknown>;
      expect(Object.is(row.neg0, -0)).toBe(true);
      expect(row).toMatchObject({ inf: Infinity, ninf: -Infinity, nan: null, ms: 1_733_640_000_123, t: 'é ✓', yes: 1, q: 'x?' });
      expect(row.b).toEqual(Buffer.from([0, 1, 255]));
      expect(row.f).toBe(0.3); // PostgreSQL's literals are NUMERIC (exact), read back as a number
      expect(statement(db, 'SELECT ?::float8 AS x').get(0.1 + 0.2)).toEqual({ x: 0.1 + 0.2 }); // shortest exact text both ways
    } finally {
      db.close();
    }
  });

  it('gives the server error with its SQLSTATE, and rolls back a failed transaction (nested: to its savepoint)', async () => {
    const db = await fresh();
    try {
      expect(() => statement(db, 'SELECT * FROM no_such_table').get()).toThrow(expect.objectContaining({ code: '42P01', message: expect.stringMatching(/relation "no_such_table" does not exist \(in: SELECT \* FROM no_such_table\)/) }));
      db.exec('CREATE TABLE t (x INTEGER UNIQUE)');
      expect(() =>
        writeTransaction(db, () => {
          statement(db, 'INSERT INTO t VALUES (?)').run(1);
          statement(db, 'INSERT INTO t VALUES (?)').run(1);
        }),
      ).toThrow(expect.objectContaining({ code: '23505' }));
      expect(statement(db, 'SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
      writeTransaction(db, () => {
        statement(db, 'INSERT INTO t VALUES (?)').run(2);
        expect(() => writeTransaction(db, () => statement(db, 'INSERT INTO t VALUES (?)').run(2))).toThrow(/duplicate key/);
        statement(db, 'INSERT INTO t VALUES (?)').run(3); // the outer transaction goes on after the inner one's rollback
      });
      expect(statement(db, 'SELECT x FROM t ORDER BY x').all()).toEqual([{ x: 2 }, { x: 3 }]);
      expect(statement(db, 'UPDATE t SET x = x + 10').run()).toEqual({ changes: 2 });
      expect(db.inTransaction).toBe(false);
    } finally {
      db.close();
    }
  });

  it('serialises writers across connections, as SQLite BEGIN IMMEDIATE does', async () => {
    const url = await pg15.server.createDatabase();
    const a = openStore(url) as PgSyncDb;
    const b = openStore(url) as PgSyncDb;
    try {
      // b holds the write lock; a's write transaction waits for it (a statement timeout shows the wait)
      b.exec('BEGIN; SELECT pg_advisory_xact_lock(8390876182755154275)');
      a.exec("SET lock_timeout = '300ms'");
      expect(() => writeTransaction(a, () => statement(a, 'SELECT 1 AS one').get())).toThrow(/lock timeout/);
      expect(a.inTransaction).toBe(false);
      expect(statement(a, 'SELECT 2 AS two').get()).toEqual({ two: 2 }); // not left in the aborted transaction
      b.exec('COMMIT');
      expect(writeTransaction(a, () => statement(a, 'SELECT 1 AS one').get())).toEqual({ one: 1 });
    } finally {
      a.close();
      b.close();
    }
  });

  it('reconnects when the server dropped its connection between calls', async () => {
    const db = await fresh();
    const killer = await fresh();
    try {
      const { p } = statement(db, 'SELECT pg_backend_pid() AS p').get() as { p: number };
      expect(statement(killer, 'SELECT pg_terminate_backend(?) AS ok').get(p)).toEqual({ ok: 1 });
      const again = statement(db, 'SELECT pg_backend_pid() AS p').get() as { p: number };
      expect(again.p).not.toBe(p);
    } finally {
      db.close();
      killer.close();
    }
  });

  it('names the URL, password hidden, when it cannot connect', () => {
    expect(() => new PgSyncDb(`postgresql://me:secret@127.0.0.1:${pg15.server.port}/no_such_db`)).toThrow(PgConnectError);
    expect(() => new PgSyncDb(`postgresql://me:secret@127.0.0.1:${pg15.server.port}/no_such_db`)).toThrow(/cannot connect to PostgreSQL at postgresql:\/\/me:\*\*\*@127\.0\.0\.1:\d+\/no_such_db: .*"me"/);
  });
});
