/**
 * How much space the store takes (server_info, `tradelab gc`): the database file, its
 * write-ahead log and SQLite's page accounting, read through src/storage.
 */
import { storeSize, type StoreSize } from '../storage/size.js';
import type { App } from './app.js';

export { formatBytes, type StoreSize } from '../storage/size.js';

export function storeUsage(app: App): StoreSize {
  return storeSize(app.db);
}
