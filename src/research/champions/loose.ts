/**
 * Reading the loosely typed JSON that runs store (spec, summary) without `any`: small
 * narrowing helpers that return undefined instead of throwing.
 */
import { parseDateBound } from '../../engine/data/slice.js';
import { fingerprint } from '../fingerprint.js';

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Epoch ms from a number (ms) or a date string; undefined when absent or unreadable. */
export function timeMs(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string' || v === '') return undefined;
  try {
    return parseDateBound(v);
  } catch {
    return undefined;
  }
}

/** Structural equality of two params objects (canonical JSON). */
export function sameParams(a: unknown, b: unknown): boolean {
  return fingerprint(a) === fingerprint(b);
}

const HEADLINE = ['return_pct', 'sharpe', 'sortino', 'max_drawdown_pct', 'trades', 'win_rate_pct', 'profit_factor', 'score', 'psr', 'dsr', 'dsr_n'] as const;

/** The headline numbers of a metrics-like object (numbers or null only). */
export function headline(m: unknown): Record<string, number | null> {
  const o = obj(m) ?? {};
  const out: Record<string, number | null> = {};
  for (const k of HEADLINE) {
    if (!(k in o)) continue;
    const v = o[k];
    out[k] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  return out;
}

export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
