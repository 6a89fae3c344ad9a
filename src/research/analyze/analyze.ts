/**
 * The `analyze_results` workflow: one subject (a run or inline data) at a depth, ending with
 * the engine's verdict and machine-readable reasons. Read-only: nothing is stored and the
 * trial ledger is not touched (cost re-runs go straight to the engine).
 *
 * Same inputs (run, ledger family, options, seed) ⇒ identical output: the only randomness is
 * the seeded Monte Carlo, and no clock value is reported.
 */
import { verdict, type VerdictEvidence } from '../../engine/analysis/verdict.js';
import type { App } from '../app.js';
import { finiteOrNull, tagged } from './clean.js';
import { costSection } from './costs.js';
import { monteCarloSection } from './monte-carlo.js';
import { advancedSections, basicSections, overview, periodBasis } from './sections.js';
import { selectionSection } from './selection.js';
import type { AnalyzeOptions, Subject } from './types.js';

function verdictNote(s: Subject, opts: AnalyzeOptions, selection: boolean): string {
  const parts: string[] = [];
  if (!selection) parts.push(`depth ${opts.depth}: PSR, DSR and PBO are computed only at depth "deep"`);
  else if (!s.optimizeRunId) parts.push('PBO applies to an optimisation (a selection among trials); this subject is not one');
  if (selection && !s.scope) parts.push('no trial ledger for this subject, so no DSR');
  parts.push('missing evidence counts as a caution: nothing is promote-able on evidence that was never computed');
  return parts.join('; ');
}

/** The full analysis of one subject as plain JSON (finite numbers or null). */
export function analyzeSubject(app: App, s: Subject, opts: AnalyzeOptions): Record<string, unknown> {
  const warnings: string[] = [...s.warnings];
  const p = periodBasis(s);
  const out: Record<string, unknown> = { subject: s.info, depth: opts.depth, overview: overview(s, p) };
  Object.assign(out, basicSections(s, p));
  if (opts.depth !== 'basic') Object.assign(out, advancedSections(s, p));

  const selection = opts.depth === 'deep' || opts.forceSelection === true;
  let evidence: VerdictEvidence = { trades: s.trades.length };
  if (selection) {
    const sel = selectionSection(app, s, p);
    out.sharpe_inference = sel.sharpe_inference;
    out.dsr = sel.dsr;
    out.pbo = sel.pbo;
    evidence = sel.evidence;
    warnings.push(...tagged('selection', sel.warnings));
  }
  if (opts.depth === 'deep') {
    out.monte_carlo = monteCarloSection(s, opts);
    out.cost_sensitivity = s.rerun ? costSection(s.rerun) : null;
    if (!s.rerun) warnings.push(`cost sensitivity undefined: ${s.info.kind === 'inline' ? 'inline data has no strategy to re-run' : 'the analysed curve is not a single backtest that can be re-run'}`);
  }
  // one DSR bar for verdicts and the promotion gate (config gates.min_dsr, calibrated by bench:calibration)
  const v = verdict(evidence, { cautionMinDsr: app.config.gates.min_dsr });
  out.verdict = {
    verdict: v.verdict,
    reasons: v.reasons,
    thresholds: v.thresholds,
    dsr_n: evidence.dsr ? { n: evidence.dsr.n, source: evidence.dsr.nSource ?? null, which: 'nominal N (distinct configurations in the selection set) with the no-skill V₀ = 1/(T − 1)' } : null,
    note: verdictNote(s, opts, selection),
  };
  const clean = finiteOrNull(out, warnings) as Record<string, unknown>;
  clean.warnings = warnings;
  return clean;
}

const pct = (v: unknown): string => (typeof v === 'number' ? `${v.toFixed(2)} %` : 'n/a');
const n2 = (v: unknown): string => (typeof v === 'number' ? v.toFixed(2) : 'n/a');

/** A short text summary of one analysis (rounding happens only here). */
export function analysisText(a: Record<string, unknown>): string {
  const info = a.subject as Subject['info'];
  const ov = a.overview as Record<string, unknown>;
  const dd = a.drawdowns as { max_drawdown_pct: number };
  const risk = a.risk as { sharpe: number | null } | undefined;
  const inf = a.sharpe_inference as { psr0: number | null } | undefined;
  const dsr = a.dsr as { dsr: number | null; n: number | null; evidence?: string } | null | undefined;
  const pbo = a.pbo as { pbo: number } | null | undefined;
  const v = a.verdict as { verdict: string; reasons: { level: string; message: string }[] };
  const what =
    info.kind === 'inline'
      ? 'inline result'
      : `${info.kind} ${info.run_id}${info.analyzed_run_id !== info.run_id ? ` (best trial run ${info.analyzed_run_id})` : ''}${info.strategy ? `, ${info.strategy}` : ''}${info.dataset ? ` on ${info.dataset.symbol} ${info.dataset.timeframe}` : ''}`;
  const parts = [
    `${what}, ${String(ov.bars)} bars, depth ${String(a.depth)}: return ${pct(ov.return_pct)}`,
    risk ? `Sharpe ${n2(risk.sharpe)}` : null,
    `max drawdown ${pct(dd.max_drawdown_pct)}`,
    `${String(ov.closed_trades)} closed trades`,
    inf ? `PSR(0) ${n2(inf.psr0)}` : null,
    dsr ? `DSR ${n2(dsr.dsr)} with N = ${String(dsr.n)} (${dsr.evidence ?? '?'} evidence)` : null,
    pbo ? `PBO ${n2(pbo.pbo)}` : null,
  ].filter((x) => x !== null);
  const flagged = v.reasons.filter((r) => r.level !== 'pass').map((r) => r.message);
  return `${parts.join(', ')}. Verdict: ${v.verdict}${flagged.length ? ` (${flagged.join('; ')})` : ''}.`;
}
