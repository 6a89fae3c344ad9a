/**
 * The owner's browser session for the pages behind the server's token (the dashboard, the
 * OAuth consent page): the owner opens a page once with `?token=…`, which is checked and kept
 * in an HttpOnly, SameSite=Strict cookie (the URL is then cleaned by a redirect), or sends
 * `Authorization: Bearer …`.
 */
import type { IncomingMessage } from 'node:http';
import { bearerChecker } from './security.js';

export const OWNER_COOKIE = 'tradelab_token';

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === OWNER_COOKIE) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The request carries the owner's token in its Authorization header or cookie. */
export function isOwner(req: IncomingMessage, token: string): boolean {
  const check = bearerChecker(token);
  const cookie = cookieToken(req);
  return check(req.headers.authorization) === 'ok' || (cookie !== undefined && check(`Bearer ${cookie}`) === 'ok');
}

export type OwnerProof =
  | { readonly kind: 'owner' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'wrong' }
  /** A right `?token=`: redirect to `location` (the URL without it) setting `cookie`. */
  | { readonly kind: 'remember'; readonly location: string; readonly cookie: string };

/** Checks `?token=` first (GET pages only), then the header and cookie. */
export function proveOwner(req: IncomingMessage, url: URL, token: string): OwnerProof {
  const given = url.searchParams.get('token');
  if (given !== null) {
    if (bearerChecker(token)(`Bearer ${given}`) !== 'ok') return { kind: 'wrong' };
    const clean = new URL(url);
    clean.searchParams.delete('token');
    return { kind: 'remember', location: `${clean.pathname}${clean.search}`, cookie: `${OWNER_COOKIE}=${encodeURIComponent(given)}; HttpOnly; SameSite=Strict; Path=/` };
  }
  return isOwner(req, token) ? { kind: 'owner' } : { kind: 'absent' };
}
