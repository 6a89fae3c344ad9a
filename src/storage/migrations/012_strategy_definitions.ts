import type { Migration } from './types.js';

/**
 * Strategies written in the strategy language (define_strategy, `tradelab strategy import`):
 * versioned and content-hashed. A name's versions are append-only (a changed document is a new
 * version; the same document again is the existing one), so every run, ledger entry and
 * champion that names a definition's hash can find exactly the document it used.
 */
export const migration012: Migration = {
  version: 12,
  name: 'strategy_definitions',
  up(db) {
    db.exec(`
      CREATE TABLE strategy_definitions (
        id          INTEGER PRIMARY KEY,
        name        TEXT    NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        hash        TEXT    NOT NULL,
        document    TEXT    NOT NULL,
        source      TEXT,
        created_at  INTEGER NOT NULL,
        created_by  TEXT,
        UNIQUE (name, version),
        UNIQUE (name, hash)
      ) STRICT;
      CREATE INDEX strategy_definitions_by_hash ON strategy_definitions (hash);
      CREATE TRIGGER strategy_definitions_append_only BEFORE UPDATE ON strategy_definitions
      BEGIN SELECT RAISE(ABORT, 'strategy definitions are append-only'); END;
      CREATE TRIGGER strategy_definitions_no_delete BEFORE DELETE ON strategy_definitions
      BEGIN SELECT RAISE(ABORT, 'strategy definitions are append-only'); END;
    `);
  },
};
