/** `tradelab batch <file.yaml|file.json>` or `tradelab batch --spec JSON`: a backtest batch from the shell. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { App } from '../research/app.js';
import { startBatch } from '../research/batch/job.js';
import type { BatchCounts, Matrix, RankStats } from '../research/batch/rank.js';
import { batchSpecSchema, type BatchSpecInput } from '../research/batch/spec.js';
import type { BestOfDataset } from '../research/batch/rank.js';
import { UserError } from '../research/errors.js';
import { parseStrict } from '../research/strict-input.js';
import { closeEvaluators } from '../research/evaluator.js';
import { JobRunner } from '../research/jobs.js';
import { closeBatchEvaluators } from '../research/batch/worker-store.js';
import { table } from '../research/scenarios/report.js';
import type { RunRow } from '../storage/runs.js';
import { num } from '../tools/format.js';
import { openCliApp } from './app.js';
import { err, numberFlag, out, parse } from './args.js';
import { ProgressBar } from './progress.js';
import { cell } from './text.js';

export const BATCH_HELP = `tradelab batch <file.yaml|file.json> [options]
tradelab batch --spec JSON [options]

  The spec is backtest_batch's input: strategy + param_sets (or strategies: [{strategy, param_sets}])
  over symbols × timeframes (every combination) or pairs: [{symbol, timeframe}, …] (those datasets only),
  and/or items: [{strategy, params, symbol, timeframe, from, to, execution, label}];
  from, to, execution, metrics, rank_by, rank_order, concurrency, top. Every item becomes a stored run.
Options:
  --concurrency N   items at once (default: config workers)
  --top N           ranked items to print (default 10)
  --json            print {run_id, status, ...summary} as JSON
  --verbose         print each item as it finishes (stderr; default: a progress bar)
Exit code: 0 when the batch ran (failed items are results), 1 when it failed, 130 when cancelled (Ctrl-C).
Store: $TRADELAB_HOME (default ./.tradelab); an empty store gets the synthetic demo dataset first.`;

export function readSpecFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { field: '<file>', value: file, expected: `a readable ${what} (YAML or JSON)` });
  }
  try {
    return parseYaml(text);
  } catch (e) {
    throw new UserError(`${file}: not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`, { field: '<file>', value: file });
  }
}

function batchSpec(raw: unknown, source: string): BatchSpecInput {
  return parseStrict(batchSpecSchema, raw, { source: `${source}: invalid batch spec`, expected: 'see `tradelab batch --help`' });
}

export async function closeComputeApp(app: App, jobs: JobRunner): Promise<void> {
  await jobs.close();
  await closeEvaluators(app);
  await closeBatchEvaluators(app);
  app.db.close();
}

/** The text form of a batch summary (also used by `tradelab scenarios --verbose`). */
export function batchReport(run: RunRow): string[] {
  const s = run.summary ?? {};
  const c = s.counts as BatchCounts | undefined;
  const st = s.stats as RankStats | undefined;
  const lines = [`batch ${run.id}: ${run.status}${run.error ? ` (${run.error})` : ''}`];
  if (c) lines.push(`  items ${c.items}: ${c.ok} ok (${c.cached} from the store), ${c.failed} failed, ${c.cancelled} cancelled`);
  if (st && st.n > 0) lines.push(`  ${st.metric} (${st.order}) over ${st.n} items: best ${num(st.best)}, median ${num(st.median)}, mean ${num(st.mean)}, worst ${num(st.worst)}`);
  const top = s.top as Matrix | undefined;
  if (top && top.rows.length) {
    const keep = top.columns.map((name, k) => ({ name, k })).filter((x) => !['status', 'cached', 'error', 'label'].includes(x.name));
    lines.push('', ...table(keep.map((x) => x.name), top.rows.map((r) => keep.map((x) => cell(r[x.k])))));
    if (Number(s.items_left_out) > 0) lines.push(`  … ${String(s.items_left_out)} more: get_run {"run_id": "${run.id}", "include": "items"}`);
  }
  const best = (s.best_per_dataset as BestOfDataset[] | undefined) ?? [];
  if (best.length > 1) {
    lines.push('', 'best per symbol/timeframe:', ...table(['symbol', 'timeframe', 'i', 'strategy', 'params', 'value', 'of', 'run'], best.map((b) => [cell(b.symbol), cell(b.timeframe), String(b.i), b.strategy, cell(b.params), cell(b.value), String(b.of), cell(b.run_id)])).map((l) => `  ${l}`));
  }
  const failures = (s.failures as { i: number; error: string }[] | undefined) ?? [];
  if (failures.length) lines.push('', 'failed items:', ...failures.map((f) => `  #${f.i}: ${f.error}`), ...(Number(s.failures_left_out) > 0 ? [`  … ${String(s.failures_left_out)} more`] : []));
  return lines;
}

export async function batchCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, { spec: { type: 'string' }, concurrency: { type: 'string' }, top: { type: 'string' }, json: { type: 'boolean' }, verbose: { type: 'boolean' } }, 'batch', 1);
  if (v.help) return (out(BATCH_HELP), 0);
  const file = positionals[0];
  if ((file === undefined) === (v.spec === undefined)) throw new UserError('give a spec file or --spec JSON (one of them)', { field: '<file>', hint: BATCH_HELP.split('\n')[0] });
  let raw: unknown;
  if (typeof v.spec === 'string') {
    try {
      raw = JSON.parse(v.spec);
    } catch (e) {
      throw new UserError(`--spec is not valid JSON: ${(e as Error).message}`, { field: '--spec', expected: `e.g. '{"strategy":"sma_cross","param_sets":[{"fast":10,"slow":30}],"symbols":["DEMO-BTC"],"timeframes":["1h"]}'` });
    }
  } else raw = readSpecFile(file as string, 'batch spec');
  const spec = batchSpec(raw, typeof v.spec === 'string' ? '--spec' : (file as string));
  const concurrency = numberFlag(v.concurrency, 'concurrency');
  const top = numberFlag(v.top, 'top');
  const input = batchSpec({ ...spec, ...(concurrency !== undefined ? { concurrency } : {}), ...(top !== undefined ? { top } : {}) }, 'flags');
  const app = openCliApp();
  const jobs = new JobRunner(app);
  try {
    const { run } = startBatch(app, jobs, 'cli', input);
    const onSigint = (): void => {
      err(`tradelab batch: cancelling ${run.id} (finished items stay stored)…`);
      jobs.cancel(run.id);
    };
    process.once('SIGINT', onSigint);
    const bar = new ProgressBar(`batch ${run.id}`);
    const w = await jobs.wait(run.id, 2_000_000_000, undefined, (p) => (v.verbose ? err(`[${p.done}/${p.total ?? '?'}] ${p.message ?? ''}`) : bar.update(p.done, p.total ?? p.done, '')));
    process.removeListener('SIGINT', onSigint);
    const r = w.run;
    if (v.json) out(JSON.stringify({ run_id: r.id, status: r.status, error: r.error, ...(r.summary ?? {}) }));
    else out(batchReport(r).join('\n'));
    return r.status === 'succeeded' ? 0 : r.status === 'cancelled' ? 130 : 1;
  } finally {
    await closeComputeApp(app, jobs);
  }
}
