/**
 * The consent endpoint of the built-in authorization server, `/oauth/consent`:
 * - GET shows the parked authorization request to the owner (src/server/auth/consent-page.ts)
 *   with a fresh nonce. The owner proves themself once per browser with `?token=` (then an
 *   HttpOnly SameSite=Strict cookie, as for the dashboard, src/server/owner-session.ts).
 * - POST (the form) approves with the checked scopes or denies; it needs the owner's cookie
 *   (or header), the nonce of the page it came from, and passes the server's Origin check.
 *   Approval redirects to the client with a code (and its `state`); denial with
 *   `error=access_denied`.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Tier } from '../../tools/types.js';
import { isOwner, proveOwner } from '../owner-session.js';
import { CONSENT_CSP, consentPage, page, reloadPage, signInPage } from './consent-page.js';
import type { PendingAuthorization, PendingAuthorizations } from './pending.js';
import type { TradelabOAuthProvider } from './provider.js';
import { CONSENT_PATH } from './provider.js';
import { SCOPES } from './scopes.js';

export interface ConsentOptions {
  readonly provider: TradelabOAuthProvider;
  readonly pending: PendingAuthorizations;
  /** The owner's secret (`--token`). */
  readonly ownerToken: string;
  readonly allow: ReadonlySet<Tier>;
}

function html(res: Response, status: number, body: string, headers: Record<string, string> = {}): void {
  res
    .status(status)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin', 'Content-Security-Policy': CONSENT_CSP, ...headers })
    .send(body);
}

const unknownRequest = (res: Response): void =>
  html(res, 400, page('Authorization request not found', '<p>This authorization request is unknown or expired (requests wait 10 minutes; a decision is made once). Start connecting again from the client.</p>'));

function redirectTo(p: PendingAuthorization, params: Record<string, string>): string {
  const url = new URL(p.redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  if (p.state !== undefined) url.searchParams.set('state', p.state);
  return url.href;
}

export function consentRouter(o: ConsentOptions): Router {
  const router = express.Router();

  router.get(CONSENT_PATH, (req: Request, res: Response) => {
    const url = new URL(req.originalUrl, 'http://consent.invalid');
    const id = url.searchParams.get('request') ?? '';
    const proof = proveOwner(req, url, o.ownerToken);
    if (proof.kind === 'wrong') return html(res, 401, page('Wrong token', '<p>That is not the owner token of this server.</p>'));
    if (proof.kind === 'remember') return html(res, 303, '', { Location: proof.location, 'Set-Cookie': proof.cookie });
    const pending = o.pending.get(id);
    if (!pending) return unknownRequest(res);
    if (proof.kind === 'absent') {
      if (url.searchParams.get('r') !== '1') return html(res, 200, reloadPage(`${CONSENT_PATH}?request=${encodeURIComponent(id)}&r=1`));
      return html(res, 401, signInPage(id));
    }
    html(res, 200, consentPage({ pending, nonce: o.pending.issueNonce(id), allow: o.allow }));
  });

  router.post(CONSENT_PATH, express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 }), (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!isOwner(req, o.ownerToken)) return html(res, 401, page('Owner sign-in needed', '<p>Only the server owner may approve clients; open the consent link again and sign in.</p>'));
    const id = typeof body.request === 'string' ? body.request : '';
    const pending = o.pending.get(id);
    if (!pending) return unknownRequest(res);
    if (!o.pending.nonceMatches(id, body.nonce)) return html(res, 403, page('Stale form', '<p>This form is stale or did not come from this server’s consent page. Reload the consent page and decide again.</p>'));
    if (body.decision === 'deny') {
      o.pending.take(id);
      return res.redirect(303, redirectTo(pending, { error: 'access_denied', error_description: 'the server owner denied the request' }));
    }
    if (body.decision !== 'approve') return html(res, 400, page('No decision', '<p>Press Approve or Deny.</p>'));
    const chosen = ([] as unknown[]).concat(body.scope ?? []).filter((s): s is string => typeof s === 'string' && (SCOPES as readonly string[]).includes(s));
    if (chosen.length === 0) {
      return html(res, 400, consentPage({ pending, nonce: o.pending.issueNonce(id), allow: o.allow, error: 'Select at least one scope to approve, or deny.' }));
    }
    o.pending.take(id);
    res.redirect(303, redirectTo(pending, { code: o.provider.issueCode(pending, chosen) }));
  });

  return router;
}
