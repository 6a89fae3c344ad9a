import type { PgMigration } from './types.js';

/**
 * Backtest tasks for remote workers (the items of a batch run with n_workers: "external"):
 * a queue taken with FOR UPDATE SKIP LOCKED. Each row holds the engine task (JSON, its
 * dataset by content hash in tradelab_datasets) and, once a worker ran it, the result (JSON,
 * non-finite numbers tagged) or the error. A RUNNING task whose heartbeat is older than the
 * grace goes back to WAITING (at most 3 attempts, then FAIL).
 */
export const migration004: PgMigration = {
  version: 4,
  name: 'tasks',
  sql: `
    CREATE TABLE tradelab_tasks (
      task_id      BIGSERIAL PRIMARY KEY,
      queue        TEXT NOT NULL,
      item         INTEGER NOT NULL,
      task         TEXT NOT NULL,
      state        TEXT NOT NULL DEFAULT 'WAITING' CHECK (state IN ('WAITING', 'RUNNING', 'DONE', 'FAIL')),
      owner        TEXT,
      heartbeat    TIMESTAMP,
      attempts     INTEGER NOT NULL DEFAULT 0,
      grace_ms     INTEGER NOT NULL CHECK (grace_ms > 0),
      result       TEXT,
      error        TEXT,
      created_at   TIMESTAMP NOT NULL,
      finished_at  TIMESTAMP,
      UNIQUE (queue, item)
    );
    CREATE INDEX tradelab_tasks_waiting ON tradelab_tasks (task_id) WHERE state = 'WAITING';
    CREATE INDEX tradelab_tasks_running ON tradelab_tasks (heartbeat) WHERE state = 'RUNNING';
  `,
};
