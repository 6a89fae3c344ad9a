import type { Migration } from './types.js';

/**
 * Whether a run's per-bar equity curve is stored. Batch items (many runs of up to millions
 * of bars each) store metrics, trades and ledger statistics but not the curve (8 bytes a
 * bar): it is recomputed on demand from the run's spec, whose fingerprint pins the engine
 * version and the dataset content (research/run-result.ts). Existing rows keep theirs.
 */
export const migration007: Migration = {
  version: 7,
  name: 'equity_stored',
  up(db) {
    db.exec('ALTER TABLE run_results ADD COLUMN equity_stored INTEGER NOT NULL DEFAULT 1 CHECK (equity_stored IN (0, 1))');
  },
};
