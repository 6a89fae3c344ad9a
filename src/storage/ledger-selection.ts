/**
 * The selection set of a Sharpe ratio (STATISTICS.md, DSR): every configuration recorded in
 * the trial ledger on bars overlapping [from, to] of one symbol and timeframe, whatever the
 * range, dataset version or strategy — one member per distinct (strategy, params hash).
 */
import { statement, type Db } from './db.js';
import type { LedgerSource } from './ledger.js';

export interface SelectionQuery {
  readonly symbol: string;
  readonly timeframe: string;
  /** Epoch ms of the first and last bar the candidate was evaluated on (inclusive). */
  readonly from: number;
  readonly to: number;
  /** Only entries of these kinds (default: every kind). */
  readonly kinds?: readonly LedgerSource[];
}

export interface SelectionMember {
  readonly strategy: string;
  readonly params_hash: string;
  readonly entries: number;
  readonly complete: number;
  readonly pruned: number;
  readonly failed: number;
  /** Per-period Sharpe of the member's first entry that has one (null: none has). */
  readonly sharpe: number | null;
  readonly n_periods: number | null;
}

export interface SelectionSet {
  readonly members: SelectionMember[];
  /** Entries per source kind. */
  readonly by_source: Record<string, number>;
  readonly entries: number;
  /** Distinct ledger families (strategy, dataset content, range) the members come from. */
  readonly families: number;
}

interface GroupRow {
  strategy: string;
  params_hash: string;
  entries: number;
  complete: number;
  pruned: number;
  failed: number;
}

interface SharpeRow {
  strategy: string;
  params_hash: string;
  sharpe: number;
  n_periods: number;
}

function where(q: SelectionQuery): { sql: string; args: unknown[] } {
  if (!(q.from <= q.to)) throw new RangeError(`selection range: from ${q.from} must not be after to ${q.to}`);
  const kinds = q.kinds && q.kinds.length ? ` AND e.source_kind IN (${q.kinds.map(() => '?').join(', ')})` : '';
  return {
    sql: `FROM ledger_entries e JOIN ledger_families f ON f.id = e.family_id
          WHERE f.symbol = ? AND f.timeframe = ? AND f.range_from <= ? AND f.range_to >= ?${kinds}`,
    args: [q.symbol, q.timeframe, q.to, q.from, ...(q.kinds ?? [])],
  };
}

export function selectionSet(db: Db, q: SelectionQuery): SelectionSet {
  const w = where(q);
  // counts by CASE, not SUM(condition): PostgreSQL does not sum booleans
  const count = (outcome: string): string => `SUM(CASE WHEN e.outcome = '${outcome}' THEN 1 ELSE 0 END) AS ${outcome}`;
  const groups = statement(db,
      `SELECT f.strategy AS strategy, e.params_hash AS params_hash, COUNT(*) AS entries, ${count('complete')}, ${count('pruned')}, ${count('failed')}
       ${w.sql} GROUP BY f.strategy, e.params_hash ORDER BY MIN(e.id)`,
    )
    .all(...w.args) as GroupRow[];
  // each member's first entry with a Sharpe: the rows whose id is its group's MIN(e.id) (PostgreSQL has no bare columns)
  const sharpes = statement(db,
      `SELECT f.strategy AS strategy, e.params_hash AS params_hash, e.sharpe AS sharpe, e.n_periods AS n_periods
       FROM ledger_entries e JOIN ledger_families f ON f.id = e.family_id
       WHERE e.id IN (SELECT MIN(e.id) ${w.sql} AND e.sharpe IS NOT NULL GROUP BY f.strategy, e.params_hash)`,
    )
    .all(...w.args) as SharpeRow[];
  const byKey = new Map(sharpes.map((r) => [`${r.strategy}\u0000${r.params_hash}`, r]));
  const kinds = statement(db, `SELECT e.source_kind AS kind, COUNT(*) AS n ${w.sql} GROUP BY e.source_kind`).all(...w.args) as { kind: string; n: number }[];
  const { fams } = statement(db, `SELECT COUNT(DISTINCT e.family_id) AS fams ${w.sql}`).get(...w.args) as { fams: number };
  const by: Record<string, number> = {};
  let entries = 0;
  for (const k of kinds) {
    by[k.kind] = k.n;
    entries += k.n;
  }
  return {
    members: groups.map((g) => {
      const s = byKey.get(`${g.strategy}\u0000${g.params_hash}`);
      return { ...g, sharpe: s?.sharpe ?? null, n_periods: s?.n_periods ?? null };
    }),
    by_source: by,
    entries,
    families: fams,
  };
}
