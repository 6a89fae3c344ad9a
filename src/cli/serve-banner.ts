/** The start-up banner of `tradelab serve --http` (stderr): where, who may do what, how to connect. */
import type { HttpHandle } from '../server/http.js';
import type { HttpMode } from '../server/modes.js';
import { TIERS } from '../tools/types.js';

export function httpBanner(mode: HttpMode, handle: HttpHandle, store: string, datasets: number): string[] {
  const on = TIERS.filter((t) => mode.tiers.has(t));
  const off = TIERS.filter((t) => !mode.tiers.has(t));
  const oauth = handle.transport.oauth;
  const url = oauth?.resource ?? handle.url;
  const authWords = oauth ? `OAuth 2.1 ON (${oauth.built_in ? 'built-in authorization server' : `tokens from ${oauth.authorization_server}`})` : mode.token !== null ? 'bearer-token auth ON' : 'no auth';
  const lines = [
    `tradelab: serving MCP (stateless Streamable HTTP) at ${handle.url}${oauth && url !== handle.url ? ` (public: ${url})` : ''}`,
    `  Dashboard:    ${url.replace(/\/mcp$/, '/')}${mode.token !== null ? '?token=$TRADELAB_TOKEN (once; then a cookie)' : oauth ? ' (closed: it needs $TRADELAB_TOKEN)' : ''} (read-only: runs, studies, champions, datasets, reports)`,
    `tradelab: ${mode.remote ? 'REMOTE' : 'local'} server, ${authWords}; tiers: ${on.join(', ')}${off.length ? ` (off: ${off.join(', ')}; enable with --allow ${mode.tiers.has('compute') ? 'compute,write' : 'compute'})` : ''}`,
  ];
  if (oauth) {
    lines.push(
      `tradelab: OAuth: tokens are bound to ${oauth.resource}; metadata at ${oauth.resource_metadata}${oauth.built_in ? `; authorization server ${oauth.authorization_server}` : ''}`,
      `tradelab: OAuth: a client may use the tiers above that its token's scopes grant (${oauth.scopes_supported.join(', ')}; each includes the ones before it): --allow is the ceiling, the scopes restrict each client${mode.token !== null ? '; the owner token works as a bearer with every tier above' : ''}`,
    );
    if (oauth.built_in) lines.push('tradelab: OAuth: clients register themselves; you approve each one on the consent page (the owner token, once per browser). List or revoke them with `tradelab clients list | revoke CLIENT_ID`.');
  }
  if (mode.allowedHosts.length) lines.push(`tradelab: extra allowed Host names: ${handle.transport.allowed_hosts.join(', ')}`);
  if (mode.allowedOrigins.length) lines.push(`tradelab: allowed browser origins: ${mode.allowedOrigins.join(', ')}`);
  lines.push(`tradelab: store ${store} (${datasets} datasets)`);
  for (const w of mode.warnings) lines.push(`tradelab: warning: ${w}`);
  const header = !oauth && mode.token !== null;
  lines.push(
    'tradelab: connect:',
    `  Claude Code:  claude mcp add --transport http tradelab ${url}${header ? ' --header "Authorization: Bearer $TRADELAB_TOKEN"' : ''}${oauth ? ' (then /mcp to sign in)' : ''}`,
    `  Inspector:    npx -y -p node@22 -p @modelcontextprotocol/inspector@2.12.0 -- mcp-inspector --cli ${url} --method tools/list${mode.token !== null ? ' --header "Authorization: Bearer $TRADELAB_TOKEN"' : ''}`,
    `  .mcp.json:    {"mcpServers": {"tradelab": {"type": "http", "url": "${url}"${header ? ', "headers": {"Authorization": "Bearer ${TRADELAB_TOKEN}"}' : ''}}}}`,
    oauth
      ? `  ChatGPT / claude.ai: add a connector (ChatGPT: developer mode; claude.ai: custom connector) with the URL ${url}; approve it on the consent page that opens.`
      : '  ChatGPT / claude.ai connectors need a public HTTPS URL and OAuth: put a tunnel in front and add --auth oauth --public-url https://<tunnel> (README).',
  );
  return lines;
}
