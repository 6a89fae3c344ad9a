import type { Migration } from './types.js';

/**
 * Datasets: immutable, content-hashed candle series keyed by (symbol, timeframe, version).
 * Candles live in column blobs of up to CHUNK_ROWS rows (raw little-endian Float64), so a
 * million bars load as ~100 blob reads instead of a million-row SELECT.
 */
export const migration001: Migration = {
  version: 1,
  name: 'datasets',
  up(db) {
    db.exec(`
      CREATE TABLE datasets (
        id            INTEGER PRIMARY KEY,
        symbol        TEXT    NOT NULL,
        timeframe     TEXT    NOT NULL,
        version       INTEGER NOT NULL CHECK (version >= 1),
        content_hash  TEXT    NOT NULL,
        source        TEXT    NOT NULL,
        is_synthetic  INTEGER NOT NULL DEFAULT 0 CHECK (is_synthetic IN (0, 1)),
        rows          INTEGER NOT NULL CHECK (rows >= 1),
        first_time    INTEGER NOT NULL,
        last_time     INTEGER NOT NULL,
        created_at    INTEGER NOT NULL,
        meta          TEXT    NOT NULL DEFAULT '{}',
        UNIQUE (symbol, timeframe, version),
        UNIQUE (symbol, timeframe, content_hash)
      ) STRICT;

      CREATE TABLE candle_chunks (
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        chunk      INTEGER NOT NULL,
        rows       INTEGER NOT NULL,
        time       BLOB    NOT NULL,
        open       BLOB    NOT NULL,
        high       BLOB    NOT NULL,
        low        BLOB    NOT NULL,
        close      BLOB    NOT NULL,
        volume     BLOB    NOT NULL,
        PRIMARY KEY (dataset_id, chunk)
      ) STRICT, WITHOUT ROWID;

      -- Stored candles never change: a different content is a new dataset version.
      CREATE TRIGGER candle_chunks_immutable BEFORE UPDATE ON candle_chunks
      BEGIN SELECT RAISE(ABORT, 'candle chunks are immutable'); END;
      CREATE TRIGGER datasets_content_immutable
      BEFORE UPDATE OF symbol, timeframe, version, content_hash, rows, first_time, last_time ON datasets
      BEGIN SELECT RAISE(ABORT, 'dataset content is immutable; import a new version instead'); END;
    `);
  },
};
