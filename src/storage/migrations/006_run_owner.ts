import type { Migration } from './types.js';

/**
 * Which process owns a queued/running run (`host:pid`), so that a process starting up marks
 * only runs whose owner is gone as interrupted — never the live jobs of a running server.
 */
export const migration006: Migration = {
  version: 6,
  name: 'run_owner',
  up(db) {
    db.exec('ALTER TABLE runs ADD COLUMN owner TEXT');
  },
};
