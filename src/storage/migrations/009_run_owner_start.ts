import type { Migration } from './types.js';

/**
 * A run's owner was `host:pid` alone, so a dead owner whose PID was reused (by any process,
 * or by the next tradelab in a container, where PIDs repeat) kept its runs `running`
 * forever. `owner_start` records the owner's start token (storage/process-identity.ts):
 * the kernel's boot id and the process's start time where /proc has them, else a random id
 * of the process. Existing rows keep NULL and are judged by their PID, as before.
 */
export const migration009: Migration = {
  version: 9,
  name: 'run_owner_start',
  up(db) {
    db.exec('ALTER TABLE runs ADD COLUMN owner_start TEXT');
  },
};
