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
import pLimit from 'p-limit';
import type { Metrics } from '../../engine/backtest/types.js';
import { TaskCancelled } from '../../engine/cancel.js';
import type { Evaluator } from '../../engine/parallel/pool.js';
import { hasBacktestResult, loadMetricsByRun } from '../../storage/run-results.js';
import { findRunByFingerprint } from '../../storage/runs.js';
import type { App } from '../app.js';
import { resolveBacktest, type ResolvedBacktest } from '../backtest.js';
import { resolveChampionParams } from '../champions/registry.js';
import { resolveDataset } from '../datasets.js';
import { UserError } from '../errors.js';
import { queueAhead } from '../evaluator.js';
import type { JobContext } from '../jobs.js';
import { BatchStop, evaluateItem, type ItemDone } from './evaluate.js';
import { writeItemRows, type ItemRowInput, type ItemTag } from './item-rows.js';
import type { ItemResult } from './rank.js';
import type { BatchItemSpec } from './spec.js';
import { batchEvaluator, type BatchEvaluator } from './worker-store.js';

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

const yieldToLoop = (): Promise<void> => new Promise((res) => setImmediate(res));

/** One batch's items on their way through the steps of executeBatch, with progress as each finishes. */
class BatchExecution {
  private readonly out: (ItemResult | undefined)[];
  private done = 0;
  /** Items of this batch identical to one that runs (by fingerprint): answered by its run. */
  private readonly twins = new Map<string, Validated[]>();
  /** Items never started (cancel or wall-time limit). */
  private readonly cancelled: Validated[] = [];

  constructor(
    private readonly app: App,
    private readonly job: JobContext,
    private readonly total: number,
    private readonly metricName: string,
  ) {
    this.out = new Array(total);
  }

  private tick(r: ItemResult): void {
    this.out[r.i] = r;
    this.done++;
    const what = `${r.strategy} ${r.symbol ?? '?'} ${r.timeframe ?? '?'}`;
    const metric = this.metricName;
    const detail = r.status === 'ok' ? `${metric} ${r.metrics?.[metric] ?? 'n/a'}${r.cached ? ' (from the store)' : ''}` : `${r.status}${r.error ? `: ${r.error.slice(0, 160)}` : ''}`;
    this.job.progress(this.done, this.total, `item ${r.i} ${what}: ${detail}`);
  }

  /** 1. Every item validated first; failures are stored with their reason. */
  validateAll(items: readonly BatchItemSpec[]): Validated[] {
    const valid: Validated[] = [];
    const failedRows: ItemRowInput[] = [];
    const failed: ItemResult[] = [];
    for (const s of items) {
      const v = validate(this.app, s);
      if ('error' in v) {
        const f = s.params === 'champion' ? { ...s, label: s.label ?? 'champion' } : s;
        failedRows.push({ tag: tagOf(f), strategy: s.strategy, status: 'failed', error: v.error });
        failed.push(result(f, 'failed', { error: v.error }));
      } else valid.push(v);
    }
    writeItemRows(this.app, this.job.run_id, failedRows);
    for (const r of failed) this.tick(r);
    return valid;
  }

  /** 2. Identical items: answered from the store, or run once within this batch. Returns the items to run. */
  answerIdentical(valid: readonly Validated[]): Validated[] {
    const { app, job } = this;
    const first = new Set<string>();
    const cachedRows: { v: Validated; from: string }[] = [];
    const toRun: Validated[] = [];
    for (const v of valid) {
      const fp = v.resolved.fingerprint;
      const hit = findRunByFingerprint(app.db, fp);
      if (hit && hasBacktestResult(app.db, hit.id)) cachedRows.push({ v, from: hit.id });
      else if (first.has(fp)) this.twins.set(fp, [...(this.twins.get(fp) ?? []), v]);
      else {
        first.add(fp);
        toRun.push(v);
      }
    }
    const cachedMetrics = loadMetricsByRun(this.app.db, cachedRows.map((c) => c.from));
    writeItemRows(app, job.run_id, cachedRows.map(({ v, from }) => ({ tag: tagOf(v.spec, from), strategy: v.resolved.strategy.name, status: 'succeeded', dataset_id: v.resolved.dataset.id, summary: { cached_from: from } })));
    for (const { v, from } of cachedRows) this.tick(result(v.spec, 'ok', { run_id: from, cached: true, metrics: cachedMetrics.get(from) ?? null, resolved: v.resolved }));
    return toRun;
  }

  /** 3. The rest on the evaluator, at most `concurrency` at once. */
  async runAll(toRun: readonly Validated[], opts: BatchRunOptions): Promise<void> {
    const { app } = this;
    const chosen = opts.evaluator ? { evaluator: opts.evaluator, db_file: opts.db_file ?? null } : batchEvaluator(app, app.config.workers);
    const concurrency = Math.max(1, opts.concurrency ?? app.config.workers);
    // items queued at the workers ahead of time (as optimize's trials) when every worker may be busy
    const limit = pLimit(concurrency >= chosen.evaluator.size ? concurrency + queueAhead(chosen.evaluator) : concurrency);
    const stop = new BatchStop(app, this.job, opts.deadline);
    try {
      await Promise.all(toRun.map((v) => limit(() => this.runOne(v, chosen, stop))));
    } finally {
      stop.dispose();
    }
  }

  /** Runs one item (unless the batch stopped) and answers it and its twins. */
  private async runOne(v: Validated, chosen: BatchEvaluator, stop: BatchStop): Promise<void> {
    await yieldToLoop();
    const all = [v, ...(this.twins.get(v.resolved.fingerprint) ?? [])];
    if (stop.stopped()) {
      this.cancelled.push(...all);
      return;
    }
    let done: ItemDone;
    try {
      done = await evaluateItem(this.app, this.job, chosen, v.resolved, { batch_item: tagOf(v.spec) }, stop.signal);
    } catch (e) {
      if (e instanceof TaskCancelled) this.cancelled.push(...all);
      else this.recordFailed(all, `evaluation failed: ${reason(e)}`);
      return;
    }
    this.tick(result(v.spec, 'ok', { run_id: done.run_id, metrics: done.metrics, resolved: v.resolved }));
    // identical items of this batch are answered by the run just stored
    const dupes = all.slice(1);
    writeItemRows(this.app, this.job.run_id, dupes.map((d) => ({ tag: tagOf(d.spec, done.run_id), strategy: d.resolved.strategy.name, status: 'succeeded', dataset_id: d.resolved.dataset.id, summary: { cached_from: done.run_id } })));
    for (const d of dupes) this.tick(result(d.spec, 'ok', { run_id: done.run_id, cached: true, metrics: done.metrics, resolved: d.resolved }));
  }

  private recordFailed(all: readonly Validated[], error: string): void {
    writeItemRows(this.app, this.job.run_id, all.map((d) => ({ tag: tagOf(d.spec), strategy: d.resolved.strategy.name, status: 'failed', dataset_id: d.resolved.dataset.id, error })));
    for (const d of all) this.tick(result(d.spec, 'failed', { error, resolved: d.resolved }));
  }

  /** 4. Items never started: recorded as cancelled. Returns one result per item, in item order. */
  finish(): ItemResult[] {
    const cancelled = this.cancelled.sort((a, b) => a.spec.i - b.spec.i);
    const why = this.job.signal.aborted ? 'cancelled before it started' : 'not started: the wall-time limit of the batch was reached';
    writeItemRows(this.app, this.job.run_id, cancelled.map((v) => ({ tag: tagOf(v.spec), strategy: v.resolved.strategy.name, status: 'cancelled', dataset_id: v.resolved.dataset.id, error: why })));
    for (const v of cancelled) this.tick(result(v.spec, 'cancelled', { error: why, resolved: v.resolved }));
    return this.out.filter((r): r is ItemResult => r !== undefined);
  }
}

/**
 * Runs the items of batch `job.run_id`; returns one result per item, in item order.
 * Never throws for a single item's failure.
 */
export async function executeBatch(app: App, job: JobContext, items: readonly BatchItemSpec[], opts: BatchRunOptions = {}): Promise<ItemResult[]> {
  const batch = new BatchExecution(app, job, items.length, opts.progressMetric ?? 'sharpe');
  const valid = batch.validateAll(items);
  const toRun = batch.answerIdentical(valid);
  await batch.runAll(toRun, opts);
  return batch.finish();
}
