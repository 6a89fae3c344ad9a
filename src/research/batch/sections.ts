/** `get_run include=items` for batch runs: every item, ranked as in the summary, page by page. */
import { pageOf, registerSection } from '../run-sections.js';
import { readItems } from './item-rows.js';
import { DEFAULT_MATRIX_METRICS, defaultOrder, type RankOrder } from './metrics.js';
import { rankItems } from './rank.js';
import { itemView } from './summary.js';

interface Resolved {
  readonly rank_by?: string;
  readonly rank_order?: RankOrder;
  readonly metrics?: readonly string[];
}

registerSection('batch', 'items', (app, run, offset, limit) => {
  const r = (run.spec.resolved ?? {}) as Resolved;
  const metric = r.rank_by ?? 'sharpe';
  const ranked = rankItems(readItems(app, run.id), metric, r.rank_order ?? defaultOrder(metric));
  const metrics = r.metrics ?? DEFAULT_MATRIX_METRICS;
  return pageOf(ranked.map((x) => itemView(x, metrics)), offset, limit);
});
