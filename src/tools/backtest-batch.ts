import { batchShape } from '../research/batch/spec.js';
import { startBatch } from '../research/batch/job.js';
import type { BatchCounts, RankStats } from '../research/batch/rank.js';
import { num } from './format.js';
import { waitForJob } from './job-wait.js';
import { brief } from './lines.js';
import { defineTool } from './types.js';
import { batchOutput } from './outputs/jobs.js';

/** One line about a finished batch, from its summary. */
export function batchText(runId: string, s: Record<string, unknown>): string {
  const c = s.counts as BatchCounts | undefined;
  const st = s.stats as RankStats | undefined;
  const head = c ? `${c.items} items: ${c.ok} ok${c.cached ? ` (${c.cached} from the store)` : ''}, ${c.failed} failed${c.cancelled ? `, ${c.cancelled} cancelled` : ''}` : 'no items finished';
  const rank = st && st.n > 0 ? `; by ${st.metric} (${st.order}): best ${num(st.best)}, median ${num(st.median)}, mean ${num(st.mean)}, worst ${num(st.worst)}` : '';
  return [`${head}${rank}. get_run {"run_id": "${runId}", "include": "items"} pages every item, ranked.`, ...topLines(s), ...failureLines(s)].join('\n');
}

/** The top items of the comparison matrix, one line each. */
function topLines(s: Record<string, unknown>): string[] {
  const top = s.top as { columns: string[]; rows: unknown[][] } | undefined;
  if (!top || top.rows.length === 0) return [];
  const col = (row: unknown[], name: string): unknown => row[top.columns.indexOf(name)];
  const by = String(s.rank_by);
  return [
    `Top ${top.rows.length} by ${by}:`,
    ...top.rows.map((r) => `- #${String(col(r, 'rank') ?? '-')} item ${String(col(r, 'i'))} ${String(col(r, 'strategy'))} ${String(col(r, 'symbol'))} ${String(col(r, 'timeframe'))} ${brief(col(r, 'params'), 80)}: ${by} ${num(col(r, by))}, return ${num(col(r, 'return_pct'))} %, run ${String(col(r, 'run_id'))}`),
  ];
}

function failureLines(s: Record<string, unknown>): string[] {
  const f = (s.failures ?? []) as { i: number; symbol: string | null; timeframe: string | null; error: string | null }[];
  return f.map((x) => `- failed item ${x.i} ${x.symbol ?? '?'} ${x.timeframe ?? '?'}: ${x.error ?? 'unknown error'}`);
}

export const backtestBatchTool = defineTool({
  name: 'backtest_batch',
  title: 'Backtest batch',
  description:
    'Backtests strategies × param_sets × datasets (symbols × timeframes, or pairs) plus items, in parallel, each stored; a bad item fails alone. Ranking, best per dataset, or a run_id (get_run).',
  doc:
    'The product: `strategy` + `param_sets` (or `strategies: [{strategy, param_sets}]`) × datasets, the datasets given as `symbols` × `timeframes` (every combination) or as `pairs: [{symbol, timeframe}, …]` (those only; not together with symbols/timeframes). `items` are appended, each a full backtest spec. ' +
    'Items run on the worker pool, are stored like backtests (an identical item is answered from the store) and count in the trial ledger; a failing item (unknown symbol, bad params, bad execution) is reported with its reason and the others run. ' +
    'The result ranks the items by `rank_by` (default sharpe) in `rank_order`, with statistics, the top rows of the comparison matrix (`metrics` columns) and the best item per symbol/timeframe. ' +
    'Progress per item; past the wait budget a run handle; `get_run {run_id, include: "items"}` pages every item, ranked; `cancel_run` stops at the next item.',
  tier: 'compute',
  app: true,
  inputSchema: batchShape,
  outputSchema: batchOutput,
  async handler(args, ctx) {
    const { run } = startBatch(ctx.app, ctx.jobs, ctx.clientId, args);
    return waitForJob(ctx, run.id, undefined, (summary) => batchText(run.id, summary));
  },
});
