/**
 * The application context handed to research workflows and tools: the one db handle, the
 * clock, validated config, and in-memory caches. Built once per process (cli.ts or a test).
 */
import { join, resolve } from 'node:path';
import type { Candles } from '../engine/data/candles.js';
import { isPostgres, type Db } from '../storage/db.js';
import { openStore } from '../storage/open.js';
import { PgConnectError } from '../storage/pg/sync-db.js';
import { redactUrl } from '../storage/pg/url.js';
import { UserError } from './errors.js';
import { markInterruptedRuns } from '../storage/runs.js';
import { parseConfig, loadConfigFile, type AppConfig } from './config.js';
import { CandleCache } from './candle-cache.js';

export interface App {
  readonly db: Db;
  /** $TRADELAB_HOME (default ./.tradelab). */
  readonly home: string;
  /** Repository/config root used for job files and champion exports. */
  readonly root: string;
  readonly now: () => number;
  readonly config: AppConfig;
  readonly candles: CandleCache;
  /** The shared PostgreSQL storage for studies run by remote workers (TRADELAB_DATABASE_URL), when there is one. */
  readonly shared_storage?: string;
}

export interface OpenAppOptions {
  readonly home?: string;
  readonly root?: string;
  /** ':memory:' for tests. */
  readonly dbFile?: string;
  /**
   * Where the store is: a postgresql:// URL puts datasets, runs, studies, the trial ledger and
   * champions in PostgreSQL. Default: TRADELAB_DATABASE_URL when no dbFile is given, else the
   * SQLite file (dbFile, default $TRADELAB_HOME/tradelab.db).
   */
  readonly storage?: string;
  readonly config?: AppConfig | Record<string, unknown>;
  readonly now?: () => number;
  /** Default: TRADELAB_DATABASE_URL. */
  readonly shared_storage?: string;
}

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.TRADELAB_HOME ?? join(process.cwd(), '.tradelab'));
}

/**
 * The store at `location`; an unreachable PostgreSQL is the caller's to fix: a UserError naming
 * `field` (the option that gave the URL) with the password hidden.
 */
export function openUserStore(location: string, field = 'storage'): Db {
  try {
    return openStore(location);
  } catch (e) {
    if (!(e instanceof PgConnectError)) throw e;
    throw new UserError(e.message, { field, value: redactUrl(location), expected: 'a reachable PostgreSQL server and database (postgresql://USER:PASS@HOST:PORT/DB)' });
  }
}

export function openApp(opts: OpenAppOptions = {}): App {
  const home = opts.home ?? defaultHome();
  const root = opts.root ?? process.cwd();
  const url = opts.storage ?? (opts.dbFile === undefined ? process.env.TRADELAB_DATABASE_URL : undefined);
  const db = openUserStore(url || (opts.dbFile ?? join(home, 'tradelab.db')));
  const now = opts.now ?? (() => Date.now());
  const config = opts.config ? parseConfig(opts.config) : loadConfigFile(join(root, 'config', 'server.yaml'));
  markInterruptedRuns(db, now());
  const shared = opts.shared_storage ?? (isPostgres(db) ? db.url : process.env.TRADELAB_DATABASE_URL);
  return { db, home, root, now, config, candles: new CandleCache(config.limits.candle_cache_mb * 1024 * 1024), ...(shared ? { shared_storage: shared } : {}) };
}

/** Where the store is, for people: its SQLite file, or the PostgreSQL URL (password hidden). */
export function storeLocation(app: App): string {
  return isPostgres(app.db) ? `PostgreSQL ${app.db.name}` : app.db.name;
}

export function closeApp(app: App): void {
  app.db.close();
}

export type { Candles };
