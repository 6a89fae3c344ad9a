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
  title: 'Run a batch of backtests',
  description:
    'Backtests strategy/strategies × param_sets × symbols × timeframes (+ items) in parallel; a bad item fails alone. ' +
    'Items are stored runs (reused if identical). Returns counts, ranking stats, top items, best per symbol/timeframe; run_id after the wait budget.',
  tier: 'compute',
  app: true,
  inputSchema: batchShape,
  outputSchema: batchOutput,
  async handler(args, ctx) {
    const { run } = startBatch(ctx.app, ctx.jobs, ctx.clientId, args);
    return waitForJob(ctx, run.id, undefined, (summary) => batchText(run.id, summary));
  },
});
