/**
 * The optimisation objective: flat trial params → strategy params → a cached or freshly
 * evaluated backtest (worker pool) → objective values, constraints, ledger entry.
 */
import { taskDefinition } from '../strategies.js';
import type { Metrics } from '../../engine/backtest/types.js';
import { constraintValues, objectiveValues } from '../../engine/optimizer/objectives.js';
import { TrialFailed, type Objective, type ObjectiveOutcome } from '../../engine/optimizer/optimize.js';
import { unflatten } from '../../engine/optimizer/paths.js';
import type { Study } from '../../engine/optimizer/study.js';
import type { AttrValue } from '../../engine/optimizer/trial.js';
import type { Evaluator } from '../../engine/parallel/pool.js';
import { NO_LEDGER_STATS, type LedgerStats } from '../../engine/ledger.js';
import { writeTransaction } from '../../storage/db.js';
import type { LedgerOutcome } from '../../storage/ledger.js';
import { getCachedResult, putCachedResult } from '../../storage/result-cache.js';
import type { App } from '../app.js';
import { backtestFingerprint } from '../backtest.js';
import { familyKey, recordLedger, trialSourceId } from '../ledger.js';
import type { ResolvedTask } from './resolve.js';

/** Metric keys kept on each trial (user_attrs.metrics) for tables and later analysis. */
export const TRIAL_METRICS = ['return_pct', 'sharpe', 'sortino', 'calmar', 'max_drawdown_pct', 'trades', 'win_rate_pct', 'profit_factor', 'score', 'exposure_pct'] as const;

/** Kept too when the strategy emits a confidence (`predictions` is then a number, else null). */
export const PREDICTION_TRIAL_METRICS = ['predictions', 'hit_rate_pct', 'brier', 'ece'] as const;

export interface ObjectiveStats {
  cache_hits: number;
  evaluated: number;
}

export function pickMetrics(m: Metrics, extra: readonly string[] = []): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  const prediction = typeof m.predictions === 'number' ? PREDICTION_TRIAL_METRICS : [];
  for (const k of [...TRIAL_METRICS, ...prediction, ...extra]) if (k in m) out[k] = m[k] ?? null;
  return out;
}

/** A trial's trial-ledger entry, as the objective would record it (LedgerSink). */
export interface TrialLedgerEntry {
  readonly params: Record<string, unknown>;
  readonly outcome: LedgerOutcome;
  readonly stats: LedgerStats;
}

/**
 * Where a trial's ledger entry goes instead of this process's ledger: a remote worker keeps
 * it on the trial itself (user attribute `ledger`), so that the server following the study
 * records it in its own ledger and every trial counts there.
 */
export type LedgerSink = (trialNumber: number, entry: TrialLedgerEntry) => void;

export interface ObjectiveOptions {
  /** A later stage of the run (coarse → fine `fine`, walk-forward windows `w<k>`). */
  readonly stage?: string;
  /** Where the trials' ledger entries go (default: this store's ledger). */
  readonly sink?: LedgerSink;
  /** Store fresh results in this store's result cache (default true; a worker's scratch store need not). */
  readonly cache?: boolean;
}

export function makeObjective(app: App, r: ResolvedTask, runId: string, study: () => Study, evaluator: Evaluator, stats: ObjectiveStats, opts: ObjectiveOptions = {}): Objective {
  const { stage, sink } = opts;
  const writeCache = opts.cache ?? true;
  const fam = familyKey(r.strategy, r.dataset.content_hash, r.candles);
  const definition = taskDefinition(r.strategy);
  const objectiveKeys = [...r.objectives.map((o) => o.metric), ...r.constraints.map((c) => c.metric)];
  // a walk-forward window's study (stage `w<k>`) records its trials as walk-forward internals
  const sourceKind = stage !== undefined && /^w\d+$/.test(stage) ? 'wf_trial' : 'trial';
  return async (flat, ctx): Promise<ObjectiveOutcome> => {
    const nested = unflatten(flat, { ...r.defaults, ...r.fixed });
    const parsed = r.strategy.params.safeParse(nested);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new Error(`invalid ${r.strategy.name} params: ${i.path.join('.')}: ${i.message}`);
    }
    const params = parsed.data as Record<string, unknown>;
    const record = (outcome: LedgerOutcome, stats: LedgerStats): void => {
      if (sink) return sink(ctx.number, { params, outcome, stats });
      recordLedger(app, { key: fam, source_kind: sourceKind, source_id: trialSourceId(runId, ctx.number, stage), params, outcome, stats });
    };
    const fp = backtestFingerprint(r.dataset, r.range, r.strategy, params, r.execution);
    const cached = getCachedResult(app.db, fp);
    let metrics: Metrics;
    let warnings: string[];
    let intermediate: [number, number][];
    let ledger = cached?.ledger ?? null;
    if (cached) {
      stats.cache_hits++;
      ({ metrics, warnings, intermediate } = cached);
    } else {
      const prune =
        r.checkpoints > 0 ? { pruner: r.pruner, history: { study_name: r.study_name, trials: study().trials }, trial_number: ctx.number } : undefined;
      // (again for each trial: the evaluator lets a series go when the candle cache evicts it)
      evaluator.load(r.dataset.content_hash, r.series);
      const res = await evaluator.run(
        { key: r.dataset.content_hash, start: r.start, end: r.end, strategy: r.strategy.name, definition, params, spec: r.execution, want: 'metrics', checkpoints: r.checkpoints },
        prune,
        ctx.signal, // a trial still queued when the study is cancelled is given up
      );
      if (res.pruned_at !== null) {
        // a pruned trial is still a configuration looked at: it counts in N (no statistics)
        const pruned = (): void => record('pruned', NO_LEDGER_STATS);
        return { pruned: true, intermediate_values: res.intermediate, system_attrs: { pruned_at_step: res.pruned_at }, alongside: pruned };
      }
      stats.evaluated++;
      ({ metrics, warnings, intermediate } = res);
      ledger = res.ledger;
    }
    const fresh = cached ? null : { metrics, warnings, intermediate, ledger };
    const entry = ledger;
    // the cache entry and the ledger entry are committed together, and on SQLite with the trial
    // itself (one transaction). On a PostgreSQL store the trial goes through the studies' pool,
    // so they are committed just before it: a crash in between leaves a configuration counted in
    // the ledger's N without its trial, which deflates a DSR more, never less.
    const alongside = (outcome: LedgerOutcome = 'complete'): void => {
      writeTransaction(app.db, () => {
        if (fresh && writeCache) putCachedResult(app.db, fp, fresh, app.now());
        if (entry) record(outcome, entry);
      });
    };
    const values = objectiveValues(r.objectives, metrics);
    const undefinedAt = values.findIndex((v) => Number.isNaN(v));
    if (undefinedAt >= 0) {
      const key = r.objectives[undefinedAt].metric;
      const why = key in metrics ? (warnings.find((w) => w.includes(key)) ?? 'undefined for this trial') : `not a metric key (known: ${Object.keys(metrics).join(', ')})`;
      // the trial fails, but the backtest ran: it is still cached and counted in the ledger
      alongside('failed');
      // the trial keeps the metrics of the backtest that ran (only the objective is undefined)
      throw new TrialFailed(`objective ${key} is ${metrics[key] === null ? 'null' : 'missing'}: ${why}`, { metrics: pickMetrics(metrics, objectiveKeys), fingerprint: fp });
    }
    return {
      values,
      constraints: r.constraints.length ? constraintValues(r.constraints, metrics) : null,
      user_attrs: { metrics: pickMetrics(metrics, objectiveKeys), fingerprint: fp },
      system_attrs: cached ? { cache_hit: true } : {},
      intermediate_values: intermediate,
      alongside: () => alongside(),
    };
  };
}
