/**
 * A report by what the user names: a run id (backtest, optimize, walk_forward, batch), a
 * study name (its newest optimize run), or a champion key `champion:STRATEGY/SYMBOL/TIMEFRAME`.
 * `deep` adds the analysis charts (analyze_results deep) to a backtest or walk-forward, and
 * makes an optimize report include the analysis of its best trial.
 */
import type { App } from '../../research/app.js';
import { UserError } from '../../research/errors.js';
import { getRun, type RunRow } from '../../storage/runs.js';
import { latestStudyRunId } from '../../storage/study-report.js';
import type { ReportModel } from '../types.js';
import { analysisModelCharts } from './analysis.js';
import { backtestReport } from './backtest.js';
import { batchReport } from './batch.js';
import { championReport } from './champion.js';
import { optimizeReport } from './optimize.js';
import { walkForwardReport } from './walk-forward.js';

export interface ReportOptions {
  readonly deep?: boolean;
  /** Build anew even when a recent report of the finished run is at hand (benchmarks). */
  readonly fresh?: boolean;
}

/** The run a report id names (a run id, or a study's newest optimize run). */
export function reportRun(app: App, id: string): RunRow {
  const run = getRun(app.db, id) ?? (() => {
    const viaStudy = latestStudyRunId(app.db, id);
    return viaStudy ? getRun(app.db, viaStudy) : undefined;
  })();
  if (!run) {
    throw new UserError(`no run or study named ${JSON.stringify(id)}`, {
      field: 'run_id',
      value: id,
      expected: 'a run id (list_runs), a study name (tradelab summarize) or champion:STRATEGY/SYMBOL/TIMEFRAME',
    });
  }
  return run;
}

export function buildReport(app: App, id: string, opts: ReportOptions = {}): ReportModel {
  const champ = /^champion:([^/]+)\/([^/]+)\/([^/]+)$/.exec(id);
  if (champ) return championReport(app, champ[1], champ[2], champ[3]);
  const run = reportRun(app, id);
  // the report app fetches the charts that did not fit one result one by one, and a deep
  // report re-runs the whole analysis: a finished run's report is reused for a minute. Not
  // longer: later runs change what it shows (a resumed study's trials, the ledger's N).
  const finished = run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled';
  const key = `${run.id}|${opts.deep === true}|${String(run.finished_at)}`;
  const cache = finished ? cacheOf(app) : null;
  const now = app.now();
  const hit = cache?.get(key);
  if (hit && !opts.fresh && now - hit.at < REUSE_MS) return hit.model;
  const model = modelOf(app, run, opts);
  if (cache) {
    cache.delete(key);
    if (cache.size >= CACHED_REPORTS) cache.delete(cache.keys().next().value as string);
    cache.set(key, { model, at: now });
  }
  return model;
}

/** Reports of finished runs kept per app (few: a model holds its charts' data), and for how long. */
const CACHED_REPORTS = 8;
const REUSE_MS = 60_000;
const caches = new WeakMap<App, Map<string, { model: ReportModel; at: number }>>();

function cacheOf(app: App): Map<string, { model: ReportModel; at: number }> {
  let c = caches.get(app);
  if (!c) caches.set(app, (c = new Map()));
  return c;
}

function modelOf(app: App, run: RunRow, opts: ReportOptions): ReportModel {
  switch (run.kind) {
    case 'backtest':
      return backtestReport(app, run, opts);
    case 'optimize': {
      const m = optimizeReport(app, run);
      return opts.deep && run.status === 'succeeded' ? { ...m, charts: [...m.charts, ...analysisModelCharts(app, run.id)] } : m;
    }
    case 'walk_forward': {
      const m = walkForwardReport(app, run);
      return opts.deep && run.status === 'succeeded' ? { ...m, charts: [...m.charts, ...analysisModelCharts(app, run.id)] } : m;
    }
    case 'batch':
      return batchReport(app, run);
    default:
      throw new UserError(`run ${run.id} is a ${run.kind} run, which has no report`, { field: 'run_id', value: run.id, expected: 'a backtest, optimize, walk_forward or batch run' });
  }
}
