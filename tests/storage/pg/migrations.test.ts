import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { OPTUNA_ALEMBIC_HEAD, OPTUNA_LIBRARY_VERSION, OPTUNA_SCHEMA_VERSION } from '../../../src/storage/optuna-model.js';
import { migratePg, PG_MIGRATIONS } from '../../../src/storage/pg/migrations/index.js';
import { openPgPool, redactUrl } from '../../../src/storage/pg/pool.js';
import { postgresForFile } from '../../helpers/postgres.js';

const pg15 = postgresForFile();
const pool = (url: string): Promise<pg.Pool> => pg15.pool(url, 2);

async function schemaObjects(p: pg.Pool): Promise<string[]> {
  const { rows } = await p.query<{ o: string }>(`
    SELECT 'table ' || table_name AS o FROM information_schema.tables WHERE table_schema = 'public'
    UNION ALL SELECT 'type ' || typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'
    UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal
    ORDER BY 1`);
  return rows.map((r) => r.o);
}

describe('migratePg', () => {
  it('records versions 1..N; applying again changes nothing', async () => {
    const p = await pool(await pg15.server.createDatabase());
    expect(await migratePg(p)).toBe(PG_MIGRATIONS.length);
    const first = await p.query('SELECT version, name FROM tradelab_schema_migrations ORDER BY version');
    expect(first.rows).toEqual(PG_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    const objects = await schemaObjects(p);
    expect(objects).toContain('table trials');
    expect(objects).toContain('table tradelab_datasets');
    expect(await migratePg(p)).toBe(PG_MIGRATIONS.length);
    expect((await p.query('SELECT version, name FROM tradelab_schema_migrations ORDER BY version')).rows).toEqual(first.rows);
    expect(await schemaObjects(p)).toEqual(objects);
    // what Optuna 3.1 looks for to find a current schema (storage/optuna-model.ts)
    expect((await p.query('SELECT * FROM version_info')).rows).toEqual([{ version_info_id: 1, schema_version: OPTUNA_SCHEMA_VERSION, library_version: OPTUNA_LIBRARY_VERSION }]);
    expect((await p.query('SELECT * FROM alembic_version')).rows).toEqual([{ version_num: OPTUNA_ALEMBIC_HEAD }]);
  });

  it('migrates once when several workers start at once', async () => {
    const url = await pg15.server.createDatabase();
    const ps = await Promise.all([pool(url), pool(url), pool(url), pool(url)]);
    expect(await Promise.all(ps.map((p) => migratePg(p)))).toEqual(ps.map(() => PG_MIGRATIONS.length));
    const { rows } = await ps[0].query('SELECT version FROM tradelab_schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
  });

  it('refuses a database migrated by a newer tradelab, and leaves a failed migration undone', async () => {
    const p = await pool(await pg15.server.createDatabase());
    await migratePg(p);
    await expect(migratePg(p, PG_MIGRATIONS.slice(0, 1))).rejects.toThrow(new RegExp(`schema version ${PG_MIGRATIONS.length} is newer than this tradelab knows \\(1\\)`));
    const q = await pool(await pg15.server.createDatabase());
    await q.query('CREATE TABLE studies (x int)'); // e.g. tables Optuna created first
    await expect(migratePg(q)).rejects.toThrow(/migration 1 \(studies\) failed: .*already exists.*database of its own/);
    expect((await q.query("SELECT to_regclass('tradelab_schema_migrations') AS t")).rows).toEqual([{ t: null }]);
  });

  it('names the URL, without its password, when it cannot connect', async () => {
    const url = `postgresql://me:secret@127.0.0.1:${pg15.server.port}/no_such_db`;
    await expect(openPgPool(url)).rejects.toThrow(/cannot connect to PostgreSQL at postgresql:\/\/me:\*\*\*@127\.0\.0\.1:\d+\/no_such_db: role "me" does not exist/);
    expect(redactUrl('postgres://u:p%40ss@h/db')).toBe('postgres://u:***@h/db');
  });
});
