import type Database from 'better-sqlite3';

/** One numbered, forward-only schema step. `up` runs inside a transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}
