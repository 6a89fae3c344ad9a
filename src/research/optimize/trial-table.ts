/**
 * A stored study's trials, filtered in the spirit of freqtrade's `hyperopt-list` (--best,
 * --min-trades, --profitable, --max-drawdown) and as one table in the spirit of Optuna's
 * `trials_dataframe`: number, state, value(s), feasibility, times, one column per parameter
 * (its dotted path), one per stored metric, and why a trial failed.
 */
import { rankDistinct, rankTrials, topDistinct } from '../../engine/optimizer/objectives.js';
import { isFeasible, type FrozenTrial, type StudyDirection } from '../../engine/optimizer/trial.js';
import { failReasonOf } from './outcome.js';

export interface TrialFilters {
  /** Keep only the best N distinct configurations (after the other filters). */
  readonly best?: number;
  readonly min_trades?: number;
  /** return_pct > 0. */
  readonly profitable?: boolean;
  /** The max drawdown no deeper than this many percent (20 and −20 mean the same). */
  readonly max_drawdown_pct?: number;
}

export function hasFilters(f: TrialFilters): boolean {
  return f.best !== undefined || f.min_trades !== undefined || f.profitable === true || f.max_drawdown_pct !== undefined;
}

/** The filters in words: "trades >= 30, return_pct > 0, max_drawdown_pct >= -20, best 5 distinct". */
export function filtersText(f: TrialFilters): string {
  const parts: string[] = [];
  if (f.min_trades !== undefined) parts.push(`trades >= ${f.min_trades}`);
  if (f.profitable) parts.push('return_pct > 0');
  if (f.max_drawdown_pct !== undefined) parts.push(`max_drawdown_pct >= -${Math.abs(f.max_drawdown_pct)}`);
  if (f.best !== undefined) parts.push(`best ${f.best} distinct`);
  return parts.join(', ');
}

const metricOf = (t: FrozenTrial, key: string): number | null => {
  const m = t.user_attrs.metrics as Record<string, unknown> | undefined;
  const v = m?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/** Whether a trial's stored metrics meet the metric filters (a missing metric does not). */
function passes(t: FrozenTrial, f: TrialFilters): boolean {
  const trades = metricOf(t, 'trades');
  const ret = metricOf(t, 'return_pct');
  const dd = metricOf(t, 'max_drawdown_pct');
  if (f.min_trades !== undefined && (trades === null || trades < f.min_trades)) return false;
  if (f.profitable && (ret === null || ret <= 0)) return false;
  if (f.max_drawdown_pct !== undefined && (dd === null || Math.abs(dd) > Math.abs(f.max_drawdown_pct))) return false;
  return true;
}

export interface Filtered {
  /** Best first, by the optimizer's rule (feasible first, then the first objective). */
  readonly trials: readonly FrozenTrial[];
  /** How many COMPLETE trials share each listed configuration (1 without --best). */
  readonly copies: readonly number[];
  /** COMPLETE trials meeting the metric filters (before --best). */
  readonly matched: number;
  readonly complete: number;
}

export function filterTrials(trials: readonly FrozenTrial[], directions: readonly StudyDirection[], f: TrialFilters): Filtered {
  const ranked = rankTrials(trials, directions);
  const kept = ranked.filter((t) => passes(t, f));
  if (f.best === undefined) return { trials: kept, copies: kept.map(() => 1), matched: kept.length, complete: ranked.length };
  const top = topDistinct(rankDistinct(kept, directions), f.best);
  return { trials: top.trials, copies: top.copies, matched: kept.length, complete: ranked.length };
}

export type Cell = string | number | boolean | null;

/** The trials as a table: header and one row per trial (numbers and times exact; ISO-8601 UTC times). */
export function trialsTable(trials: readonly FrozenTrial[], directions: readonly StudyDirection[]): { head: string[]; rows: Cell[][] } {
  const params = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort();
  const metrics = [...new Set(trials.flatMap((t) => Object.keys((t.user_attrs.metrics as Record<string, unknown> | undefined) ?? {})))];
  const values = directions.length === 1 ? ['value'] : directions.map((_, i) => `values_${i}`);
  const head = ['number', 'state', ...values, 'feasible', 'datetime_start', 'datetime_complete', ...params.map((p) => `params.${p}`), ...metrics.map((m) => `metrics.${m}`), 'fail_reason'];
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  const scalar = (v: unknown): Cell => (v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : (v as Cell));
  const rows = trials.map((t) => [
    t.number,
    t.state,
    ...values.map((_, i) => (t.values?.[i] !== undefined && Number.isFinite(t.values[i]) ? t.values[i] : null)),
    t.state === 'COMPLETE' ? isFeasible(t) : null,
    iso(t.datetime_start),
    iso(t.datetime_complete),
    ...params.map((p) => scalar(t.params[p])),
    ...metrics.map((m) => scalar((t.user_attrs.metrics as Record<string, unknown> | undefined)?.[m])),
    failReasonOf(t),
  ]);
  return { head, rows };
}
