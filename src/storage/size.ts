/**
 * How much space the store takes: the database file and its write-ahead log on disk, and
 * SQLite's own page accounting (pages in use, free pages that new rows reuse and that a
 * vacuum gives back). No path is reported: remote read-only clients see this too.
 */
import { statSync } from 'node:fs';
import { isPostgres, statement, type Db, type SqliteDb } from './db.js';

export type StoreSize = SqliteStoreSize | PostgresStoreSize;

/** A PostgreSQL store: the size of its database as the server counts it (tables, indexes, TOAST). */
export interface PostgresStoreSize {
  readonly engine: 'postgres';
  readonly database_bytes: number;
}

export interface SqliteStoreSize {
  readonly engine: 'sqlite';
  /** True for a ':memory:' store (tests): nothing is on disk. */
  readonly in_memory: boolean;
  /** Bytes of the database file, null in memory. */
  readonly file_bytes: number | null;
  /** Bytes of the write-ahead log (`-wal`), 0 when absent, null in memory. */
  readonly wal_bytes: number | null;
  readonly page_size: number;
  readonly page_count: number;
  /** Pages holding no data: reused by new rows, given back to the file system by a vacuum. */
  readonly free_pages: number;
  /** (page_count − free_pages) × page_size. */
  readonly used_bytes: number;
  /** SQLite auto-vacuum mode: 'incremental' lets `tradelab gc --vacuum` give space back in small steps. */
  readonly auto_vacuum: 'none' | 'full' | 'incremental';
}

function bytesOf(file: string): number {
  try {
    return statSync(file).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
}

export function storeSize(db: SqliteDb): SqliteStoreSize;
export function storeSize(db: Db): StoreSize;
export function storeSize(db: Db): StoreSize {
  if (isPostgres(db)) {
    const { n } = statement(db, 'SELECT pg_database_size(current_database()) AS n').get() as { n: number };
    return { engine: 'postgres', database_bytes: n };
  }
  const page_size = db.pragma('page_size', { simple: true }) as number;
  const page_count = db.pragma('page_count', { simple: true }) as number;
  const free_pages = db.pragma('freelist_count', { simple: true }) as number;
  const mode = db.pragma('auto_vacuum', { simple: true }) as number;
  const in_memory = db.memory || db.name === '' || db.name === ':memory:';
  return {
    engine: 'sqlite',
    in_memory,
    file_bytes: in_memory ? null : bytesOf(db.name),
    wal_bytes: in_memory ? null : bytesOf(`${db.name}-wal`),
    page_size,
    page_count,
    free_pages,
    used_bytes: (page_count - free_pages) * page_size,
    auto_vacuum: mode === 2 ? 'incremental' : mode === 1 ? 'full' : 'none',
  };
}

/** "412.3 MB" style, for texts. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}
