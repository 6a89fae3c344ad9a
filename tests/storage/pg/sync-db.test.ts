/** The synchronous PostgreSQL connection behind a PostgreSQL store (storage/pg/sync-db.ts), on a real server. */
import { describe, expect, it } from 'vitest';
import { statement, writeTransaction } from '../../../src/storage/db.js';
import { openStore } from '../../../src/storage/open.js';
import { PgConnectError, PgSyncDb } from '../../../src/storage/pg/sync-db.js';
import { numberedPlaceholders } from '../../../src/storage/pg/sync-values.js';
import { redactUrl } from '../../../src/storage/pg/url.js';
import { postgresForFile } from '../../helpers/postgres.js';

const pg15 = postgresForFile();

async function fresh(): Promise<PgSyncDb> {
  return openStore(await pg15.server.createDatabase()) as PgSyncDb;
}

describe('PgSyncDb', () => {
  it('numbers ? placeholders outside quotes and comments', () => {
    expect(numberedPlaceholders(`SELECT ?, '?', "a?b", ? -- ?\n, ?`)).toEqual({ sql: `SELECT $1, '?', "a?b", $2 -- ?\n, $3`, count: 3 });
    expect(numberedPlaceholders("SELECT 'it''s ?', ?")).toEqual({ sql: "SELECT 'it''s ?', $1", count: 1 });
    expect(numberedPlaceholders('SELECT /* why? */ ?, $$a?$$, $t$b?$t$, ?')).toEqual({ sql: 'SELECT /* why? */ $1, $$a?$$, $t$b?$t$, $2', count: 2 });
    expect(() => numberedPlaceholders('SELECT ?1')).toThrow(/numbered placeholders/);
    expect(() => numberedPlaceholders("SELECT E'it\\'s', ?")).toThrow(/E'…' strings/);
  });

  it('hides a password given as a query parameter too', () => {
    expect(redactUrl('postgresql://u@h/db?sslmode=require&password=secret')).not.toContain('secret');
    expect(redactUrl('postgresql://u:pw@h/db?password=secret')).toMatch(/^postgresql:\/\/u:\*\*\*@h\/db\?password=/);
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

  it('refuses text holding a NUL (libpq would cut it there), and reads alike whatever the database defaults', async () => {
    const url = await pg15.server.createDatabase();
    const setup = openStore(url) as PgSyncDb;
    const name = new URL(url).pathname.slice(1);
    setup.exec(`ALTER DATABASE "${name}" SET bytea_output = 'escape'; ALTER DATABASE "${name}" SET extra_float_digits = 0; ALTER DATABASE "${name}" SET DateStyle = 'SQL, DMY'`);
    setup.close();
    const db = openStore(url) as PgSyncDb;
    try {
      expect(() => statement(db, 'SELECT ? AS t').get('before\u0000after')).toThrow(/NUL character/);
      const row = statement(db, "SELECT ?::bytea AS b, ?::float8 AS f, TIMESTAMP '2024-05-17 10:00:00.5' AS ts").get(Buffer.from([0x41, 0, 0xff]), 0.1 + 0.2);
      expect(row).toEqual({ b: Buffer.from([0x41, 0, 0xff]), f: 0.1 + 0.2, ts: '2024-05-17 10:00:00.5' });
    } finally {
      db.close();
    }
  });

  it('a transaction whose COMMIT is lost, or in which a statement failed, throws: never a silent loss', async () => {
    const db = await fresh();
    const killer = await fresh();
    try {
      db.exec('CREATE TABLE t (x INTEGER PRIMARY KEY)');
      // the connection dies just before COMMIT: the error says so, and nothing was stored
      const { p } = statement(db, 'SELECT pg_backend_pid() AS p').get() as { p: number };
      expect(() =>
        writeTransaction(db, () => {
          statement(db, 'INSERT INTO t VALUES (?)').run(1);
          statement(killer, 'SELECT pg_terminate_backend(?) AS ok').get(p);
        }),
      ).toThrow();
      expect(db.inTransaction).toBe(false);
      expect(statement(db, 'SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 }); // a read reconnects
      // an error caught inside the body: SQLite would keep the rest; PostgreSQL lost it all, so this throws
      expect(() =>
        writeTransaction(db, () => {
          statement(db, 'INSERT INTO t VALUES (?)').run(2);
          try {
            statement(db, 'INSERT INTO t VALUES (?)').run(2);
          } catch {
            // ignored by the body
          }
        }),
      ).toThrow(expect.objectContaining({ code: '25P02', message: expect.stringMatching(/rolled back: a statement in it failed/) }));
      expect(statement(db, 'SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
      // a write outside a transaction is not run again on a new connection (it may have been applied)
      const again = (statement(db, 'SELECT pg_backend_pid() AS p').get() as { p: number }).p;
      statement(killer, 'SELECT pg_terminate_backend(?) AS ok').get(again);
      expect(() => statement(db, 'INSERT INTO t VALUES (?)').run(3)).toThrow();
      expect(statement(db, 'SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    } finally {
      db.close();
      killer.close();
    }
  });

  it('prepares a statement again when another connection changed its table', async () => {
    const url = await pg15.server.createDatabase();
    const db = openStore(url) as PgSyncDb;
    const other = openStore(url) as PgSyncDb;
    try {
      db.exec('CREATE TABLE t (x INTEGER)');
      statement(db, 'INSERT INTO t VALUES (?)').run(1);
      expect(statement(db, 'SELECT * FROM t').all()).toEqual([{ x: 1 }]);
      other.exec('ALTER TABLE t ADD COLUMN y TEXT');
      expect(statement(db, 'SELECT * FROM t').all()).toEqual([{ x: 1, y: null }]);
    } finally {
      db.close();
      other.close();
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
