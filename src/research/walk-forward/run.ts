/**
 * The walk-forward journey (DESIGN.md §4, STATISTICS.md): split the range into windows,
 * optimise in-sample per window (seed derived from the master seed), backtest the frozen
 * best params out-of-sample (indicators warmed up on earlier bars only), stitch the OOS
 * equity (recorded in the trial ledger as one out-of-sample evaluation), and report IS vs OOS,
 * WFE, parameter drift and the stitched curve's Sharpe, t-statistic, PSR and DSR.
 */
import { runBacktestWithLead } from '../../engine/backtest/lead.js';
import { unflatten } from '../../engine/optimizer/paths.js';
import { InputError } from '../../engine/errors.js';
import { deriveSeed } from '../../engine/random.js';
import { walkForwardSplits, type SplitWindow } from '../../engine/validation/splits.js';
import { ledgerStats } from '../../engine/ledger.js';
import type { App } from '../app.js';
import { resolveChampionParams } from '../champions/index.js';
import { UserError } from '../errors.js';
import { familyKey, recordLedger } from '../ledger.js';
import { wallTimeout, type WallLimit } from '../optimize/outcome.js';
import { runRangeStudy } from '../optimize/range-study.js';
import { optimizeTaskSchema, type OptimizeTaskInput } from '../optimize/job.js';
import { resolveTask, type ResolvedTask } from '../optimize/resolve.js';
import { resolveParams } from '../strategy-params.js';
import { saveBacktestResult } from '../../storage/run-results.js';
import type { WalkForwardRequest } from './job.js';
import { stitchWindows, walkForwardReport, type WindowOutcome } from './report.js';

export interface WalkForwardOptions {
  readonly run_id: string;
  readonly signal: AbortSignal;
  readonly onWindow?: (done: number, total: number, message: string) => void;
  /** The job's wall-time limit (server jobs): no window starts after it, and a window whose study it cuts short is left out. */
  readonly wall?: WallLimit;
}

/** How a walk-forward ended: every window ran, or it stopped at a window boundary. */
export interface WalkForwardStop {
  readonly reason: 'windows' | 'wall_limit' | 'cancelled';
  readonly detail: string;
}

const iso = (t: number): string => new Date(t).toISOString();

export interface PreparedWalkForward {
  readonly base: ResolvedTask;
  readonly windows: SplitWindow[];
  readonly skipped: { oosStart: number; reason: string }[];
  readonly fixedParams: { params: Record<string, unknown>; champion_version: number | null } | null;
}

/**
 * Windows × in-sample trials within the per-call limits (max_windows; max_trials for the
 * trials of all windows' studies together), refused before anything runs.
 */
function checkWindowLimits(app: App, req: WalkForwardRequest, windows: number, optimised: boolean): void {
  const { max_windows: maxWindows, max_trials: maxTrials } = app.config.limits;
  const value = { is: req.is, oos: req.oos, step: req.step ?? req.oos };
  const split = `is ${JSON.stringify(req.is)}, oos ${JSON.stringify(req.oos)}, step ${JSON.stringify(req.step ?? req.oos)}`;
  if (windows > maxWindows) {
    throw new UserError(`${split} make ${windows} windows, above the limit of ${maxWindows} (limits.max_windows)`, {
      field: 'is/oos/step',
      value,
      expected: `at most ${maxWindows} windows: longer oos or step, or a shorter from/to range`,
    });
  }
  const trials = req.n_trials;
  if (optimised && windows * trials > maxTrials) {
    throw new UserError(`${windows} windows × ${trials} in-sample trials = ${windows * trials} trials, above the limit of ${maxTrials} (limits.max_trials)`, {
      field: 'n_trials',
      value: trials,
      expected: `at most ${Math.floor(maxTrials / windows)} trials per window with ${windows} windows, or fewer windows (longer oos or step)`,
    });
  }
}

/** The optimize task of a window: the request's optimize fields (n_trials per window) and the window's own. */
function windowTask(req: WalkForwardRequest, own: Partial<OptimizeTaskInput>): OptimizeTaskInput {
  const shared = Object.fromEntries(Object.entries(req).filter(([k]) => k in optimizeTaskSchema.shape)) as OptimizeTaskInput;
  return { ...shared, ...own };
}

/** Validates the request and computes the windows (fails the call, not the job, on bad input). */
export function prepareWalkForward(app: App, req: WalkForwardRequest): PreparedWalkForward {
  const base = resolveTask(app, windowTask(req, { study_name: 'walk-forward-validation' }));
  let splits;
  try {
    splits = walkForwardSplits(base.candles.time, { mode: req.mode, is: req.is, oos: req.oos, step: req.step, purge: req.purge, embargo: req.embargo, allowOverlap: req.allow_overlap });
  } catch (e) {
    if (!(e instanceof InputError)) throw e; // a bug (or bars out of order), not the caller's input
    throw new UserError((e as Error).message, { field: 'is/oos', value: { is: req.is, oos: req.oos, step: req.step }, expected: `windows that fit in ${base.candles.time.length} bars (${iso(base.candles.time[0])} … ${iso(base.candles.time[base.candles.time.length - 1])})` });
  }
  checkWindowLimits(app, req, splits.windows.length, req.params === undefined);
  let fixedParams: PreparedWalkForward['fixedParams'] = null;
  if (req.params === 'champion') {
    const c = resolveChampionParams(app, base.strategy.name, base.dataset.symbol, base.dataset.timeframe);
    fixedParams = { params: c.params, champion_version: c.version };
  } else if (req.params) {
    fixedParams = { params: resolveParams(base.strategy, req.params), champion_version: null };
  }
  return { base, windows: splits.windows, skipped: splits.skipped, fixedParams };
}

export async function runWalkForward(app: App, req: WalkForwardRequest, prep: PreparedWalkForward, opts: WalkForwardOptions): Promise<Record<string, unknown>> {
  const { base, windows } = prep;
  const t = base.candles.time;
  const outcomes: WindowOutcome[] = [];
  const masterSeed = req.seed;
  let stop: WalkForwardStop | null = null;
  const stopAt = (reason: 'wall_limit' | 'cancelled', during: string): void => {
    const at = `after ${outcomes.length} of ${windows.length} windows${during}; the finished windows are reported and stitched`;
    stop = reason === 'cancelled' ? { reason, detail: `cancelled ${at}` } : { reason, detail: `the wall-time limit of ${opts.wall?.seconds} s per job (limits.max_wall_seconds) was reached ${at}` };
  };
  for (const w of windows) {
    if (opts.signal.aborted) {
      stopAt('cancelled', '');
      break;
    }
    if (opts.wall && app.now() >= opts.wall.deadline) {
      stopAt('wall_limit', '');
      break;
    }
    const isFrom = String(t[w.isStart]);
    const isTo = String(t[w.isEnd - 1] + 1);
    let params: Record<string, unknown>;
    let isMetrics: Record<string, unknown> | null = null;
    let trials = 0;
    let counts: Record<string, number> | null = null;
    if (prep.fixedParams) {
      params = prep.fixedParams.params;
    } else {
      // the window's seed is derived (any 32-bit value), not an input: it is set after validation
      const r: ResolvedTask = { ...resolveTask(app, windowTask(req, { from: isFrom, to: isTo, study_name: `${opts.run_id}.w${w.index}` })), seed: deriveSeed(masterSeed, 'window', w.index) };
      const res = await runRangeStudy(app, r, opts.run_id, `w${w.index}`, opts.signal, undefined, wallTimeout(app.now(), undefined, opts.wall).timeout_ms);
      // a window whose in-sample study was cut short is not finished work: left out (its trials stay counted)
      if (res.stop_reason === 'cancelled' || res.stop_reason === 'timeout') {
        stopAt(res.stop_reason === 'cancelled' ? 'cancelled' : 'wall_limit', ` (window ${w.index}'s in-sample study was stopped after ${res.study.trials.length} of ${r.n_trials} trials and is left out)`);
        break;
      }
      trials = res.study.trials.length;
      counts = res.counts;
      if (!res.best) {
        outcomes.push({ window: w, params: null, is: null, oos: null, trials, counts, error: 'no complete in-sample trial (all failed, pruned or infeasible)' });
        opts.onWindow?.(outcomes.length, windows.length, `window ${w.index}: no usable in-sample trial`);
        continue;
      }
      params = unflatten(res.best.params, { ...r.defaults, ...r.fixed });
      isMetrics = (res.best.user_attrs.metrics ?? null) as Record<string, unknown> | null;
    }
    // in-sample metrics of the frozen params (for fixed params, and for WFE in every case)
    const absIs = base.start + w.isStart;
    const absOos = base.start + w.oosStart;
    const absEnd = base.start + w.oosEnd;
    const lead = base.strategy.warmup(params as never) + 1;
    const isRun = runBacktestWithLead(base.series, absIs, base.start + w.isEnd, 0, base.strategy, params, base.execution);
    // a position open at the window's end is closed there with exit costs and counted: the
    // next window starts flat, so carrying it silently would skip its exit fee
    const oosRun = runBacktestWithLead(base.series, absOos, absEnd, lead, base.strategy, params, { ...base.execution, finalize_trades: true });
    // every OOS window is a ledger entry of its own family (the window's bars)
    const oosCandles = { ...base.series, time: base.series.time.subarray(absOos, absEnd) };
    recordLedger(app, {
      key: familyKey(base.strategy, base.dataset.content_hash, oosCandles as typeof base.series),
      source_kind: 'wf_window',
      source_id: `${opts.run_id}#oos${w.index}`,
      params,
      stats: ledgerStats(oosCandles.time, oosRun.equity),
    });
    outcomes.push({ window: w, params, is: { metrics: isRun.metrics, best_trial_metrics: isMetrics }, oos: oosRun, trials, counts, error: null });
    const sh = oosRun.metrics.sharpe;
    opts.onWindow?.(outcomes.length, windows.length, `window ${w.index}: OOS ${iso(t[w.oosStart])} … ${iso(t[w.oosEnd - 1])}, sharpe ${typeof sh === 'number' ? sh.toFixed(3) : 'n/a'}, ${trials} trials`);
  }
  const stitched = stitchWindows(base, outcomes);
  if (stitched) {
    // the stitched curve is one out-of-sample evaluation of this walk-forward procedure: it
    // counts in the DSR of every later OOS curve on overlapping bars (and of this one)
    const { wait_seconds: _w, ...procedure } = req;
    void _w;
    recordLedger(app, {
      key: familyKey(base.strategy, base.dataset.content_hash, { ...base.series, time: stitched.time }),
      source_kind: 'wf_oos',
      source_id: opts.run_id,
      params: { walk_forward: procedure },
      stats: stitched.ledger,
    });
  }
  const stopped: WalkForwardStop = stop ?? { reason: 'windows', detail: `all ${windows.length} windows ran` };
  const report = walkForwardReport(app, req, prep, outcomes, stitched, opts.run_id, stopped);
  if (stitched) {
    saveBacktestResult(app.db, opts.run_id, {
      metrics: stitched.metrics,
      warnings: stitched.warnings,
      trades: stitched.trades,
      open_trades: [],
      skipped: [],
      equity: stitched.equity,
      equity_time: stitched.time,
      warmup: 0,
    });
  }
  return report;
}
