/**
 * Opens the store a location names: a postgresql:// URL is the PostgreSQL store (through the
 * synchronous connection, migrated to the current schema), anything else the embedded SQLite
 * file (':memory:' for tests).
 */
import { openDb, type Db, type OpenOptions } from './db.js';
import { migratePgSync } from './pg/migrations/index.js';
import { PgSyncDb } from './pg/sync-db.js';
import { isPostgresUrl } from './pg/url.js';

export function openStore(location: string, opts: OpenOptions = {}): Db {
  if (!isPostgresUrl(location)) return openDb(location, opts);
  const db = new PgSyncDb(location);
  try {
    if (opts.migrate ?? true) migratePgSync(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
