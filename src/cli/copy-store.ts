/** `tradelab copy-store --to postgresql://…`: the embedded store, every row, into an empty PostgreSQL store (storage/copy.ts). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultHome, openUserStore } from '../research/app.js';
import { UserError } from '../research/errors.js';
import { copySqliteToPostgres, CopyRefused, type CopiedTable } from '../storage/copy.js';
import { openDb } from '../storage/db.js';
import type { PgSyncDb } from '../storage/pg/sync-db.js';
import { isPostgresUrl, redactUrl } from '../storage/pg/url.js';
import { err, out, parse } from './args.js';

export const COPY_STORE_HELP = `tradelab copy-store --to postgresql://USER:PASS@HOST:PORT/DB [--from FILE] [--json]
  Copies the embedded SQLite store (--from, default $TRADELAB_HOME/tradelab.db) into an empty
  PostgreSQL database, every row of every table: datasets and their bars, runs and results,
  the result cache, the trial ledger, champions (and the key their confirm tokens are signed
  with), strategy definitions, OAuth clients, the audit log, and the studies in Optuna's
  tables. Ids are kept: run ids, trial numbers and champion versions stay valid. Then serve
  with TRADELAB_DATABASE_URL (or --storage) set to that database.
  One transaction: a failure leaves the database as it was. The database must hold no data
  yet (a new one; tradelab migrates it). Stop the servers writing the SQLite store first.`;

export async function copyStoreCommand(argv: string[]): Promise<number> {
  const { values: v } = parse(argv, { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } }, 'copy-store');
  if (v.help) return (out(COPY_STORE_HELP), 0);
  const to = typeof v.to === 'string' ? v.to : '';
  if (!isPostgresUrl(to)) throw new UserError('copy-store needs the PostgreSQL database to copy into', { field: '--to', value: to ? redactUrl(to) : undefined, expected: 'a postgresql:// URL of an empty database' });
  const from = resolve(typeof v.from === 'string' ? v.from : join(defaultHome(), 'tradelab.db'));
  if (!existsSync(from)) throw new UserError('there is no SQLite store to copy', { field: '--from', value: from, expected: 'the tradelab.db file of a store' });
  const src = openDb(from);
  let dst: PgSyncDb | undefined;
  try {
    dst = openUserStore(to, '--to') as PgSyncDb;
    const t0 = Date.now();
    let copied: CopiedTable[];
    try {
      copied = copySqliteToPostgres(src, dst, { onTable: (t) => err(`tradelab copy-store: ${t.table}: ${t.rows} row(s)`) });
    } catch (e) {
      if (e instanceof CopyRefused) throw new UserError(e.message, { field: '--to', value: redactUrl(to), expected: 'a new, empty database' });
      throw e;
    }
    const rows = copied.reduce((a, t) => a + t.rows, 0);
    if (v.json) out(JSON.stringify({ from, to: redactUrl(to), tables: copied, rows, elapsed_ms: Date.now() - t0 }));
    else out(`copied ${rows} row(s) of ${copied.length} table(s) from ${from} to ${redactUrl(to)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    src.close();
    dst?.close();
  }
}
