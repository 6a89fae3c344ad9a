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
