/**
 * Two-step promotion. `dry_run: true` (the default) resolves the candidate and its
 * out-of-sample evidence, evaluates the gates, diffs against the incumbent and, when every
 * gate passes or is overridden with a reason, issues a confirm token bound to (candidate,
 * incumbent version, gate report, overrides). `dry_run: false` with that token recomputes
 * everything, checks the token, and writes the new version and the pointer move in one
 * transaction that also checks the incumbent version (a racing promotion loses cleanly).
 * The champion file is exported after the commit.
 */
import { definitionRef } from '../strategies.js';
import { ENGINE_VERSION } from '../../engine/version.js';
import { appendChampionVersion, ChampionChangedError, championSecret, getCurrentChampion, type ChampionVersion, type ChampionWriteHooks } from '../../storage/champions.js';
import type { App } from '../app.js';
import { UserError } from '../errors.js';
import { resolveCandidate } from './candidate.js';
import { diffAgainst, type ChampionDiff } from './diff.js';
import { resolveEvidence } from './evidence.js';
import { exportChampion, type ExportResult } from './export.js';
import { evaluateGates } from './gates.js';
import { headline, iso } from './loose.js';
import { ownSeries } from './series.js';
import { issueToken, verifyToken, type TokenBinding } from './token.js';
import { THRESHOLD_NAMES, type Candidate, type CandidateRef, type ChampionKey, type Evidence, type GateOverride, type GateReport, type Thresholds } from './types.js';

export interface PromoteRequest {
  readonly candidate: CandidateRef;
  readonly evidence_run_id?: string;
  /** Default true: report only, and issue a confirm token when promotable. */
  readonly dry_run?: boolean;
  readonly confirm_token?: string;
  /** Per-call threshold changes (recorded with the version). */
  readonly gate_overrides?: Partial<Thresholds>;
  /** Failing gates to let through, each with its reason (recorded with the version). */
  readonly overrides?: readonly GateOverride[];
  /** Why this promotion (required to promote). */
  readonly reason?: string;
  readonly promoted_by?: string;
}

export interface PromoteHooks extends ChampionWriteHooks {
  /** Called after the token check, before the write transaction (tests interleave a rival here). */
  readonly beforeWrite?: () => void;
}

export interface PromoteResult {
  readonly dry_run: boolean;
  readonly key: ChampionKey;
  readonly candidate: Record<string, unknown>;
  readonly evidence: Record<string, unknown> | null;
  readonly incumbent: { readonly version: number; readonly params: Record<string, unknown>; readonly promoted_at: string | null } | null;
  readonly gate_report: GateReport;
  readonly diff: ChampionDiff;
  readonly promotable: boolean;
  readonly confirm_token: string | null;
  readonly token_expires_at: string | null;
  readonly promoted: ChampionVersion | null;
  readonly export: ExportResult | { readonly error: string } | null;
}

function thresholdsFor(app: App, o: Partial<Thresholds> = {}): Thresholds {
  const g = app.config.gates;
  const out: Record<string, number> = {};
  for (const k of THRESHOLD_NAMES) out[k] = o[k] ?? g[k];
  return out as unknown as Thresholds;
}

function checkOverrides(overrides: readonly GateOverride[]): void {
  const seen = new Set<string>();
  for (const o of overrides) {
    if (seen.has(o.gate)) throw new UserError(`gate ${o.gate} is overridden twice`, { field: 'override', value: o.gate, expected: 'each gate at most once' });
    seen.add(o.gate);
    if (o.reason.trim().length < 3) throw new UserError(`the override of ${o.gate} needs a reason`, { field: 'override.reason', value: o.reason, expected: 'a sentence saying why this gate may be bypassed (it is recorded)' });
  }
}

interface Assessment {
  readonly cand: Candidate;
  readonly evidence: Evidence | null;
  readonly incumbent: ChampionVersion | null;
  readonly report: GateReport;
  readonly binding: TokenBinding;
}

function assess(app: App, req: PromoteRequest): Assessment {
  const overrides = req.overrides ?? [];
  checkOverrides(overrides);
  const cand = resolveCandidate(app, req.candidate);
  const thresholds = thresholdsFor(app, req.gate_overrides);
  const { evidence, notes } = resolveEvidence(app, cand, req.evidence_run_id);
  const incumbent = getCurrentChampion(app.db, cand.key) ?? null;
  const series = evidence ?? ownSeries(app, cand);
  const report = evaluateGates(app, { candidate: cand, evidence, evidence_notes: notes, series, incumbent, thresholds, bootstrap: app.config.gates }, overrides);
  const binding: TokenBinding = {
    candidate: { ref: cand.ref, key: cand.key, params: cand.params },
    incumbent_version: incumbent?.version ?? null,
    // the gate results include the evidence run (gate oos_evidence), so new evidence reads as a changed report
    gate_report: { thresholds, gates: report.gates.map(({ override: _o, ...g }) => g) },
    overrides: { overrides: [...overrides].sort((a, b) => a.gate.localeCompare(b.gate)), gate_overrides: req.gate_overrides ?? {} },
  };
  return { cand, evidence, incumbent, report, binding };
}

function evidenceView(e: Evidence | null): Record<string, unknown> | null {
  if (!e) return null;
  return { run_id: e.run.id, kind: e.kind, found: e.found, from: iso(e.span.first), to: iso(e.span.last), trades: e.trades, dataset_id: e.dataset.id, dataset_hash: e.dataset.content_hash, metrics: e.metrics };
}

/** Where the recorded DSR came from (evidence kind, N, V, SR₀), from the min_dsr gate. */
function dsrBrief(r: GateReport): Record<string, unknown> | null {
  const d = r.gates.find((g) => g.gate === 'min_dsr')?.data;
  if (!d || d.n === undefined) return null;
  return { evidence: d.evidence, n: d.n, n_source: d.n_source, v: d.v, v_source: d.v_source, sr0: d.sr0, used: d.used };
}

function gateValue(r: GateReport, gate: string): number | null {
  return r.gates.find((g) => g.gate === gate)?.value ?? null;
}

function newVersion(app: App, a: Assessment, req: PromoteRequest, reason: string): Omit<ChampionVersion, 'version'> {
  const { cand, evidence, report } = a;
  return {
    ...cand.key,
    params: cand.params,
    metrics: { source: evidence ? 'out_of_sample' : 'in_sample', run_id: evidence?.run.id ?? cand.run.id, ...headline(evidence?.metrics ?? cand.metrics), in_sample: cand.metrics },
    source_run_id: cand.run.id,
    source_trial: cand.ref.trial ?? null,
    evidence: {
      candidate: { kind: cand.kind, run_id: cand.run.id, trial: cand.ref.trial ?? null },
      // a language strategy's definition: the champion holds for this one only
      strategy_definition: definitionRef(cand.strategy),
      oos: evidenceView(evidence),
      dsr: gateValue(report, 'min_dsr'),
      dsr_detail: dsrBrief(report),
      pbo: gateValue(report, 'max_pbo'),
      p_value_vs_incumbent: gateValue(report, 'beats_incumbent'),
      incumbent_version: a.incumbent?.version ?? null,
      gate_report: report,
      gate_overrides: req.gate_overrides ?? {},
      overrides: (req.overrides ?? []).map((o) => ({ gate: o.gate, reason: o.reason, applied: report.gates.find((g) => g.gate === o.gate)?.override?.applied ?? false })),
    },
    dataset_hash: cand.dataset.content_hash,
    engine_version: ENGINE_VERSION,
    promoted_at: app.now(),
    promoted_by: req.promoted_by ?? 'unknown',
    reason,
    rollback_of: null,
  };
}

/** Exports after a committed change; a failed export is reported, never undoes the commit. */
export function safeExport(app: App, key: ChampionKey): ExportResult | { error: string } | null {
  try {
    return exportChampion(app, key);
  } catch (e) {
    return { error: `the champion was saved but its file could not be written: ${(e as Error).message}` };
  }
}

export function promote(app: App, req: PromoteRequest, hooks: PromoteHooks = {}): PromoteResult {
  const dryRun = req.dry_run ?? true;
  if (dryRun && req.confirm_token !== undefined) {
    throw new UserError('confirm_token is only used with dry_run: false', { field: 'dry_run', value: true, hint: 'pass dry_run: false together with the confirm_token to promote' });
  }
  if (!dryRun && req.confirm_token === undefined) {
    throw new UserError('dry_run: false needs the confirm_token of a dry run', { field: 'confirm_token', hint: 'call champion_promote with dry_run: true first, review the gate report, then confirm with its token' });
  }
  const reason = req.reason?.trim() ?? '';
  if (!dryRun && reason.length < 3) throw new UserError('a promotion needs a reason', { field: 'reason', value: req.reason, expected: 'a sentence saying why (recorded in the history)' });
  const a = assess(app, req);
  const secret = championSecret(app.db);
  const base = {
    key: a.cand.key,
    candidate: { kind: a.cand.kind, run_id: a.cand.run.id, trial: a.cand.ref.trial ?? null, params: a.cand.params, metrics: a.cand.metrics, in_sample: { from: iso(a.cand.inSample.first), to: iso(a.cand.inSample.last) } },
    evidence: evidenceView(a.evidence),
    incumbent: a.incumbent ? { version: a.incumbent.version, params: a.incumbent.params, promoted_at: iso(a.incumbent.promoted_at) } : null,
    gate_report: a.report,
    diff: diffAgainst(a.incumbent, a.cand.params, a.evidence?.metrics ?? a.cand.metrics),
    promotable: a.report.promotable,
  };
  if (dryRun) {
    const expires = app.now() + app.config.gates.token_minutes * 60_000;
    const token = a.report.promotable ? issueToken(secret, a.binding, expires) : null;
    return { ...base, dry_run: true, confirm_token: token, token_expires_at: token ? iso(expires) : null, promoted: null, export: null };
  }
  verifyToken(secret, req.confirm_token as string, a.binding, app.now());
  if (!a.report.promotable) {
    throw new UserError(`gates failed: ${a.report.blocking.join(', ')}`, { field: 'override', hint: 'override a failing gate with {gate, reason} (recorded), or improve the evidence' });
  }
  hooks.beforeWrite?.();
  let promoted: ChampionVersion;
  try {
    promoted = appendChampionVersion(app.db, newVersion(app, a, req, reason), a.binding.incumbent_version, hooks);
  } catch (e) {
    if (e instanceof ChampionChangedError) {
      throw new UserError(`the champion changed while you were promoting (expected version ${e.expected ?? 'none'}, found ${e.actual ?? 'none'}); re-run the dry run`, {
        field: 'confirm_token',
        hint: 'call champion_promote with dry_run: true again: the gates must compare against the new incumbent',
      });
    }
    throw e;
  }
  return { ...base, dry_run: false, confirm_token: null, token_expires_at: null, promoted, export: safeExport(app, a.cand.key) };
}
