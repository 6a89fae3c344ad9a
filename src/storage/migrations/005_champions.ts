import type { Migration } from './types.js';

/**
 * The champion registry (DESIGN.md §3 Champion): per (strategy, symbol, timeframe) an
 * append-only history of versions and a pointer to the current one.
 *
 * - `champion_versions` never changes: UPDATE and DELETE are refused; versions of a key are
 *   consecutive (1, 2, 3, …) and a rollback row points at an existing earlier version of the
 *   same key. Source runs are referenced by id without a foreign key, so deleting a run never
 *   touches the audit history.
 * - `champions` holds the current version per key and only moves forward (a rollback is a
 *   new version), so `UPDATE … WHERE version = <expected>` is the compare-and-set that makes
 *   racing promotions fail cleanly.
 * - `champion_secret`: a random per-database key for the HMAC of promotion confirm tokens.
 */
export const migration005: Migration = {
  version: 5,
  name: 'champions',
  up(db) {
    db.exec(`
      CREATE TABLE champion_versions (
        id              INTEGER PRIMARY KEY,
        strategy        TEXT    NOT NULL,
        symbol          TEXT    NOT NULL,
        timeframe       TEXT    NOT NULL,
        version         INTEGER NOT NULL CHECK (version >= 1),
        params          TEXT    NOT NULL,
        metrics         TEXT    NOT NULL,
        source_run_id   TEXT,
        source_trial    INTEGER CHECK (source_trial IS NULL OR source_trial >= 0),
        evidence        TEXT    NOT NULL,
        dataset_hash    TEXT    NOT NULL,
        engine_version  TEXT    NOT NULL,
        promoted_at     INTEGER NOT NULL,
        promoted_by     TEXT    NOT NULL,
        reason          TEXT    NOT NULL,
        rollback_of     INTEGER CHECK (rollback_of IS NULL OR (rollback_of >= 1 AND rollback_of < version)),
        UNIQUE (strategy, symbol, timeframe, version)
      ) STRICT;

      CREATE TRIGGER champion_versions_consecutive BEFORE INSERT ON champion_versions
      WHEN NEW.version <> 1 + COALESCE((SELECT MAX(version) FROM champion_versions
                                        WHERE strategy = NEW.strategy AND symbol = NEW.symbol AND timeframe = NEW.timeframe), 0)
      BEGIN SELECT RAISE(ABORT, 'champion versions are consecutive per (strategy, symbol, timeframe)'); END;

      CREATE TRIGGER champion_versions_rollback_target BEFORE INSERT ON champion_versions
      WHEN NEW.rollback_of IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM champion_versions
        WHERE strategy = NEW.strategy AND symbol = NEW.symbol AND timeframe = NEW.timeframe AND version = NEW.rollback_of)
      BEGIN SELECT RAISE(ABORT, 'rollback_of must name an earlier version of the same champion'); END;

      CREATE TRIGGER champion_versions_no_update BEFORE UPDATE ON champion_versions
      BEGIN SELECT RAISE(ABORT, 'champion history is append-only'); END;
      CREATE TRIGGER champion_versions_no_delete BEFORE DELETE ON champion_versions
      BEGIN SELECT RAISE(ABORT, 'champion history is append-only'); END;

      CREATE TABLE champions (
        strategy    TEXT    NOT NULL,
        symbol      TEXT    NOT NULL,
        timeframe   TEXT    NOT NULL,
        version     INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (strategy, symbol, timeframe),
        FOREIGN KEY (strategy, symbol, timeframe, version) REFERENCES champion_versions (strategy, symbol, timeframe, version)
      ) STRICT, WITHOUT ROWID;

      CREATE TRIGGER champions_forward_only BEFORE UPDATE ON champions
      WHEN NEW.version <= OLD.version OR NEW.strategy <> OLD.strategy OR NEW.symbol <> OLD.symbol OR NEW.timeframe <> OLD.timeframe
      BEGIN SELECT RAISE(ABORT, 'the champion pointer only moves forward (a rollback is a new version)'); END;
      CREATE TRIGGER champions_no_delete BEFORE DELETE ON champions
      BEGIN SELECT RAISE(ABORT, 'champions are never deleted; promote or roll back instead'); END;

      CREATE TABLE champion_secret (
        id      INTEGER PRIMARY KEY CHECK (id = 1),
        secret  BLOB    NOT NULL CHECK (length(secret) = 32)
      ) STRICT;
      INSERT INTO champion_secret (id, secret) VALUES (1, randomblob(32));
    `);
  },
};
