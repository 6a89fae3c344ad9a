/**
 * Retention (`tradelab gc`): which stored runs may go, under the policy of config/server.yaml
 * `retention:` (or flags), and removing them.
 *
 * Runs are judged as trees: a top-level run with all its descendants (a batch and its items,
 * an optimize run and its best/holdout backtests). A tree is removed whole, in one immediate
 * transaction, or not at all, so no child loses its parent and no result outlives its run.
 * A tree is always kept when any run in it
 * - is unfinished (queued or running),
 * - is referenced by a champion version (its source run, or any run id named in its metrics
 *   or evidence: evidence run, candidate run; every version, not only the current one), or
 * - is the newest optimize run of a study (the study's handle for get_run);
 * otherwise it is kept while it is one of the newest `keep_runs` trees or younger than
 * `keep_days` (by its top-level run's creation time), and removed after both. A kept tree
 * keeps every tree it names in a run's spec or summary (an optimize run's best run answered
 * from the store, a batch item's `cached_from`, a scenario's member runs), transitively, so
 * nothing kept points at a removed run.
 * Never removed: studies and their trials, the trial ledger (append-only: DSR counts every
 * evaluation, whatever happened to its run), champions, datasets.
 *
 * Applying also rewrites results stored before migration 010 compactly (a backtest's curve is
 * dropped only when the engine recomputes it bit for bit; otherwise it is kept, compressed),
 * drops old optimizer cache entries, and with `vacuum` gives free pages back.
 */
import type { RunKind } from '../storage/runs.js';
import { getRun } from '../storage/runs.js';
import { writeTransaction } from '../storage/db.js';
import {
  cacheEntriesBefore,
  championMark,
  championRunIds,
  deleteCacheBefore,
  deleteRunRows,
  legacyResults,
  listRunNodes,
  mentionedSince,
  runMentions,
  runTree,
  vacuumStore,
  type RunNode,
  type VacuumOutcome,
} from '../storage/gc.js';
import { loadBacktestResult, rewriteLegacyRow, serializeBacktest } from '../storage/run-results.js';
import { storeSize, type StoreSize } from '../storage/size.js';
import type { App } from './app.js';
import type { Retention } from './config.js';
import { UserError } from './errors.js';
import { recomputeEquity } from './run-result.js';

const DAY = 86_400_000;

export type KeepReason = 'unfinished' | 'champion' | 'study' | 'recent' | 'newest' | 'referenced';

export interface GcPlan {
  readonly policy: Retention;
  readonly now: number;
  readonly runs: {
    readonly stored: number;
    readonly trees: number;
    readonly remove_runs: number;
    readonly remove_trees: number;
    readonly remove_by_kind: Partial<Record<RunKind, number>>;
    /** Text and blob bytes of the runs to remove (page overhead not included). */
    readonly remove_bytes: number;
  };
  /** Trees kept, by the first rule that keeps them (in the order of KeepReason). */
  readonly kept: Record<KeepReason, number>;
  readonly cache: { readonly remove_entries: number; readonly remove_bytes: number };
  /** Results in the pre-010 format, rewritten compactly when applied. */
  readonly legacy: { readonly rows: number; readonly bytes: number };
  readonly store: StoreSize;
  /** Top-level ids of the trees to remove, oldest first. */
  readonly remove: readonly string[];
  /** Champion references as planned (re-read when a version is added before a tree is removed). */
  readonly champion_mark: number;
}

/** The configured policy with per-call overrides; refuses one that would keep nothing by age or count. */
export function retentionPolicy(app: App, overrides: Partial<Retention> = {}): Retention {
  const p = { ...app.config.retention, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) } as Retention;
  if (p.keep_days === null && p.keep_runs === null) {
    throw new UserError('the retention policy keeps runs neither by age nor by count', {
      field: 'retention.keep_days',
      value: null,
      expected: 'retention.keep_days and/or retention.keep_runs (config/server.yaml), or --keep-days / --keep-runs; 0 keeps none by that rule',
    });
  }
  return p;
}

/** The newest optimize run of each study. */
function studyHandles(nodes: readonly RunNode[]): Set<string> {
  const newest = new Map<string, RunNode>();
  for (const n of nodes) {
    if (n.study === null) continue;
    const cur = newest.get(n.study);
    if (!cur || n.created_at > cur.created_at || (n.created_at === cur.created_at && n.id > cur.id)) newest.set(n.study, n);
  }
  return new Set([...newest.values()].map((n) => n.id));
}

/** Top-level runs with all their descendants, newest top-level run first. */
function runTrees(nodes: readonly RunNode[]): RunNode[][] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const children = new Map<string, RunNode[]>();
  for (const n of nodes) {
    if (n.parent_id !== null && byId.has(n.parent_id)) children.set(n.parent_id, [...(children.get(n.parent_id) ?? []), n]);
  }
  const roots = nodes.filter((n) => n.parent_id === null || !byId.has(n.parent_id)).sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : -1));
  return roots.map((root) => {
    const tree: RunNode[] = [];
    const stack = [root];
    while (stack.length) {
      const n = stack.pop() as RunNode;
      tree.push(n);
      stack.push(...(children.get(n.id) ?? []));
    }
    return tree;
  });
}

export function planGc(app: App, overrides: Partial<Retention> = {}): GcPlan {
  const policy = retentionPolicy(app, overrides);
  const now = app.now();
  const mark = championMark(app.db);
  const nodes = listRunNodes(app.db);
  const known = new Set(nodes.map((n) => n.id));
  const trees = runTrees(nodes);
  const treeOf = new Map<string, number>();
  trees.forEach((t, k) => t.forEach((n) => treeOf.set(n.id, k)));
  const champion = championRunIds(app.db, known);
  const study = studyHandles(nodes);
  const reasons: (KeepReason | null)[] = trees.map((tree, rank) => {
    const root = tree[0];
    if (tree.some((n) => n.status === 'queued' || n.status === 'running')) return 'unfinished';
    if (tree.some((n) => champion.has(n.id))) return 'champion';
    if (tree.some((n) => study.has(n.id))) return 'study';
    if (policy.keep_days !== null && root.created_at >= now - policy.keep_days * DAY) return 'recent';
    if (policy.keep_runs !== null && rank < policy.keep_runs) return 'newest';
    return null;
  });
  // a kept tree keeps the trees its runs name, transitively
  const named = runMentions(app.db, known);
  const queue = reasons.flatMap((r, k) => (r === null ? [] : [k]));
  while (queue.length) {
    const k = queue.pop() as number;
    for (const n of trees[k]) {
      for (const id of named.get(n.id) ?? []) {
        const j = treeOf.get(id) as number;
        if (reasons[j] === null) {
          reasons[j] = 'referenced';
          queue.push(j);
        }
      }
    }
  }
  const kept: Record<KeepReason, number> = { unfinished: 0, champion: 0, study: 0, recent: 0, newest: 0, referenced: 0 };
  const remove: RunNode[][] = [];
  trees.forEach((t, k) => {
    const r = reasons[k];
    if (r) kept[r]++;
    else remove.push(t);
  });
  remove.reverse(); // oldest first
  const by_kind: Partial<Record<RunKind, number>> = {};
  for (const t of remove) for (const n of t) by_kind[n.kind] = (by_kind[n.kind] ?? 0) + 1;
  const legacy = legacyResults(app.db);
  const cache = policy.cache_days === null ? { entries: 0, bytes: 0 } : cacheEntriesBefore(app.db, now - policy.cache_days * DAY);
  return {
    policy,
    now,
    runs: {
      stored: nodes.length,
      trees: trees.length,
      remove_runs: remove.reduce((s, t) => s + t.length, 0),
      remove_trees: remove.length,
      remove_by_kind: by_kind,
      remove_bytes: remove.reduce((s, t) => s + t.reduce((u, n) => u + n.bytes, 0), 0),
    },
    kept,
    cache: { remove_entries: cache.entries, remove_bytes: cache.bytes },
    legacy: { rows: legacy.length, bytes: legacy.reduce((s, r) => s + r.bytes, 0) },
    store: storeSize(app.db),
    remove: remove.map((t) => t[0].id),
    champion_mark: mark,
  };
}

export interface GcResult {
  readonly removed_runs: number;
  readonly removed_trees: number;
  /** Trees planned for removal but kept: since the plan, a run in them started, a champion or a new run came to name one of them. */
  readonly spared_trees: number;
  readonly removed_cache_entries: number;
  readonly compacted: { readonly rows: number; readonly curves_dropped: number; readonly curves_kept: number };
  readonly vacuum: VacuumOutcome | null;
  readonly store: StoreSize;
}

/**
 * Removes what `plan` found removable, each tree re-read and re-checked inside its own
 * immediate transaction (a server may be writing beside gc), then compacts old-format
 * results and old cache entries, then vacuums if asked.
 */
export function applyGc(app: App, plan: GcPlan, opts: { readonly vacuum?: boolean } = {}): GcResult {
  const db = app.db;
  let removed_runs = 0;
  let removed_trees = 0;
  let spared_trees = 0;
  for (const root of plan.remove) {
    const done = writeTransaction(db, (): boolean => {
      const tree = runTree(db, root);
      if (tree.length === 0) return false; // already gone
      const ids = tree.map((n) => n.id);
      // re-checked as of now: a run started, a champion promoted or a new run answered from the store since the plan
      if (tree.some((n) => n.status === 'queued' || n.status === 'running')) return false;
      if (championMark(db) !== plan.champion_mark && championRunIds(db, new Set(ids)).size > 0) return false;
      if (mentionedSince(db, ids, plan.now)) return false;
      removed_runs += deleteRunRows(db, ids);
      return true;
    });
    if (done) removed_trees++;
    else if (runTree(db, root).length > 0) spared_trees++;
  }
  const removed_cache_entries = plan.policy.cache_days === null ? 0 : writeTransaction(db, () => deleteCacheBefore(db, plan.now - (plan.policy.cache_days as number) * DAY));
  const compacted = compactLegacy(app);
  const vacuum = opts.vacuum ? vacuumStore(db) : null;
  return { removed_runs, removed_trees, spared_trees, removed_cache_entries, compacted, vacuum, store: storeSize(db) };
}

/**
 * Rewrites every pre-010 result compactly, one row per transaction. A backtest's stored curve
 * is dropped only when recomputing it (fingerprint and metrics checked) gives the same bits;
 * any other curve (a walk-forward's, or one the engine no longer reproduces) is kept, compressed.
 */
function compactLegacy(app: App): GcResult['compacted'] {
  let rows = 0;
  let curves_dropped = 0;
  let curves_kept = 0;
  for (const { run_id, kind } of legacyResults(app.db)) {
    const stored = loadBacktestResult(app.db, run_id);
    const run = getRun(app.db, run_id);
    if (!stored || !run) continue;
    let keepCurve = stored.equity !== null;
    if (stored.equity !== null && kind === 'backtest' && stored.equity_time === null) {
      try {
        keepCurve = !sameBits(recomputeEquity(app, run, stored), stored.equity);
      } catch (e) {
        if (!(e instanceof UserError)) throw e; // cannot be reproduced: the stored curve stays
      }
    }
    const serialized = serializeBacktest({ ...stored, equity: stored.equity ?? new Float64Array(0) }, { equity: keepCurve });
    if (writeTransaction(app.db, () => rewriteLegacyRow(app.db, run_id, serialized))) {
      rows++;
      if (stored.equity !== null) {
        if (keepCurve) curves_kept++;
        else curves_dropped++;
      }
    }
  }
  return { rows, curves_dropped, curves_kept };
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length * 2);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
