/**
 * HTML of the owner's consent page: which client asks (its self-declared name is data, shown
 * escaped, with its id and redirect URI), which scopes (checkboxes, the requested ones
 * checked), what each scope lets it call, and Approve / Deny. No scripts.
 */
import { escapeHtml as e, PAGE_CSS } from '../../report/html.js';
import { ALL_TOOLS } from '../../tools/index.js';
import type { Tier } from '../../tools/types.js';
import type { PendingAuthorization } from './pending.js';
import { SCOPES, tiersOfScopes, type Scope } from './scopes.js';

/** Sent as a header: no scripts, no framing (clickjacking), forms to this origin or the client's redirect after it. */
export const CONSENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

const WHAT: Record<Scope, string> = {
  'tradelab:read': 'read datasets, runs, studies, champions and charts',
  'tradelab:compute': 'run backtests, optimisations, walk-forward and batches, and cancel runs (includes read)',
  'tradelab:write': 'import data, store strategies, promote or roll back champions, delete runs (includes compute and read)',
};

function toolsOf(tier: Tier): string {
  return ALL_TOOLS.filter((t) => t.tier === tier)
    .map((t) => t.name)
    .join(', ');
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin"><title>${e(title)}</title><style>${PAGE_CSS}
main { max-width: 720px; } label.scope { display: block; margin: 8px 0; } .tools { color: var(--muted); font-size: 12px; margin-left: 24px; }
button { font: inherit; padding: 6px 16px; margin-right: 12px; } .warn { background: var(--warn-bg); border: 1px solid var(--warn-line); border-radius: 6px; padding: 8px; }
</style></head><body><main><h1>${e(title)}</h1>
${body}
</main></body></html>`;
}

export interface ConsentView {
  readonly pending: PendingAuthorization;
  readonly nonce: string;
  /** The tiers the server allows (`--allow`): scopes beyond them grant nothing yet. */
  readonly allow: ReadonlySet<Tier>;
  readonly error?: string;
}

export function consentPage(v: ConsentView): string {
  const p = v.pending;
  const requested = p.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
  const unknown = p.scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  const checked = requested.length ? new Set(requested) : new Set<Scope>(['tradelab:read']);
  const boxes = SCOPES.map((s) => {
    const tier = [...tiersOfScopes([s])].pop() as Tier;
    const off = v.allow.has(tier) ? '' : ` <em>(off on this server: restart it with --allow ${tier === 'write' ? 'compute,write' : 'compute'} for this to take effect)</em>`;
    return `<label class="scope"><input type="checkbox" name="scope" value="${e(s)}"${checked.has(s) ? ' checked' : ''}> <b>${e(s)}</b>: ${e(WHAT[s])}${off}<div class="tools">${e(toolsOf(tier))}</div></label>`;
  }).join('\n');
  const name = p.clientName ? `“${e(p.clientName)}”` : '<em>an unnamed client</em>';
  return page(
    'Authorize an MCP client',
    `${v.error ? `<p class="warn">${e(v.error)}</p>` : ''}
<p>${name} (client id <code>${e(p.clientId)}</code>) asks for access to this tradelab server (<code>${e(p.resource)}</code>).
The name is what the client registered itself with; check the redirect address below before approving.</p>
<table><tr><th>Redirect to</th><td><code>${e(p.redirectUri)}</code></td></tr>
<tr><th>Requested</th><td>${e(p.scopes.join(' ') || '(no scope named)')}</td></tr></table>
${unknown.length ? `<p class="warn">Unknown scope(s) ignored: ${e(unknown.join(' '))}</p>` : ''}
<form method="post" action="/oauth/consent">
<input type="hidden" name="request" value="${e(p.id)}"><input type="hidden" name="nonce" value="${e(v.nonce)}">
<fieldset><legend>Grant</legend>
${boxes}
</fieldset>
<p><button type="submit" name="decision" value="approve">Approve</button><button type="submit" name="decision" value="deny">Deny</button></p>
</form>
<p class="subtitle">Revoke a client later with <code>tradelab clients revoke ${e(p.clientId)}</code>.</p>`,
  );
}

/** The owner has no session cookie in this browser yet: a form that adds `?token=` to this URL. */
export function signInPage(requestId: string): string {
  return page(
    'Owner sign-in',
    `<p>Approving MCP clients needs the server's owner token (the <code>$TRADELAB_TOKEN</code> the server was started with). It is checked once and then kept in an HttpOnly cookie for this browser.</p>
<form method="get" action="/oauth/consent"><input type="hidden" name="request" value="${e(requestId)}">
<label>Owner token <input type="password" name="token" autocomplete="current-password" required></label> <button type="submit">Continue</button></form>`,
  );
}

/**
 * Arriving from the client's site (a cross-site redirect), the browser withholds SameSite=Strict
 * cookies; a same-site reload of this page sends them.
 */
export function reloadPage(location: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${e(location)}"><title>Continue</title></head><body><p><a href="${e(location)}">Continue</a></p></body></html>`;
}
