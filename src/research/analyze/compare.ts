/**
 * Comparison of several runs: each run's headline numbers and verdict side by side, ranked by
 * Sharpe, with the DSR-adjusted ordering beside it (a high Sharpe found among many trials
 * deflates more). PSR and DSR are computed for every run whatever the depth, since the
 * ordering needs them; each verdict therefore includes that evidence. At depth deep the Monte
 * Carlo step budget is shared between the runs (`mc_paths` says how many paths each got).
 */
import type { App } from '../app.js';
import { UserError } from '../errors.js';
import { analyzeSubject } from './analyze.js';
import { MC_STEP_BUDGET } from './monte-carlo.js';
import { runSubject } from './subject.js';
import type { AnalyzeOptions } from './types.js';

export const MAX_COMPARE = 10;

type Row = Record<string, unknown> & { run_id: string; sharpe: number | null; dsr: number | null };

function headline(a: Record<string, unknown>): Row {
  const info = a.subject as { run_id: string; analyzed_run_id: string | null; kind: string; strategy: string | null; params: unknown; dataset: { symbol: string; timeframe: string } | null };
  const ov = a.overview as Record<string, unknown>;
  const trades = a.trades as { win_rate_pct: number | null };
  const dd = a.drawdowns as { max_drawdown_pct: number | null };
  const inf = a.sharpe_inference as { sharpe_annualised?: number | null; psr0?: number | null } | undefined;
  const dsr = a.dsr as { dsr?: number | null; n?: number | null; evidence?: string } | null | undefined;
  const pbo = a.pbo as { pbo?: number } | null | undefined;
  const mc = a.monte_carlo as { bar_bootstrap?: { p_loss?: number; paths?: number } | null; risk_of_ruin?: { bar_bootstrap?: number | null } } | undefined;
  const costs = a.cost_sensitivity as { break_even?: { cost_per_side_bps?: number | null; status?: string } } | null | undefined;
  const v = a.verdict as { verdict: string; reasons: { code: string; level: string; message: string }[] };
  const row: Row = {
    run_id: info.run_id,
    analyzed_run_id: info.analyzed_run_id,
    kind: info.kind,
    strategy: info.strategy,
    params: info.params,
    data: info.dataset ? `${info.dataset.symbol} ${info.dataset.timeframe}` : null,
    bars: ov.bars,
    start: ov.start,
    end: ov.end,
    return_pct: ov.return_pct,
    sharpe: inf?.sharpe_annualised ?? null,
    max_drawdown_pct: dd.max_drawdown_pct,
    trades: ov.closed_trades,
    win_rate_pct: trades.win_rate_pct,
    psr0: inf?.psr0 ?? null,
    dsr: dsr?.dsr ?? null,
    dsr_n: dsr?.n ?? null,
    dsr_evidence: dsr?.evidence ?? null,
    pbo: pbo?.pbo ?? null,
    verdict: v.verdict,
    reasons: v.reasons.filter((r) => r.level !== 'pass').map((r) => ({ code: r.code, level: r.level, message: r.message })),
  };
  if (a.depth === 'deep') {
    row.mc_p_loss = mc?.bar_bootstrap?.p_loss ?? null;
    row.mc_paths = mc?.bar_bootstrap?.paths ?? null;
    row.risk_of_ruin = mc?.risk_of_ruin?.bar_bootstrap ?? null;
    row.break_even_bps = costs?.break_even?.cost_per_side_bps ?? null;
  }
  return row;
}

/** Indexes ordered by `key` descending; nulls last; ties keep the input order. */
function orderBy(rows: readonly Row[], key: 'sharpe' | 'dsr'): number[] {
  return rows
    .map((r, i) => ({ i, v: r[key] }))
    .sort((a, b) => (a.v === null ? (b.v === null ? a.i - b.i : 1) : b.v === null ? -1 : b.v - a.v || a.i - b.i))
    .map((x) => x.i);
}

export function compareRuns(app: App, ids: readonly string[], opts: AnalyzeOptions): { data: Record<string, unknown>; text: string } {
  if (ids.length < 2 || ids.length > MAX_COMPARE) {
    throw new UserError(`run_ids must list 2 to ${MAX_COMPARE} runs, got ${ids.length}`, { field: 'run_ids', value: ids.length, expected: `2–${MAX_COMPARE} run ids (use run_id for one)` });
  }
  ids.forEach((id, i) => {
    const first = ids.indexOf(id);
    if (first !== i) throw new UserError(`run_ids[${i}] repeats run_ids[${first}] (${id})`, { field: `run_ids[${i}]`, value: id, expected: 'distinct run ids' });
  });
  const rows = ids.map((id, i) => headline(analyzeSubject(app, runSubject(app, id, `run_ids[${i}]`), { ...opts, forceSelection: true, mcStepBudget: Math.floor(MC_STEP_BUDGET / ids.length) })));
  const bySharpe = orderBy(rows, 'sharpe');
  const byDsr = orderBy(rows, 'dsr');
  const same = bySharpe.every((v, k) => v === byDsr[k]);
  const families = new Set(rows.map((r) => r.ledger_family));
  const notes: string[] = [];
  if (!same) notes.push('the DSR-adjusted ordering differs from the Sharpe ordering: a high Sharpe from a heavily searched family deflates more');
  if (families.size > 1 || families.has(null)) notes.push('the runs are not all from one ledger family (same strategy, data and range): their Sharpe ratios describe different samples');
  const ranking = bySharpe.map((i, k) => ({ rank: k + 1, run_id: rows[i].run_id, sharpe: rows[i].sharpe, dsr: rows[i].dsr, dsr_rank: byDsr.indexOf(i) + 1, verdict: rows[i].verdict }));
  const data = {
    depth: opts.depth,
    runs: rows,
    ranking,
    ranked_by: 'sharpe (annualised, end-of-day returns), descending; dsr_rank = position when ordered by DSR',
    dsr_order: byDsr.map((i) => rows[i].run_id),
    dsr_order_differs: !same,
    notes,
  };
  const fmt = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));
  const text =
    `Compared ${rows.length} runs (depth ${opts.depth}). By Sharpe: ` +
    ranking.map((r) => `${r.rank}. ${r.run_id} Sharpe ${fmt(r.sharpe)}, DSR ${fmt(r.dsr)}, ${r.verdict}`).join('; ') +
    `.${same ? ' The DSR ordering agrees.' : ` DSR ordering: ${data.dsr_order.join(', ')}.`}`;
  return { data, text };
}
