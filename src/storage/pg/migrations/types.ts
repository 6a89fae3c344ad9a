/** One numbered, forward-only step of the PostgreSQL schema: SQL run inside migratePg's transaction. */
export interface PgMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
