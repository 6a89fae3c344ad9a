/**
 * The OAuth clients of the built-in authorization server and the audit log, for `tradelab
 * clients` (list, revoke, audit). Revocation takes effect on the next request of a running
 * server: every request checks its token against the store. Nothing secret is ever shown (the
 * store holds only digests).
 */
import { listAudit, type AuditRow } from '../storage/audit.js';
import { getClient, listClients, revokeClient } from '../storage/oauth-clients.js';
import type { App } from './app.js';
import { UserError } from './errors.js';

export interface ClientView {
  readonly client_id: string;
  /** The name the client registered itself with (data from the client, not verified). */
  readonly name: string | null;
  readonly status: 'active' | 'revoked';
  readonly confidential: boolean;
  readonly redirect_uris: readonly string[];
  /** The scopes of its live tokens. */
  readonly scopes: readonly string[];
  readonly access_tokens: number;
  readonly refresh_tokens: number;
  /** Compute and write calls in the audit log. */
  readonly calls: number;
  readonly last_call_at: string | null;
  readonly registered_at: string;
  readonly revoked_at: string | null;
}

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

export function listOAuthClients(app: App): ClientView[] {
  return listClients(app.db, app.now()).map((c) => {
    const meta = JSON.parse(c.metadata) as { redirect_uris?: unknown };
    return {
      client_id: c.client_id,
      name: c.client_name,
      status: c.revoked_at === null ? 'active' : 'revoked',
      confidential: c.secret_hash !== null,
      redirect_uris: Array.isArray(meta.redirect_uris) ? meta.redirect_uris.map(String) : [],
      scopes: c.scopes ? c.scopes.split(' ') : [],
      access_tokens: c.access_tokens,
      refresh_tokens: c.refresh_tokens,
      calls: c.calls,
      last_call_at: iso(c.last_call_at),
      registered_at: iso(c.created_at) as string,
      revoked_at: iso(c.revoked_at),
    };
  });
}

/** An exact client id, or a unique prefix of at least 4 characters. */
function resolveClientId(app: App, id: string): string {
  if (getClient(app.db, id)) return id;
  const ids = listClients(app.db, app.now()).map((c) => c.client_id);
  const matches = id.length >= 4 ? ids.filter((c) => c.startsWith(id)) : [];
  if (matches.length === 1) return matches[0];
  throw new UserError(`no OAuth client ${JSON.stringify(id)}${matches.length > 1 ? ` (the prefix matches ${matches.length} clients)` : ''}`, {
    field: 'CLIENT_ID',
    value: id,
    expected: ids.length ? `one of the ids \`tradelab clients list\` shows (or a unique prefix of 4+ characters): ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}` : 'a registered client id; none is registered yet',
  });
}

export interface RevokeView {
  readonly client_id: string;
  readonly name: string | null;
  /** False when it was revoked before (its tokens are removed again anyway). */
  readonly newly_revoked: boolean;
  readonly tokens_removed: number;
  readonly codes_removed: number;
}

export function revokeOAuthClient(app: App, id: string): RevokeView {
  const clientId = resolveClientId(app, id);
  const r = revokeClient(app.db, clientId, app.now());
  if (!r) throw new UserError(`no OAuth client ${JSON.stringify(id)}`, { field: 'CLIENT_ID', value: id });
  return { client_id: clientId, name: getClient(app.db, clientId)?.client_name ?? null, newly_revoked: r.revoked, tokens_removed: r.tokens_removed, codes_removed: r.codes_removed };
}

export interface AuditView extends Omit<AuditRow, 'at' | 'ok'> {
  readonly at: string;
  readonly ok: boolean;
}

/**
 * Audit entries, newest first. `client` is an audit client id (`oauth:…`, `token:…`, `addr:…`,
 * `local`) or an OAuth client id (or unique prefix), which means `oauth:<id>`.
 */
export function auditEntries(app: App, opts: { readonly client?: string; readonly limit: number }): AuditView[] {
  let clientId = opts.client;
  if (clientId !== undefined && !/^(oauth|token|addr):|^local$/.test(clientId)) clientId = `oauth:${resolveClientId(app, clientId)}`;
  return listAudit(app.db, { clientId, limit: opts.limit }).map((r) => ({ ...r, at: new Date(r.at).toISOString(), ok: r.ok === 1 }));
}
