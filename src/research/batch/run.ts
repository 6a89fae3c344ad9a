/**
 * Executing a batch: every item is validated first (failures are isolated with their
 * reason), identical items are answered from the store by fingerprint (and run once within
 * the batch), the rest run on the shared evaluator (worker pool) under a p-limit
 * concurrency limit. Every finished item is stored at once as a child run of the batch with
 * a `batch_item` ledger entry (by the worker itself when the store is a file, see
 * worker-store.ts), so a cancelled or interrupted batch keeps what finished. Items store
 * metrics, trades and ledger statistics, not the per-bar equity curve (8 bytes a bar, per
 * item): readers that need it get it recomputed and checked (research/run-result.ts).
 */
import { taskDefinition } from '../strategies.js';
import pLimit from 'p-limit';
import type { Metrics } from '../../engine/backtest/types.js';
import { lowerBound } from '../../engine/data/candles.js';
import { TaskCancelled } from '../../engine/cancel.js';
import type { Evaluator } from '../../engine/parallel/pool.js';
import type { BacktestTask } from '../../engine/parallel/task.js';
import { hasBacktestResult, loadMetricsByRun } from '../../storage/run-results.js';
import { findRunByFingerprint } from '../../storage/runs.js';
import type { App } from '../app.js';
import { resolveBacktest, storeBacktestRun, type ResolvedBacktest } from '../backtest.js';
import { resolveChampionParams } from '../champions/registry.js';
import { datasetCandles, resolveDataset } from '../datasets.js';
import { UserError } from '../errors.js';
import type { JobContext } from '../jobs.js';
import { writeItemRows, type ItemRowInput, type ItemTag } from './item-rows.js';
import type { ItemResult } from './rank.js';
import type { BatchItemSpec } from './spec.js';
import { queueAhead } from '../evaluator.js';
import { batchEvaluator, batchItemRecord, writeLock, type StoredTaskResult, type StoringTask } from './worker-store.js';

export interface BatchRunOptions {
  /** Items evaluated at once (default: config.workers). */
  readonly concurrency?: number | null;
  /** Evaluator to run on (default: `batchEvaluator(app, config.workers)`). */
  readonly evaluator?: Evaluator;
  /** With `evaluator`: the database file its workers store items in (item-worker.js), or null/absent when the main thread stores. */
  readonly db_file?: string | null;
  /** app.now() after which items not yet started are cancelled (the wall-time limit). */
  readonly deadline?: number;
  /** Short text for progress messages, e.g. the metric to show. */
  readonly progressMetric?: string;
}

type Validated = { readonly spec: BatchItemSpec; readonly resolved: ResolvedBacktest };

function reason(e: unknown): string {
  if (e instanceof UserError) return e.describe();
  if (e instanceof Error) return e.name === 'Error' ? e.message : `${e.name}: ${e.message}`;
  return String(e);
}

function givenParams(s: BatchItemSpec): Record<string, unknown> | null {
  return s.params === undefined || s.params === 'champion' ? null : s.params;
}

function tagOf(s: BatchItemSpec, cachedFrom?: string): ItemTag {
  return { i: s.i, label: s.label, symbol: s.symbol ?? null, timeframe: s.timeframe ?? null, params: givenParams(s), ...(cachedFrom ? { cached_from: cachedFrom } : {}) };
}

function result(s: BatchItemSpec, status: ItemResult['status'], o: { run_id?: string | null; metrics?: Metrics | null; error?: string | null; cached?: boolean; resolved?: ResolvedBacktest } = {}): ItemResult {
  return {
    i: s.i,
    label: s.label,
    strategy: o.resolved?.strategy.name ?? s.strategy,
    symbol: o.resolved?.dataset.symbol ?? s.symbol ?? null,
    timeframe: o.resolved?.dataset.timeframe ?? s.timeframe ?? null,
    params: givenParams(s),
    status,
    run_id: o.run_id ?? null,
    cached: o.cached ?? false,
    metrics: o.metrics ?? null,
    error: o.error ?? null,
  };
}

/** Validates one item into a resolved backtest, or the reason it cannot run. */
function validate(app: App, s: BatchItemSpec): Validated | { error: string } {
  try {
    let spec = s;
    if (s.params === 'champion') {
      // the champion of this item's strategy on this item's symbol/timeframe
      const ds = resolveDataset(app, s);
      const c = resolveChampionParams(app, s.strategy, ds.symbol, ds.timeframe);
      spec = { ...s, params: c.params, label: s.label ?? `champion v${c.version}` };
    }
    const resolved = resolveBacktest(app, {
      strategy: spec.strategy_input ?? spec.strategy,
      params: spec.params,
      dataset_id: s.dataset_id,
      symbol: s.symbol,
      timeframe: s.timeframe,
      version: s.version,
      from: s.from,
      to: s.to,
      execution: s.execution,
    });
    return { spec, resolved };
  } catch (e) {
    return { error: reason(e) };
  }
}

function taskOf(app: App, ev: Evaluator, r: ResolvedBacktest): BacktestTask {
  const full = datasetCandles(app, r.dataset);
  const key = r.dataset.content_hash;
  ev.load(key, full);
  const start = lowerBound(full.time, r.candles.time[0]);
  return { key, start, end: start + r.candles.time.length, strategy: r.strategy.name, definition: taskDefinition(r.strategy), params: r.params, spec: r.execution, want: 'trades' };
}

const yieldToLoop = (): Promise<void> => new Promise((res) => setImmediate(res));

/**
 * Runs the items of batch `job.run_id`; returns one result per item, in item order.
 * Never throws for a single item's failure.
 */
export async function executeBatch(app: App, job: JobContext, items: readonly BatchItemSpec[], opts: BatchRunOptions = {}): Promise<ItemResult[]> {
  const total = items.length;
  const out: (ItemResult | undefined)[] = new Array(total);
  let done = 0;
  const metricName = opts.progressMetric ?? 'sharpe';
  const tick = (r: ItemResult): void => {
    out[r.i] = r;
    done++;
    const what = `${r.strategy} ${r.symbol ?? '?'} ${r.timeframe ?? '?'}`;
    const detail = r.status === 'ok' ? `${metricName} ${r.metrics?.[metricName] ?? 'n/a'}${r.cached ? ' (from the store)' : ''}` : `${r.status}${r.error ? `: ${r.error.slice(0, 160)}` : ''}`;
    job.progress(done, total, `item ${r.i} ${what}: ${detail}`);
  };

  // 1. validate everything first; failures are stored with their reason
  const valid: Validated[] = [];
  const failedRows: ItemRowInput[] = [];
  const failed: ItemResult[] = [];
  for (const s of items) {
    const v = validate(app, s);
    if ('error' in v) {
      const f = s.params === 'champion' ? { ...s, label: s.label ?? 'champion' } : s;
      failedRows.push({ tag: tagOf(f), strategy: s.strategy, status: 'failed', error: v.error });
      failed.push(result(f, 'failed', { error: v.error }));
    } else valid.push(v);
  }
  writeItemRows(app, job.run_id, failedRows);
  for (const r of failed) tick(r);

  // 2. identical items: answered from the store, or run once within this batch
  const first = new Map<string, Validated>();
  const cachedRows: { v: Validated; from: string }[] = [];
  const twins = new Map<string, Validated[]>();
  const toRun: Validated[] = [];
  for (const v of valid) {
    const fp = v.resolved.fingerprint;
    const hit = findRunByFingerprint(app.db, fp);
    if (hit && hasBacktestResult(app.db, hit.id)) cachedRows.push({ v, from: hit.id });
    else if (first.has(fp)) twins.set(fp, [...(twins.get(fp) ?? []), v]);
    else {
      first.set(fp, v);
      toRun.push(v);
    }
  }
  const cachedMetrics = loadMetricsByRun(app.db, cachedRows.map((c) => c.from));
  writeItemRows(app, job.run_id, cachedRows.map(({ v, from }) => ({ tag: tagOf(v.spec, from), strategy: v.resolved.strategy.name, status: 'succeeded', dataset_id: v.resolved.dataset.id, summary: { cached_from: from } })));
  for (const { v, from } of cachedRows) tick(result(v.spec, 'ok', { run_id: from, cached: true, metrics: cachedMetrics.get(from) ?? null, resolved: v.resolved }));

  // 3. the rest on the evaluator, at most `concurrency` at once
  const chosen = opts.evaluator ? { evaluator: opts.evaluator, db_file: opts.db_file ?? null } : batchEvaluator(app, app.config.workers);
  const ev = chosen.evaluator;
  const concurrency = Math.max(1, opts.concurrency ?? app.config.workers);
  // items queued at the workers ahead of time (as optimize's trials) when every worker may be busy
  const limit = pLimit(concurrency >= ev.size ? concurrency + queueAhead(ev) : concurrency);
  const cancelled: Validated[] = [];
  const stopped = (): boolean => job.signal.aborted || (opts.deadline !== undefined && app.now() > opts.deadline);
  // items queued at a worker but not started are given up on cancel or at the wall-time limit
  const giveUp = new AbortController();
  const onCancel = (): void => giveUp.abort();
  job.signal.addEventListener('abort', onCancel, { once: true });
  const timer = opts.deadline === undefined ? undefined : setTimeout(onCancel, Math.max(0, opts.deadline - app.now()));
  timer?.unref();
  /** Runs one item and stores it (in the worker when it can, else here); returns its run id and metrics. */
  const evaluate = async (v: Validated): Promise<{ run_id: string; metrics: Metrics }> => {
    const r = v.resolved;
    const task = taskOf(app, ev, r);
    const specExtra = { batch_item: tagOf(v.spec) };
    if (chosen.db_file !== null) {
      const storing: StoringTask = { ...task, store: { db_file: chosen.db_file, parent_id: job.run_id, dataset_id: r.dataset.id, range: r.range, fingerprint: r.fingerprint, spec_extra: specExtra, lock: writeLock(chosen.db_file) } };
      const t: StoredTaskResult = await ev.run(storing, undefined, giveUp.signal);
      if (!t.run_id) throw new Error('the worker did not store the item (is it running item-worker.js?)');
      return { run_id: t.run_id, metrics: t.metrics };
    }
    const started = app.now();
    const t = await ev.run(task, undefined, giveUp.signal);
    const { stored, opts: storeOpts } = batchItemRecord(t, specExtra);
    const run = storeBacktestRun(app, r, stored, started, job.run_id, storeOpts);
    return { run_id: run.id, metrics: t.metrics };
  };
  const runOne = async (v: Validated): Promise<void> => {
    await yieldToLoop();
    const all = [v, ...(twins.get(v.resolved.fingerprint) ?? [])];
    if (stopped()) {
      cancelled.push(...all);
      return;
    }
    let done: { run_id: string; metrics: Metrics };
    try {
      done = await evaluate(v);
    } catch (e) {
      if (e instanceof TaskCancelled) {
        cancelled.push(...all);
        return;
      }
      const error = `evaluation failed: ${reason(e)}`;
      writeItemRows(app, job.run_id, all.map((d) => ({ tag: tagOf(d.spec), strategy: d.resolved.strategy.name, status: 'failed', dataset_id: d.resolved.dataset.id, error })));
      for (const d of all) tick(result(d.spec, 'failed', { error, resolved: d.resolved }));
      return;
    }
    tick(result(v.spec, 'ok', { run_id: done.run_id, metrics: done.metrics, resolved: v.resolved }));
    // identical items of this batch are answered by the run just stored
    const dupes = all.slice(1);
    writeItemRows(app, job.run_id, dupes.map((d) => ({ tag: tagOf(d.spec, done.run_id), strategy: d.resolved.strategy.name, status: 'succeeded', dataset_id: d.resolved.dataset.id, summary: { cached_from: done.run_id } })));
    for (const d of dupes) tick(result(d.spec, 'ok', { run_id: done.run_id, cached: true, metrics: done.metrics, resolved: d.resolved }));
  };
  try {
    await Promise.all(toRun.map((v) => limit(() => runOne(v))));
  } finally {
    if (timer) clearTimeout(timer);
    job.signal.removeEventListener('abort', onCancel);
  }

  // 4. items never started: recorded as cancelled
  cancelled.sort((a, b) => a.spec.i - b.spec.i);
  const why = job.signal.aborted ? 'cancelled before it started' : 'not started: the wall-time limit of the batch was reached';
  writeItemRows(app, job.run_id, cancelled.map((v) => ({ tag: tagOf(v.spec), strategy: v.resolved.strategy.name, status: 'cancelled', dataset_id: v.resolved.dataset.id, error: why })));
  for (const v of cancelled) tick(result(v.spec, 'cancelled', { error: why, resolved: v.resolved }));
  return out.filter((r): r is ItemResult => r !== undefined);
}

