/**
 * The PostgreSQL schema's numbered migrations and `migratePg`. Append only; never edit a
 * released one. Applied versions are rows of `tradelab_schema_migrations`.
 */
import type pg from 'pg';
import { checkMigrationList } from '../../db.js';
import { inTransaction } from '../pool.js';
import { migration001 } from './001_studies.js';
import { migration002 } from './002_datasets.js';
import { migration003 } from './003_trial_functions.js';
import { migration004 } from './004_tasks.js';
import { migration005 } from './005_app_tables.js';
import { migration006 } from './006_app_registries.js';
import type { PgMigration } from './types.js';

export type { PgMigration };

export const PG_MIGRATIONS: readonly PgMigration[] = [migration001, migration002, migration003, migration004, migration005, migration006];

/** Key of the transaction-level advisory lock migrations run under ("tradelab" in ASCII). */
const LOCK_KEY = '8390876182755154274';

/**
 * Applies the pending migrations in order, all in one transaction under an advisory lock, so
 * workers starting at once migrate the database once (the others wait, then find nothing to
 * do) and a failure leaves it as it was. Refuses a database migrated by a newer tradelab.
 * Returns the schema version.
 */
export async function migratePg(pool: pg.Pool, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number> {
  checkMigrationList(migrations);
  const latest = migrations.length;
  return inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1::bigint)', [LOCK_KEY]);
    await c.query(`
      CREATE TABLE IF NOT EXISTS tradelab_schema_migrations (
        version     INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    const { rows } = await c.query<{ version: number }>('SELECT version FROM tradelab_schema_migrations ORDER BY version');
    const done = new Set(rows.map((r) => r.version));
    const current = rows.length === 0 ? 0 : rows[rows.length - 1].version;
    if (current > latest) {
      throw new Error(`PostgreSQL schema version ${current} is newer than this tradelab knows (${latest}); upgrade tradelab instead of using it with an older one`);
    }
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      try {
        await c.query(m.sql);
      } catch (e) {
        const err = e as Error & { code?: string };
        const hint = err.code === '42P07' ? ' (a table of that name already exists: was this database written by Optuna or another tool before tradelab? tradelab needs a database of its own)' : '';
        throw new Error(`PostgreSQL migration ${m.version} (${m.name}) failed: ${err.message}${hint}; nothing was changed`, { cause: e });
      }
      await c.query('INSERT INTO tradelab_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    return latest;
  });
}
