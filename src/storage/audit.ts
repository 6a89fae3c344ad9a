/**
 * The audit log: one row per compute or write tool call (time, client id, tool, tier, the run
 * it made if any, success), written after the call returns. Append-only (a trigger refuses
 * updates); nothing secret is stored: client ids are `oauth:<client_id>`, `token:<digest
 * prefix>`, `addr:<address>` or `local`.
 */
import { statement, type Db } from './db.js';

export interface AuditRow {
  readonly id: number;
  readonly at: number;
  readonly client_id: string;
  readonly tool: string;
  readonly tier: 'compute' | 'write';
  readonly run_id: string | null;
  readonly ok: 0 | 1;
}

export function recordAudit(db: Db, r: Omit<AuditRow, 'id'>): void {
  statement(db, 'INSERT INTO audit_log (at, client_id, tool, tier, run_id, ok) VALUES (?, ?, ?, ?, ?, ?)').run(r.at, r.client_id, r.tool, r.tier, r.run_id, r.ok);
}

/** The newest entries first, optionally of one client id. */
export function listAudit(db: Db, opts: { readonly clientId?: string; readonly limit: number }): AuditRow[] {
  return (
    opts.clientId === undefined
      ? statement(db, 'SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT ?').all(opts.limit)
      : statement(db, 'SELECT * FROM audit_log WHERE client_id = ? ORDER BY at DESC, id DESC LIMIT ?').all(opts.clientId, opts.limit)
  ) as AuditRow[];
}
