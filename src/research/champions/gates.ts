/**
 * The promotion gates (issue 5): out-of-sample evidence exists, enough OOS trades, DSR of
 * the OOS returns above a threshold (deflated for the selection set of that kind of
 * evidence, research/selection.ts, with the no-skill V₀), PBO of the
 * optimisation below a threshold, and the candidate beats the incumbent on the same OOS days
 * (paired bootstrap of daily returns, incumbent re-run with the engine). A failing gate
 * blocks promotion unless the call overrides it with a reason. Deterministic: the same
 * store and inputs give the same report (the bootstrap is seeded), which the confirm token binds.
 */
import { alignedForPbo, dailyReturns, LEDGER_BLOCKS } from '../../engine/ledger.js';
import { returnMoments } from '../../engine/validation/moments.js';
import { pairedBootstrap } from '../../engine/validation/paired-bootstrap.js';
import { pbo } from '../../engine/validation/pbo.js';
import type { ChampionVersion } from '../../storage/champions.js';
import { entriesBySource, entriesBySourcePrefix } from '../../storage/ledger.js';
import type { App } from '../app.js';
import type { Gates } from '../config.js';
import { trialSourceId } from '../ledger.js';
import { deflateEvidence, dsrDetail, type EvidenceKind } from '../selection.js';
import { resolveParams } from '../strategy-params.js';
import { alignedDailyReturns, incumbentEquityOn } from './series.js';
import { iso } from './loose.js';
import type { Candidate, Evidence, GateName, GateOverride, GateReport, GateResult, Series, Thresholds } from './types.js';

export interface GateInputs {
  readonly candidate: Candidate;
  readonly evidence: Evidence | null;
  /** Why no evidence was found (searched runs, rejected runs). */
  readonly evidence_notes: readonly string[];
  /** The evidence, else the candidate's own run (in-sample), else null. */
  readonly series: Series | null;
  readonly incumbent: ChampionVersion | null;
  readonly thresholds: Thresholds;
  readonly bootstrap: Pick<Gates, 'bootstrap_resamples' | 'bootstrap_seed' | 'bootstrap_block'>;
}

const fail = (gate: GateName, detail: string, threshold: number | null, value: number | null = null, data?: Record<string, unknown>): GateResult => ({ gate, status: 'fail', value, threshold, detail, ...(data ? { data } : {}) });

function oosEvidenceGate(i: GateInputs): GateResult {
  const e = i.evidence;
  if (!e) return fail('oos_evidence', `no out-of-sample evidence. ${i.evidence_notes.join('; ')}. Run walk_forward, or a backtest with these params after the in-sample range, and pass its run id as evidence_run_id`, null);
  const what = e.kind === 'walk_forward' ? `walk-forward run ${e.run.id} (stitched OOS equity)` : `holdout backtest ${e.run.id}, after the in-sample range (last in-sample bar ${iso(i.candidate.inSample.last)})`;
  return { gate: 'oos_evidence', status: 'pass', value: null, threshold: null, detail: `${what}, ${iso(e.span.first)} … ${iso(e.span.last)}; found: ${e.found}`, data: { run_id: e.run.id, kind: e.kind, found: e.found, from: iso(e.span.first), to: iso(e.span.last), dataset_hash: e.dataset.content_hash } };
}

function tradesGate(i: GateInputs): GateResult {
  const min = i.thresholds.min_oos_trades;
  if (!i.evidence) return fail('min_oos_trades', 'no out-of-sample evidence, so no out-of-sample trades', min, 0);
  const n = i.evidence.trades;
  const ok = n >= min;
  return { gate: 'min_oos_trades', status: ok ? 'pass' : 'fail', value: n, threshold: min, detail: `${n} out-of-sample trades ${ok ? '≥' : '<'} ${min}` };
}

/** The ledger family the candidate was selected from (its N and trial Sharpe variance). */
function selectionFamily(app: App, c: Candidate): number | null {
  if (c.kind === 'optimize_trial') {
    const trial = c.ref.trial ?? -1;
    const own = [...entriesBySource(app.db, 'trial', trialSourceId(c.run.id, trial)), ...entriesBySource(app.db, 'trial', trialSourceId(c.run.id, trial, 'fine'))];
    return own[0]?.family_id ?? entriesBySourcePrefix(app.db, 'trial', `${c.run.id}#`)[0]?.family_id ?? null;
  }
  if (c.kind === 'backtest') return entriesBySource(app.db, 'backtest', c.run.id)[0]?.family_id ?? null;
  return null;
}

/** What the gate's return series is evidence of (research/selection.ts), for its DSR. */
export function evidenceKind(i: GateInputs): EvidenceKind {
  const e = i.evidence;
  if (e) {
    if (e.kind === 'holdout_backtest') return 'holdout';
    const p = e.run.spec.params;
    return p !== undefined && p !== null ? 'fixed_walk_forward' : 'walk_forward_oos';
  }
  const c = i.candidate;
  if (c.kind === 'walk_forward') return c.run.spec.params !== undefined && c.run.spec.params !== null ? 'fixed_walk_forward' : 'walk_forward_oos';
  return c.kind === 'optimize_trial' ? 'in_sample' : 'backtest';
}

function dsrGate(app: App, i: GateInputs): GateResult {
  const min = i.thresholds.min_dsr;
  const s = i.series;
  if (!s) return fail('min_dsr', 'no return series to compute a DSR on', min);
  const r = dailyReturns(s.time, s.equity);
  const m = returnMoments(r);
  if (m.sharpe === null || m.skew === null || m.kurtosisRaw === null || r.length < 3) {
    return fail('min_dsr', `DSR undefined on ${r.length} daily returns (${m.warnings.join('; ') || 'too few'})`, min);
  }
  const kind = evidenceKind(i);
  try {
    const b = deflateEvidence(app, { kind, symbol: s.dataset.symbol, timeframe: s.dataset.timeframe, from: s.span.first, to: s.span.last }, { sr: m.sharpe, t: r.length, skew: m.skew, kurtosisRaw: m.kurtosisRaw });
    const ok = b.dsr >= min;
    const on = s.label === 'out_of_sample' ? `the out-of-sample evidence ${s.run_id}` : "the candidate's own in-sample run (no OOS evidence)";
    return {
      gate: 'min_dsr',
      status: ok ? 'pass' : 'fail',
      value: b.dsr,
      threshold: min,
      detail: `DSR ${b.dsr.toFixed(4)} ${ok ? '≥' : '<'} ${min} on ${r.length} daily returns of ${on}, deflated for N = ${b.n} (${kind} evidence; no-skill V₀): ${b.n_source}`,
      data: { data: s.label, days: r.length, ...dsrDetail(b) },
    };
  } catch (e) {
    return fail('min_dsr', `DSR could not be computed: ${(e as Error).message}`, min);
  }
}

function pboGate(app: App, i: GateInputs): GateResult {
  const max = i.thresholds.max_pbo;
  const c = i.candidate;
  if (c.kind !== 'optimize_trial') {
    return { gate: 'max_pbo', status: 'not_applicable', value: null, threshold: max, detail: `the candidate did not come from an optimisation (it is a ${c.kind.replace('_', '-')} run)` };
  }
  const fam = selectionFamily(app, c);
  const seen = new Set<string>();
  const distinct = entriesBySourcePrefix(app.db, 'trial', `${c.run.id}#`).filter((e) => {
    if (e.family_id !== fam || e.blocks.length !== LEDGER_BLOCKS || seen.has(e.params_hash)) return false;
    seen.add(e.params_hash);
    return true;
  });
  const usable = alignedForPbo(distinct).aligned;
  if (usable.length < 2) {
    return fail('max_pbo', `PBO unavailable: ${usable.length} distinct trial(s) of ${c.run.id} have ${LEDGER_BLOCKS} block moments in the ledger (at least 2 needed; short ranges have fewer than ${LEDGER_BLOCKS} days)`, max);
  }
  const res = pbo(usable.map((e) => e.blocks));
  const ok = res.pbo <= max;
  return {
    gate: 'max_pbo',
    status: ok ? 'pass' : 'fail',
    value: res.pbo,
    threshold: max,
    detail: `PBO ${res.pbo.toFixed(4)} ${ok ? '≤' : '>'} ${max} over ${usable.length} distinct trials of ${c.run.id} (CSCV, ${res.n_splits} splits, exact)`,
    data: { n_trials: usable.length, n_splits: res.n_splits, prob_oos_loss: res.prob_oos_loss, slope: res.slope },
  };
}

function beatsGate(app: App, i: GateInputs): GateResult {
  const maxP = i.thresholds.max_p_value;
  const inc = i.incumbent;
  if (!inc) return { gate: 'beats_incumbent', status: 'pass', value: null, threshold: maxP, detail: 'no incumbent: passes trivially (this would be the first champion for this strategy/symbol/timeframe)' };
  const s = i.series;
  if (!s) return fail('beats_incumbent', `no return series to compare with incumbent v${inc.version}`, maxP);
  let incParams: Record<string, unknown>;
  try {
    incParams = resolveParams(i.candidate.strategy, inc.params, `incumbent v${inc.version} params`);
  } catch (e) {
    return fail('beats_incumbent', `the incumbent's params no longer fit the strategy: ${(e as Error).message}`, maxP);
  }
  const incEquity = incumbentEquityOn(app, s, i.candidate.strategy, incParams);
  const al = alignedDailyReturns(s.time, s.equity, incEquity);
  if (al.a.length < 2) return fail('beats_incumbent', `only ${al.a.length} common daily return(s) with incumbent v${inc.version}; at least 2 needed`, maxP);
  const b = pairedBootstrap(al.a, al.b, { seed: i.bootstrap.bootstrap_seed, resamples: i.bootstrap.bootstrap_resamples, blockLength: Math.min(i.bootstrap.bootstrap_block, al.a.length) });
  const ok = b.p_value < maxP;
  const total = (r: Float64Array): number => 100 * (r.reduce((p, x) => p * (1 + x), 1) - 1);
  const on = s.label === 'out_of_sample' ? `the out-of-sample days of ${s.run_id}` : "the candidate's own in-sample run (no OOS evidence)";
  return {
    gate: 'beats_incumbent',
    status: ok ? 'pass' : 'fail',
    value: b.p_value,
    threshold: maxP,
    detail: `vs incumbent v${inc.version} re-run on ${on} (${al.a.length} days): mean daily difference ${(b.mean_diff * 100).toFixed(4)} %, paired bootstrap p = ${b.p_value.toFixed(4)} ${ok ? '<' : '≥'} ${maxP}`,
    data: {
      incumbent_version: inc.version,
      data: s.label,
      from: iso(s.span.first),
      to: iso(s.span.last),
      days: al.a.length,
      candidate_return_pct: total(al.a),
      incumbent_return_pct: total(al.b),
      mean_diff: b.mean_diff,
      ci90: b.ci90,
      p_value: b.p_value,
      method: b.method,
      resamples: b.resamples,
      block_length: b.block_length,
      seed: b.seed,
    },
  };
}

export function evaluateGates(app: App, i: GateInputs, overrides: readonly GateOverride[]): GateReport {
  const raw = [oosEvidenceGate(i), tradesGate(i), dsrGate(app, i), pboGate(app, i), beatsGate(app, i)];
  const byGate = new Map(overrides.map((o) => [o.gate, o.reason]));
  const gates = raw.map((g): GateResult => {
    const reason = byGate.get(g.gate);
    return reason === undefined ? g : { ...g, override: { reason, applied: g.status === 'fail' } };
  });
  const blocking = gates.filter((g) => g.status === 'fail' && !g.override).map((g) => g.gate);
  return { gates, promotable: blocking.length === 0, blocking, thresholds: i.thresholds };
}
