import type { Migration } from './types.js';

/**
 * Runs (every backtest, batch, optimisation, walk-forward, analysis) and their stored
 * results. `fingerprint` (dataset hash, strategy, params, execution spec, engine version)
 * answers identical repeated backtests from the store.
 */
export const migration002: Migration = {
  version: 2,
  name: 'runs',
  up(db) {
    db.exec(`
      CREATE TABLE runs (
        id           TEXT    PRIMARY KEY,
        kind         TEXT    NOT NULL CHECK (kind IN ('backtest', 'batch', 'optimize', 'walk_forward', 'analysis')),
        status       TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        fingerprint  TEXT,
        dataset_id   INTEGER REFERENCES datasets(id),
        strategy     TEXT,
        spec         TEXT    NOT NULL,
        summary      TEXT,
        progress     TEXT,
        error        TEXT,
        parent_id    TEXT    REFERENCES runs(id) ON DELETE SET NULL,
        created_at   INTEGER NOT NULL,
        started_at   INTEGER,
        finished_at  INTEGER
      ) STRICT;
      CREATE INDEX runs_by_fingerprint ON runs (fingerprint) WHERE fingerprint IS NOT NULL;
      CREATE INDEX runs_by_created ON runs (created_at);
      CREATE INDEX runs_by_parent ON runs (parent_id) WHERE parent_id IS NOT NULL;

      CREATE TABLE run_results (
        run_id       TEXT    PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        metrics      TEXT    NOT NULL,
        warnings     TEXT    NOT NULL,
        trades       TEXT    NOT NULL,
        open_trades  TEXT    NOT NULL,
        skipped      TEXT    NOT NULL,
        equity       BLOB    NOT NULL,
        equity_time  BLOB,
        warmup       INTEGER NOT NULL,
        n_trades     INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
