/** Views and one-line summaries of champion versions and gate reports (shared by the champion tools and the CLI). */
import type { ChampionVersion } from '../storage/champions.js';
import type { GateReport, GateResult } from '../research/champions/index.js';
import { isoDate, num } from './format.js';

/** A version as tools show it; the full gate report only when `full`. */
export function versionView(v: ChampionVersion, full = false): Record<string, unknown> {
  const ev = v.evidence;
  const report = ev.gate_report as GateReport | undefined;
  return {
    strategy: v.strategy,
    symbol: v.symbol,
    timeframe: v.timeframe,
    version: v.version,
    params: v.params,
    metrics: v.metrics,
    source: { run_id: v.source_run_id, trial: v.source_trial },
    rollback_of: v.rollback_of,
    promoted_at: isoDate(v.promoted_at),
    promoted_by: v.promoted_by,
    reason: v.reason,
    dataset_hash: v.dataset_hash,
    engine_version: v.engine_version,
    evidence: full
      ? ev
      : {
          oos: ev.oos ?? null,
          dsr: ev.dsr ?? null,
          pbo: ev.pbo ?? null,
          p_value_vs_incumbent: ev.p_value_vs_incumbent ?? null,
          overrides: ev.overrides ?? [],
          gate_overrides: ev.gate_overrides ?? {},
          gates: report ? report.gates.map(gateBrief) : undefined,
          rollback: ev.rollback,
        },
  };
}

export function gateBrief(g: GateResult): Record<string, unknown> {
  return { gate: g.gate, status: g.status, value: g.value, threshold: g.threshold, ...(g.override ? { override: g.override } : {}) };
}

export function gateLine(g: GateResult): string {
  const show = (x: number): string => (Number.isInteger(x) ? String(x) : num(x, 4));
  const v = g.value === null ? '' : ` ${show(g.value)}${g.threshold === null ? '' : ` vs ${show(g.threshold)}`}`;
  const o = g.override ? (g.override.applied ? ` OVERRIDDEN (${g.override.reason})` : ' (override not needed)') : '';
  return `${g.gate}: ${g.status.toUpperCase()}${v}${o} — ${g.detail}`;
}

export function keyText(v: { strategy: string; symbol: string; timeframe: string }): string {
  return `${v.strategy} ${v.symbol} ${v.timeframe}`;
}
