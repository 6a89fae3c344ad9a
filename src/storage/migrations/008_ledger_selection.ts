import type { Migration } from './types.js';

/**
 * The trial ledger answers "what was this Sharpe selected from?" (STATISTICS.md, DSR):
 * every configuration evaluated on bars overlapping the candidate's, of the same symbol and
 * timeframe, whatever the range, dataset version or strategy. So:
 * - families carry their symbol and timeframe (backfilled from the dataset with that
 *   content), indexed for range-overlap queries;
 * - entries carry an `outcome`: 'complete', 'pruned' (stopped by a pruner; counted in N,
 *   no statistics) or 'failed' (the backtest ran but the trial failed, e.g. an undefined
 *   objective; counted in N, statistics where defined);
 * - three more source kinds: 'holdout' (a top trial re-run on a later holdout by
 *   optimize's validate), 'wf_oos' (the stitched out-of-sample curve of one walk-forward
 *   run, one entry per run) and 'wf_trial' (an in-sample trial of a walk-forward window's
 *   study, until now a 'trial' with source id `<run>#w<window>-<n>`, converted here).
 * SQLite cannot change a CHECK constraint in place, so ledger_entries is rebuilt with its
 * rows, indexes and append-only triggers (DROP TABLE fires no DELETE trigger).
 */
export const migration008: Migration = {
  version: 8,
  name: 'ledger_selection',
  up(db) {
    db.exec(`
      ALTER TABLE ledger_families ADD COLUMN symbol TEXT;
      ALTER TABLE ledger_families ADD COLUMN timeframe TEXT;
      UPDATE ledger_families SET
        symbol = (SELECT d.symbol FROM datasets d WHERE d.content_hash = ledger_families.dataset_hash ORDER BY d.id LIMIT 1),
        timeframe = (SELECT d.timeframe FROM datasets d WHERE d.content_hash = ledger_families.dataset_hash ORDER BY d.id LIMIT 1);
      CREATE INDEX ledger_families_by_market ON ledger_families (symbol, timeframe, range_from);

      DROP TRIGGER ledger_entries_append_only;
      DROP TRIGGER ledger_entries_no_delete;
      CREATE TABLE ledger_entries_v8 (
        id                INTEGER PRIMARY KEY,
        family_id         INTEGER NOT NULL REFERENCES ledger_families(id),
        source_kind       TEXT    NOT NULL CHECK (source_kind IN ('backtest', 'batch_item', 'trial', 'wf_trial', 'wf_window', 'holdout', 'wf_oos')),
        source_id         TEXT    NOT NULL,
        params_hash       TEXT    NOT NULL,
        params            TEXT    NOT NULL,
        outcome           TEXT    NOT NULL DEFAULT 'complete' CHECK (outcome IN ('complete', 'pruned', 'failed')),
        n_periods         INTEGER NOT NULL,
        periods_per_year  REAL    NOT NULL,
        sharpe            REAL,
        skew              REAL,
        kurtosis_raw      REAL,
        block_moments     BLOB    NOT NULL,
        created_at        INTEGER NOT NULL
      ) STRICT;
      INSERT INTO ledger_entries_v8 (id, family_id, source_kind, source_id, params_hash, params, outcome, n_periods, periods_per_year, sharpe, skew, kurtosis_raw, block_moments, created_at)
        SELECT id, family_id, CASE WHEN source_kind = 'trial' AND source_id GLOB '*#w[0-9]*-[0-9]*' THEN 'wf_trial' ELSE source_kind END, source_id, params_hash, params, 'complete', n_periods, periods_per_year, sharpe, skew, kurtosis_raw, block_moments, created_at FROM ledger_entries;
      DROP TABLE ledger_entries;
      ALTER TABLE ledger_entries_v8 RENAME TO ledger_entries;
      CREATE INDEX ledger_by_family ON ledger_entries (family_id);
      CREATE INDEX ledger_by_source ON ledger_entries (source_kind, source_id);
      CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE ON ledger_entries
      BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
      CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
      BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
    `);
  },
};
