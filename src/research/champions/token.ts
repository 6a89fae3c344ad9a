/**
 * Confirm tokens of the two-step promotion. A dry run issues
 *   ct1.<expiry, base 36 ms>.<incumbent version>.<candidate>.<gate report>.<overrides>.<mac>
 * where the three middle fields are 16-hex prefixes of sha256 fingerprints and `mac` is an
 * HMAC-SHA256 over everything before it, keyed with the database's own random secret
 * (migration 005). Confirming recomputes the binding and refuses, with the specific reason,
 * a token that was forged or altered (or comes from another database), has expired, names
 * another candidate or other overrides, or was issued before the champion or the gate
 * report changed. Stateless: nothing is stored per token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { UserError } from '../errors.js';
import { fingerprint } from '../fingerprint.js';
import { iso } from './loose.js';

export interface TokenBinding {
  /** Candidate ref, resolved key and params. */
  readonly candidate: unknown;
  readonly incumbent_version: number | null;
  /** The gate results and thresholds (without the overrides). */
  readonly gate_report: unknown;
  /** Gate overrides with reasons and per-call threshold changes. */
  readonly overrides: unknown;
}

const PREFIX = 'ct1';
const short = (v: unknown): string => fingerprint(v).slice(0, 16);

function mac(secret: Buffer, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

function fields(b: TokenBinding): { iv: string; c: string; g: string; o: string } {
  return { iv: String(b.incumbent_version ?? 0), c: short(b.candidate), g: short(b.gate_report), o: short(b.overrides) };
}

export function issueToken(secret: Buffer, b: TokenBinding, expiresAt: number): string {
  const f = fields(b);
  const body = [PREFIX, Math.floor(expiresAt).toString(36), f.iv, f.c, f.g, f.o].join('.');
  return `${body}.${mac(secret, body)}`;
}

const refuse = (why: string, hint = 'run champion_promote with dry_run: true again and confirm with the new token'): UserError =>
  new UserError(`confirm_token refused: ${why}`, { field: 'confirm_token', hint });

/** Throws a UserError naming why the token does not confirm this promotion. */
export function verifyToken(secret: Buffer, token: string, current: TokenBinding, now: number): void {
  const parts = token.trim().split('.');
  if (parts.length !== 7 || parts[0] !== PREFIX || !/^[0-9a-f]{64}$/.test(parts[6])) {
    throw refuse('it is not a confirm token issued by champion_promote (malformed)');
  }
  const body = parts.slice(0, 6).join('.');
  const expected = Buffer.from(mac(secret, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(parts[6], 'hex'))) {
    throw refuse('its signature does not match: it was altered, forged, or issued by another tradelab database');
  }
  const [, exp36, iv, c, g, o] = parts;
  const expiresAt = parseInt(exp36, 36);
  if (!(now <= expiresAt)) throw refuse(`it expired at ${iso(expiresAt)}`);
  const f = fields(current);
  if (c !== f.c) throw refuse('it was issued for a different candidate (run, trial or params)');
  if (o !== f.o) throw refuse('it was issued with different overrides or gate_overrides; confirm with exactly the arguments of the dry run');
  if (iv !== f.iv) {
    throw refuse(`the champion changed since the dry run (it was ${iv === '0' ? 'absent' : `version ${iv}`}, now ${f.iv === '0' ? 'absent' : `version ${f.iv}`}); the comparison with the incumbent is stale`);
  }
  if (g !== f.g) {
    throw refuse('the gate report changed since the dry run (gate thresholds, new trials in the ledger family, or new out-of-sample evidence)');
  }
}
