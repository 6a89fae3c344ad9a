/**
 * The public schema of a PostgreSQL database as sorted lines (columns, constraints, indexes,
 * ENUM types, sequences, functions, triggers), to compare tradelab's tables with the ones
 * Optuna creates, and to see that Optuna changes nothing; and a digest of every table's rows.
 */
import type pg from 'pg';

export async function describeSchema(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ line: string }>(`
    SELECT 'column ' || table_name || '.' || column_name || ' ' || udt_name
        || COALESCE('(' || character_maximum_length || ')', '')
        || CASE is_nullable WHEN 'YES' THEN ' NULL' ELSE ' NOT NULL' END
        || COALESCE(' DEFAULT ' || column_default, '') AS line
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass::text || '.' || conname || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 't'
    UNION ALL
    SELECT 'index ' || tablename || '.' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT 'type ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname
    UNION ALL
    SELECT 'sequence ' || sequence_name || ' ' || data_type FROM information_schema.sequences WHERE sequence_schema = 'public'
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'trigger ' || tgrelid::regclass::text || '.' || tgname FROM pg_trigger WHERE NOT tgisinternal
    ORDER BY 1`);
  return rows.map((r) => r.line);
}

/** md5 of each public table's rows (in a fixed order), by table name. */
export async function tableDigests(pool: pg.Pool): Promise<Record<string, string>> {
  const tables = await pool.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
  const out: Record<string, string> = {};
  for (const { t } of tables.rows) {
    const r = await pool.query<{ d: string }>(`SELECT md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) AS d FROM "${t}" x`);
    out[t] = r.rows[0].d;
  }
  return out;
}

/** The embedded store's own tables (not Optuna's) that PostgreSQL migrations 005 and 006 create. */
export const APP_TABLES = [
  'datasets', 'candle_columns', 'runs', 'run_results', 'result_cache', 'ledger_families', 'ledger_entries',
  'champion_versions', 'champions', 'champion_secret', 'strategy_definitions', 'audit_log', 'oauth_clients', 'oauth_codes', 'oauth_tokens',
] as const;

const APP_OBJECT = new RegExp(`^((column|constraint|index) (${APP_TABLES.join('|')})\\.|sequence (${APP_TABLES.join('|')})_id_seq )`);

/** Is this describeSchema line one of an app table's columns, constraints, indexes or identity sequences? */
export const isAppObject = (line: string): boolean => APP_OBJECT.test(line);
