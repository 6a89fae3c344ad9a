import type { Migration } from './types.js';

/**
 * Compact stored results (storage/codec.ts). `codec` says how a run_results row is written:
 * 0, every row written before this migration: trades, open trades and skipped orders as
 *    JSON text, the equity curve and its bar times as raw Float64 bytes;
 * 1: those three lists together in `details` (brotli-compressed JSON; the text columns are
 *    empty), the equity curve and bar times as compressed, lossless number arrays.
 * Metrics and warnings stay plain JSON text in both (lists and batch matrices read them
 * with SQL). Existing rows keep codec 0 and stay readable as they are; adding columns
 * rewrites nothing, so the migration is instant on a large store.
 */
export const migration010: Migration = {
  version: 10,
  name: 'compact_results',
  up(db) {
    db.exec(`
      ALTER TABLE run_results ADD COLUMN codec INTEGER NOT NULL DEFAULT 0 CHECK (codec IN (0, 1));
      ALTER TABLE run_results ADD COLUMN details BLOB CHECK (details IS NULL OR codec = 1);
    `);
  },
};
