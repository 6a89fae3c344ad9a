/**
 * The report of a champion key (strategy, symbol, timeframe): its version history as a
 * timeline (promotions and rollbacks, with the reason and the evidence's key metric).
 */
import type { App } from '../../research/app.js';
import { championHistory } from '../../research/champions/index.js';
import { championCharts } from '../charts/champion.js';
import type { ReportModel } from '../types.js';
import { iso, num } from './common.js';

const METRIC = 'sharpe';

export function championReport(app: App, strategy: string, symbol: string, timeframe: string): ReportModel {
  const h = championHistory(app, strategy, symbol, timeframe, { limit: 500 });
  const versions = h.versions.map((v) => ({
    version: v.version,
    promoted_at: v.promoted_at,
    action: v.rollback_of === null ? 'promote' : `rollback to v${v.rollback_of}`,
    reason: v.reason,
    metric: num((v.metrics as Record<string, unknown>)[METRIC]),
  }));
  const current = h.versions[0];
  return {
    kind: 'champion',
    id: `${strategy}/${symbol}/${timeframe}`,
    title: `Champion of ${strategy} on ${symbol} ${timeframe}`,
    subtitle: `${h.total} version(s)${current ? `; current v${current.version} since ${iso(current.promoted_at)}` : ''}`,
    status: current ? `v${current.version}` : 'none',
    metrics: current
      ? [
          { label: 'Current version', value: current.version },
          { label: 'Params', value: JSON.stringify(current.params) },
          { label: 'Promoted by', value: current.promoted_by },
          { label: `Evidence ${METRIC}`, value: num((current.metrics as Record<string, unknown>)[METRIC]) },
        ]
      : [],
    warnings: [],
    charts: versions.length ? championCharts({ versions, metric: METRIC }) : [],
  };
}
