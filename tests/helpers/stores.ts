/**
 * Both store adapters for the storage contract suites: the embedded SQLite file and
 * PostgreSQL (a throwaway Debian server for the calling file, see helpers/postgres.ts).
 *
 *   const stores = eachStore();
 *   describe.each(stores)('$kind store', (store) => { it('…', () => { const db = store.open(); … }); });
 *
 * Every test gets a store of its own, migrated to the current schema: a new SQLite file, or a
 * new PostgreSQL database copied from a migrated template. open() within one test opens that
 * same store again (as reopening a file), and the test's connections are closed after it.
 * The PostgreSQL database is made when a test first asks for it (CREATE DATABASE takes about
 * 0.3 s however small the template), so the SQLite half of a suite does not pay for it.
 * When PostgreSQL cannot start, the postgres tests fail with the reason (never skip).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Db } from '../../src/storage/db.js';
import type { TestPostgres } from '../../src/storage/pg/local-server.js';
import { PgSyncDb } from '../../src/storage/pg/sync-db.js';
import { openStore } from '../../src/storage/open.js';
import { runPostgres } from './postgres.js';

export interface StoreUnderTest {
  readonly kind: 'sqlite' | 'postgres';
  /** The current test's store, opened (again). */
  open(): Db;
  /** Where the current test's store is (a file, or a postgresql:// URL). */
  location(): string;
}


export function eachStore(): StoreUnderTest[] {
  let dir = '';
  let server: TestPostgres | undefined;
  /** A connection to the server's `postgres` database, for CREATE DATABASE (synchronous, as open() is). */
  let admin: PgSyncDb | undefined;
  let failure: unknown;
  let n = 0;
  // the run's server is shared by every test file: this file's names are its own
  const prefix = `f${process.pid}_${randomBytes(3).toString('hex')}`;
  let template = '';
  const current = { sqlite: '', postgres: '' };
  const opened: Db[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tradelab-stores-'));
    try {
      server = runPostgres();
      template = `${prefix}_template`;
      openStore(await server.createDatabase(template)).close(); // migrated once; each test copies it
      admin = new PgSyncDb(server.url);
    } catch (e) {
      failure = e;
    }
  });
  beforeEach(() => {
    n += 1;
    current.sqlite = join(dir, `store${n}.db`);
    current.postgres = '';
  });
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });
  afterAll(async () => {
    admin?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const make = (kind: 'sqlite' | 'postgres'): StoreUnderTest => ({
    kind,
    location() {
      if (kind === 'postgres') {
        if (failure) throw failure;
        if (!current.postgres) current.postgres = copyTemplate(admin as PgSyncDb, (server as TestPostgres).url, template, `${prefix}_store${n}`);
      }
      return current[kind];
    },
    open() {
      const db = openStore(this.location());
      opened.push(db);
      return db;
    },
  });
  return [make('sqlite'), make('postgres')];
}

/** A new database copied from the template, made through `admin`; its URL (the server's, with the new database's name). */
function copyTemplate(admin: PgSyncDb, serverUrl: string, template: string, name: string): string {
  admin.exec(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}
