import type { PgMigration } from './types.js';

/**
 * Datasets a remote worker needs to run a backtest, found by content hash (the sha256 of
 * storage/datasets.ts `contentHash`): each candle column as raw little-endian Float64 bytes,
 * the same bytes SQLite keeps in `candle_columns` (storage/candles.ts), one BYTEA per column
 * (PostgreSQL holds up to 1 GB in one value: 134 million bars). Rows never change.
 */
export const migration002: PgMigration = {
  version: 2,
  name: 'datasets',
  sql: `
    CREATE TABLE tradelab_datasets (
      content_hash  TEXT PRIMARY KEY CHECK (content_hash ~ '^[0-9a-f]{64}$'),
      symbol        TEXT NOT NULL,
      timeframe     TEXT NOT NULL,
      bars          INTEGER NOT NULL CHECK (bars >= 1),
      time          BYTEA NOT NULL CHECK (length(time) = 8 * bars),
      open          BYTEA NOT NULL CHECK (length(open) = 8 * bars),
      high          BYTEA NOT NULL CHECK (length(high) = 8 * bars),
      low           BYTEA NOT NULL CHECK (length(low) = 8 * bars),
      close         BYTEA NOT NULL CHECK (length(close) = 8 * bars),
      volume        BYTEA NOT NULL CHECK (length(volume) = 8 * bars),
      created_at    TIMESTAMP NOT NULL
    );

    CREATE FUNCTION tradelab_datasets_immutable() RETURNS TRIGGER LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'dataset % is immutable; different candles are a different dataset', OLD.content_hash
        USING ERRCODE = 'integrity_constraint_violation';
    END $$;
    CREATE TRIGGER tradelab_datasets_immutable BEFORE UPDATE ON tradelab_datasets
      FOR EACH ROW EXECUTE FUNCTION tradelab_datasets_immutable();
  `,
};
