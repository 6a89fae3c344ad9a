/**
 * Batch items as stored runs. Every item of a batch is a `backtest` run whose parent is the
 * batch run, and whose spec carries `batch_item` ({i, label, symbol, timeframe, params as
 * given}):
 * - a succeeded item is the full stored backtest (result, trades, equity, ledger entry);
 * - an item answered from the store is a succeeded row with `batch_item.cached_from` naming
 *   the identical earlier run that holds the result (no copy of the result);
 * - a failed item is a `failed` row whose `error` says why (unknown dataset, bad params, …);
 * - an item never started (cancellation, wall-time limit) is a `cancelled` row.
 * `get_run include=items` reads them back, ranked, through `readItems`.
 */
import { writeTransaction } from '../../storage/db.js';
import { loadMetricsByRun } from '../../storage/run-results.js';
import { createRun, listRuns, updateRun, type RunRow, type RunStatus } from '../../storage/runs.js';
import type { App } from '../app.js';
import type { ItemResult, ItemStatus } from './rank.js';

export interface ItemTag {
  readonly i: number;
  readonly label: string | null;
  readonly symbol: string | null;
  readonly timeframe: string | null;
  readonly params: Record<string, unknown> | null;
  readonly cached_from?: string;
}

export interface ItemRowInput {
  readonly tag: ItemTag;
  readonly strategy: string;
  readonly status: Extract<RunStatus, 'succeeded' | 'failed' | 'cancelled'>;
  readonly dataset_id?: number | null;
  readonly error?: string | null;
  readonly summary?: Record<string, unknown> | null;
}

/** Writes item rows that carry no result of their own (failed, cancelled, cached), in one transaction. */
export function writeItemRows(app: App, batchId: string, rows: readonly ItemRowInput[]): Map<number, string> {
  const ids = new Map<number, string>();
  if (rows.length === 0) return ids;
  writeTransaction(app.db, () => {
    const now = app.now();
    for (const r of rows) {
      const run = createRun(app.db, {
        kind: 'backtest',
        status: r.status,
        strategy: r.strategy,
        dataset_id: r.dataset_id ?? null,
        spec: { batch_item: r.tag, strategy: r.strategy },
        parent_id: batchId,
        now,
      });
      updateRun(app.db, run.id, { error: r.error ?? null, summary: r.summary ?? null, finished_at: now });
      ids.set(r.tag.i, run.id);
    }
  });
  return ids;
}

function tagOf(run: RunRow): ItemTag | null {
  const t = run.spec.batch_item;
  if (t === null || typeof t !== 'object' || typeof (t as { i?: unknown }).i !== 'number') return null;
  return t as ItemTag;
}

const STATUS: Record<RunStatus, ItemStatus> = { succeeded: 'ok', failed: 'failed', cancelled: 'cancelled', queued: 'cancelled', running: 'cancelled' };

/** The stored items of a batch run, in item order, with their metrics. */
export function readItems(app: App, batchId: string): ItemResult[] {
  const { runs } = listRuns(app.db, { parent_id: batchId, limit: 1_000_000, offset: 0 });
  const tagged = runs.map((run) => ({ run, tag: tagOf(run) })).filter((x): x is { run: RunRow; tag: ItemTag } => x.tag !== null);
  const resultId = (x: { run: RunRow; tag: ItemTag }): string => x.tag.cached_from ?? x.run.id;
  const metrics = loadMetricsByRun(app.db, tagged.filter((x) => x.run.status === 'succeeded').map(resultId));
  return tagged
    .map(({ run, tag }): ItemResult => {
      const ok = run.status === 'succeeded';
      const rid = tag.cached_from ?? run.id;
      return {
        i: tag.i,
        label: tag.label,
        strategy: run.strategy ?? String(run.spec.strategy ?? ''),
        symbol: tag.symbol,
        timeframe: tag.timeframe,
        params: tag.params,
        status: STATUS[run.status],
        run_id: ok ? rid : null,
        cached: tag.cached_from !== undefined,
        metrics: ok ? (metrics.get(rid) ?? null) : null,
        error: run.error,
      };
    })
    .sort((a, b) => a.i - b.i);
}
