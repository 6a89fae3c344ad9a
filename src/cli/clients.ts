/** `tradelab clients list | revoke CLIENT_ID | audit [CLIENT_ID]`: the OAuth clients of `serve --http --auth oauth`. */
import { openApp } from '../research/app.js';
import { auditEntries, listOAuthClients, revokeOAuthClient, type ClientView } from '../research/clients.js';
import { UserError } from '../research/errors.js';
import { numberFlag, out, parse } from './args.js';

export const CLIENTS_HELP = `tradelab clients <list|revoke|audit> [options]

  list                      the OAuth clients that registered with the built-in authorization
                            server (serve --http --auth oauth): name, status, scopes of their live
                            tokens, audited calls, redirect URIs
  revoke CLIENT_ID          revoke a client: its tokens stop working at once (a running server
                            checks every request) and it cannot refresh; it may register again,
                            which needs your approval on the consent page again
  audit [CLIENT_ID] [--limit N]
                            the newest compute and write tool calls (time, client, tool, tier,
                            run id), of one client or all (default limit 50)

CLIENT_ID may be a unique prefix of 4+ characters. Every command accepts --json.
Store: $TRADELAB_HOME (default ./.tradelab).`;

function clientLine(c: ClientView): string {
  const tokens = c.status === 'active' ? `${c.access_tokens} access / ${c.refresh_tokens} refresh token(s)` : `revoked ${c.revoked_at}`;
  return [
    `${c.client_id}  ${c.name === null ? '(no name)' : JSON.stringify(c.name)}  ${c.status}${c.confidential ? ', confidential' : ''}`,
    `    scopes: ${c.scopes.join(' ') || '-'}; ${tokens}; ${c.calls} compute/write call(s)${c.last_call_at ? `, last ${c.last_call_at}` : ''}`,
    `    registered ${c.registered_at}; redirect ${c.redirect_uris.map((u) => JSON.stringify(u)).join(', ') || '-'}`,
  ].join('\n');
}

export async function clientsCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, { json: { type: 'boolean' }, limit: { type: 'string' } }, 'clients', 2);
  const [sub, id] = positionals;
  if (v.help || sub === undefined) return (out(CLIENTS_HELP), v.help ? 0 : 2);
  if (!['list', 'revoke', 'audit'].includes(sub)) throw new UserError(`clients: unknown command ${JSON.stringify(sub)}`, { field: 'command', value: sub, expected: 'list, revoke CLIENT_ID or audit [CLIENT_ID]' });
  if (sub === 'revoke' && id === undefined) throw new UserError('clients revoke needs a CLIENT_ID', { field: 'CLIENT_ID', hint: 'see `tradelab clients list`' });
  if (sub === 'list' && id !== undefined) throw new UserError(`clients list takes no argument (got ${JSON.stringify(id)})`, { field: id, hint: 'run `tradelab clients --help`' });
  const limit = numberFlag(v.limit, 'limit') ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UserError('--limit must be a whole number from 1 to 10000', { field: '--limit', value: v.limit });
  const app = openApp();
  try {
    if (sub === 'list') {
      const clients = listOAuthClients(app);
      if (v.json) out(JSON.stringify({ clients }));
      else out(clients.length ? `${clients.length} OAuth client(s):\n${clients.map(clientLine).join('\n')}` : 'No OAuth clients have registered (serve --http --auth oauth lets them).');
    } else if (sub === 'revoke') {
      const r = revokeOAuthClient(app, id as string);
      if (v.json) out(JSON.stringify(r));
      else out(`${r.newly_revoked ? 'Revoked' : 'Already revoked:'} ${r.client_id} ${r.name === null ? '' : JSON.stringify(r.name)}; removed ${r.tokens_removed} token(s) and ${r.codes_removed} code(s).`);
    } else {
      const entries = auditEntries(app, { client: id, limit });
      if (v.json) out(JSON.stringify({ entries }));
      else out(entries.length ? entries.map((e) => `${e.at}  ${e.client_id}  ${e.tool} (${e.tier})${e.run_id ? `  run ${e.run_id}` : ''}${e.ok ? '' : '  FAILED'}`).join('\n') : 'No compute or write calls recorded.');
    }
    return 0;
  } finally {
    app.db.close();
  }
}
