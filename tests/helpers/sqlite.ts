/** The App's store as SQLite, for tests that read its file's tables or pragmas directly (they open ':memory:' or a file). */
import type { App } from '../../src/research/app.js';
import { sqliteOnly, type SqliteDb } from '../../src/storage/db.js';

export function sqliteOf(app: Pick<App, 'db'>): SqliteDb {
  return sqliteOnly(app.db, 'this test');
}
