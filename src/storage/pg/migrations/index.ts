/**
 * The PostgreSQL schema's numbered migrations and `migratePg`. Append only; never edit a
 * released one. Applied versions are rows of `tradelab_schema_migrations`.
 */
import type pg from 'pg';
import { checkMigrationList, writeTransaction } from '../../db.js';
import { inTransaction } from '../pool.js';
import { migration001 } from './001_studies.js';
import { migration002 } from './002_datasets.js';
import { migration003 } from './003_trial_functions.js';
import { migration004 } from './004_tasks.js';
import { migration005 } from './005_app_tables.js';
import { migration006 } from './006_app_registries.js';
import type { PgSyncDb } from '../sync-db.js';
import type { PgMigration } from './types.js';

export type { PgMigration };

export const PG_MIGRATIONS: readonly PgMigration[] = [migration001, migration002, migration003, migration004, migration005, migration006];

/** Key of the transaction-level advisory lock migrations run under ("tradelab" in ASCII). */
const LOCK_KEY = '8390876182755154274';

const MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS tradelab_schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
  )`;

function refuseNewer(current: number, latest: number): void {
  if (current > latest) {
    throw new Error(`PostgreSQL schema version ${current} is newer than this tradelab knows (${latest}); upgrade tradelab instead of using it with an older one`);
  }
}

function migrationFailed(m: PgMigration, e: unknown): Error {
  const err = e as Error & { code?: string };
  const hint = err.code === '42P07' ? ' (a table of that name already exists: was this database written by Optuna or another tool before tradelab? tradelab needs a database of its own)' : '';
  return new Error(`PostgreSQL migration ${m.version} (${m.name}) failed: ${err.message}${hint}; nothing was changed`, { cause: e });
}

/**
 * Applies the pending migrations in order, all in one transaction under an advisory lock, so
 * workers starting at once migrate the database once (the others wait, then find nothing to
 * do) and a failure leaves it as it was. Refuses a database migrated by a newer tradelab.
 * Returns the schema version.
 */
export async function migratePg(pool: pg.Pool, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number> {
  checkMigrationList(migrations);
  return inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1::bigint)', [LOCK_KEY]);
    await c.query(MIGRATIONS_TABLE);
    const { rows } = await c.query<{ version: number }>('SELECT version FROM tradelab_schema_migrations ORDER BY version');
    const done = new Set(rows.map((r) => r.version));
    refuseNewer(rows.length === 0 ? 0 : rows[rows.length - 1].version, migrations.length);
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      try {
        await c.query(m.sql);
      } catch (e) {
        throw migrationFailed(m, e);
      }
      await c.query('INSERT INTO tradelab_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    return migrations.length;
  });
}

/** migratePg on the synchronous connection (the store behind App.db). */
export function migratePgSync(db: PgSyncDb, migrations: readonly PgMigration[] = PG_MIGRATIONS): number {
  checkMigrationList(migrations);
  return writeTransaction(db, () => {
    db.prepare('SELECT pg_advisory_xact_lock(?::bigint)').get(LOCK_KEY);
    db.exec(MIGRATIONS_TABLE);
    const rows = db.prepare<[], { version: number }>('SELECT version FROM tradelab_schema_migrations ORDER BY version').all();
    const done = new Set(rows.map((r) => r.version));
    refuseNewer(rows.length === 0 ? 0 : rows[rows.length - 1].version, migrations.length);
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      try {
        db.exec(m.sql);
      } catch (e) {
        throw migrationFailed(m, e);
      }
      db.prepare('INSERT INTO tradelab_schema_migrations (version, name) VALUES (?, ?)').run(m.version, m.name);
    }
    return migrations.length;
  });
}
