import type { Migration } from './types.js';

/**
 * The trial ledger (STATISTICS.md): every backtest, batch item, optimisation trial and
 * walk-forward window, grouped into research families (strategy, dataset, date range),
 * with the per-period return moments and 16 block moments that PSR, DSR and PBO need
 * later without re-running anything. Rows are append-only: deleting a run keeps its trial.
 * Also the result cache shared by all studies.
 */
export const migration004: Migration = {
  version: 4,
  name: 'trial_ledger_and_result_cache',
  up(db) {
    db.exec(`
      CREATE TABLE ledger_families (
        id            INTEGER PRIMARY KEY,
        strategy      TEXT    NOT NULL,
        dataset_hash  TEXT    NOT NULL,
        range_from    INTEGER NOT NULL,
        range_to      INTEGER NOT NULL,
        created_at    INTEGER NOT NULL,
        UNIQUE (strategy, dataset_hash, range_from, range_to)
      ) STRICT;

      CREATE TABLE ledger_entries (
        id                INTEGER PRIMARY KEY,
        family_id         INTEGER NOT NULL REFERENCES ledger_families(id),
        source_kind       TEXT    NOT NULL CHECK (source_kind IN ('backtest', 'batch_item', 'trial', 'wf_window')),
        source_id         TEXT    NOT NULL,
        params_hash       TEXT    NOT NULL,
        params            TEXT    NOT NULL,
        n_periods         INTEGER NOT NULL,
        periods_per_year  REAL    NOT NULL,
        sharpe            REAL,
        skew              REAL,
        kurtosis_raw      REAL,
        block_moments     BLOB    NOT NULL,
        created_at        INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX ledger_by_family ON ledger_entries (family_id);
      CREATE INDEX ledger_by_source ON ledger_entries (source_kind, source_id);

      CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE ON ledger_entries
      BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
      CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
      BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

      -- Evaluated configurations by fingerprint (dataset hash, range, strategy, params,
      -- execution, engine version), shared by every study: a repeated point costs nothing.
      CREATE TABLE result_cache (
        fingerprint   TEXT    PRIMARY KEY,
        metrics       TEXT    NOT NULL,
        warnings      TEXT    NOT NULL,
        intermediate  TEXT    NOT NULL,
        ledger        TEXT,
        created_at    INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
