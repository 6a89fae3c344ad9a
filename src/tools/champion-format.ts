/** Views and one-line summaries of champion versions and gate reports (shared by the champion tools and the CLI). */
import type { ChampionVersion } from '../research/champions/types.js';
import { championDocument, type ExportResult, type GateReport, type GateResult } from '../research/champions/index.js';
import { publicPath, redactPaths, type PathBases } from '../research/public-paths.js';
import { num } from './format.js';

/** A version as tools show it; the full gate report only when `full`. */
export function versionView(v: ChampionVersion, full = false): Record<string, unknown> {
  const ev = v.evidence;
  const report = ev.gate_report as GateReport | undefined;
  // the exported document's fields, without its format tag; evidence trimmed unless `full`
  const { format: _format, evidence: _evidence, ...doc } = championDocument(v);
  void _format;
  void _evidence;
  return {
    ...doc,
    evidence: full
      ? ev
      : {
          oos: ev.oos ?? null,
          dsr: ev.dsr ?? null,
          dsr_detail: ev.dsr_detail ?? null,
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

/** A promotion's or rollback's export as MCP results show it: the file relative to the project, no machine path in an error. */
export function publicExport<T extends { readonly export: ExportResult | { error: string } | null }>(bases: PathBases, r: T): T {
  const e = r.export;
  if (e === null) return r;
  return { ...r, export: 'file' in e ? { ...e, file: publicPath(bases, e.file) } : { error: redactPaths(bases, e.error) } };
}
