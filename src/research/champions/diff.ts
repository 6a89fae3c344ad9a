/**
 * What a promotion would change: the params that differ from the incumbent's, and the
 * headline metrics side by side (the incumbent's as recorded at its promotion, the
 * candidate's from its evidence). The like-for-like comparison on the same days is the
 * beats_incumbent gate.
 */
import type { ChampionVersion } from '../../storage/champions.js';
import { canonicalJson } from '../fingerprint.js';
import { headline, obj } from './loose.js';

export interface ParamChange {
  readonly param: string;
  readonly incumbent: unknown;
  readonly candidate: unknown;
}

export interface MetricChange {
  readonly metric: string;
  readonly incumbent: number | null;
  readonly candidate: number | null;
  readonly delta: number | null;
}

export interface ChampionDiff {
  readonly incumbent_version: number | null;
  readonly params_changed: ParamChange[];
  readonly params_identical: boolean;
  readonly metrics: MetricChange[];
  readonly note: string;
}

export function diffAgainst(incumbent: ChampionVersion | null, params: Record<string, unknown>, metrics: Record<string, unknown>): ChampionDiff {
  if (!incumbent) {
    return { incumbent_version: null, params_changed: Object.keys(params).sort().map((p) => ({ param: p, incumbent: null, candidate: params[p] })), params_identical: false, metrics: [], note: 'no incumbent: every parameter is new' };
  }
  const keys = [...new Set([...Object.keys(incumbent.params), ...Object.keys(params)])].sort();
  const changed = keys
    .filter((k) => canonicalJson(incumbent.params[k] ?? null) !== canonicalJson(params[k] ?? null))
    .map((k) => ({ param: k, incumbent: incumbent.params[k] ?? null, candidate: params[k] ?? null }));
  const inc = headline(incumbent.metrics);
  const cand = headline(metrics);
  const names = [...new Set([...Object.keys(inc), ...Object.keys(cand)])];
  const rows = names.map((m) => {
    const a = inc[m] ?? null;
    const b = cand[m] ?? null;
    return { metric: m, incumbent: a, candidate: b, delta: a !== null && b !== null ? b - a : null };
  });
  const incSource = obj(incumbent.metrics)?.source ?? 'unknown';
  return {
    incumbent_version: incumbent.version,
    params_changed: changed,
    params_identical: changed.length === 0,
    metrics: rows,
    note: `incumbent metrics as recorded at its promotion (${String(incSource)} data); candidate metrics from its evidence. These may cover different periods; beats_incumbent compares both on the same days.`,
  };
}
