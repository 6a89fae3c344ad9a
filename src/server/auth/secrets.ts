/** Random bearer secrets and the digests under which they are stored (never the secrets). */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** 256 random bits, base64url, after a short prefix naming what it is (`tla_` access token, …). */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** The stored form of a code, token or client secret: sha256, hex. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function newId(): string {
  return randomUUID();
}

/** Two resource identifiers name the same resource: equal up to a fragment and one trailing slash (as the SDK compares). */
export function sameResource(a: string, b: string): boolean {
  const norm = (s: string): string => s.split('#')[0].replace(/\/$/, '');
  return norm(a) === norm(b);
}
