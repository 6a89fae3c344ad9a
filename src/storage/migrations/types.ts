import type Database from 'better-sqlite3';

/** One numbered, forward-only schema step. `up` runs inside a transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /**
   * Run with foreign-key enforcement off (SQLite's procedure for rebuilding a table that
   * others reference: a DROP TABLE would otherwise cascade); the keys are checked before the
   * step commits.
   */
  readonly foreign_keys_off?: boolean;
  up(db: Database.Database): void;
}
