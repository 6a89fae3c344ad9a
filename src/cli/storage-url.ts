/** The shared storage a command names: --storage, else TRADELAB_DATABASE_URL; PostgreSQL only. */
import { UserError } from '../research/errors.js';
import { isPostgresUrl, redactUrl } from '../storage/pg/url.js';

export function storageUrl(v: string | boolean | undefined): string {
  const url = typeof v === 'string' ? v : process.env.TRADELAB_DATABASE_URL;
  if (!url) throw new UserError('a shared storage is needed', { field: '--storage', expected: 'postgresql://USER:PASS@HOST:PORT/DB (or TRADELAB_DATABASE_URL)' });
  if (!isPostgresUrl(url)) throw new UserError('the shared storage must be PostgreSQL', { field: '--storage', value: redactUrl(url), expected: 'a postgresql:// URL' });
  return url;
}
