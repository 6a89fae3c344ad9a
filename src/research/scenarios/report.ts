/**
 * The comparison report of a scenario file as plain text: one line per scenario (items,
 * ranking statistics, best item), then each kind's own table (sensitivity, in- vs
 * out-of-sample, ensemble vs members). Numbers are rounded here, for display only.
 */
import type { BatchCounts, Matrix, RankStats } from '../batch/rank.js';
import type { ScenarioOutcome } from './run.js';

function n(v: unknown, digits = 2): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return v === null || v === undefined ? 'n/a' : String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e9) ? v.toExponential(2) : v.toFixed(digits);
}

/** Left-aligned text columns. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, k) => (c ?? '').padEnd(w[k])).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}

function bestLabel(s: Record<string, unknown>): string {
  const top = s.top as Matrix | undefined;
  if (!top || top.rows.length === 0) return '-';
  const row = top.rows[0];
  const col = (name: string): unknown => row[top.columns.indexOf(name)];
  const label = col('label');
  return typeof label === 'string' && label ? label : `#${String(col('i'))} ${String(col('strategy'))} ${String(col('symbol'))} ${String(col('timeframe'))}`;
}

function overview(outcomes: readonly ScenarioOutcome[]): string[] {
  const rows = outcomes.map((o) => {
    const s = o.summary ?? {};
    const c = s.counts as BatchCounts | undefined;
    const st = s.stats as RankStats | undefined;
    const ens = s.ensemble as { metrics: Record<string, number | null> | null } | undefined;
    const headline = ens?.metrics && st ? `ensemble: ${st.metric} ${n(ens.metrics[st.metric])}` : o.summary ? bestLabel(s) : o.status === 'not_built' ? '(see below)' : '-';
    return [o.name, o.kind, o.status, o.run_id ?? '-', c ? String(c.items) : '-', c ? String(c.ok) : '-', c ? String(c.failed) : '-', st?.metric ?? '-', n(st?.best), n(st?.median), headline];
  });
  return table(['scenario', 'kind', 'status', 'run', 'items', 'ok', 'failed', 'metric', 'best', 'median', 'best item'], rows);
}

interface Side {
  value: number;
  metric: number | null;
  change: number | null;
  status: string | null;
  error: string | null;
}

function sensitivity(name: string, x: Record<string, unknown>): string[] {
  const rows = (x.rows as { path: string; base: number; minus: Side; plus: Side }[]) ?? [];
  const cell = (s: Side): string[] => [String(s.value), s.status === 'ok' ? n(s.metric) : (s.status ?? '-'), s.status === 'ok' ? n(s.change) : (s.error ?? '').slice(0, 60)];
  const most = x.most_sensitive as { path: string; change: number } | null;
  return [
    `[${name}] sensitivity of ${String(x.metric)} to ±${n((x.by as number) * 100, 0)}% of each parameter (base ${n(x.base)}):`,
    ...table(['param', 'base', '-value', String(x.metric), 'change', '+value', String(x.metric), 'change'], rows.map((r) => [r.path, String(r.base), ...cell(r.minus), ...cell(r.plus)])).map((l) => `  ${l}`),
    `  most sensitive: ${most ? `${most.path} (change ${n(most.change)})` : 'n/a'}`,
  ];
}

function fromStudy(name: string, x: Record<string, unknown>): string[] {
  const rows = (x.rows as { trial: number; in_sample: number; status: string; oos: number | null; oos_metric: string; oos_return_pct: number | null; run_id: string | null; error: string | null }[]) ?? [];
  const oos = x.oos as { symbol: string; timeframe: string; first_bar: string; last_bar: string };
  const metric = rows[0]?.oos_metric ?? 'metric';
  return [
    `[${name}] top ${rows.length} trials of study ${String(x.study)} (${String(x.direction)} ${String(x.objective ?? 'objective')}), out of sample on ${oos.symbol} ${oos.timeframe} ${oos.first_bar.slice(0, 10)} … ${oos.last_bar.slice(0, 10)}:`,
    ...(x.warning ? [`  WARNING: ${String(x.warning)}`] : []),
    ...table(['trial', 'in-sample', `OOS ${metric}`, 'OOS return %', 'run / error'], rows.map((r) => [String(r.trial), n(r.in_sample), r.status === 'ok' ? n(r.oos) : r.status, n(r.oos_return_pct), r.run_id ?? (r.error ?? '').slice(0, 80)])).map((l) => `  ${l}`),
  ];
}

const ENS_COLS = ['return_pct', 'cagr_pct', 'sharpe', 'sortino', 'max_drawdown_pct', 'volatility_ann_pct'] as const;

function ensemble(name: string, x: Record<string, unknown>): string[] {
  if (!x.metrics) return [`[${name}] ensemble: not computed: ${String(x.reason ?? 'unknown reason')}`];
  const m = x.metrics as Record<string, number | null>;
  const members = (x.members as { label: string | null; run_id: string; metrics: Record<string, number | null> }[]) ?? [];
  return [
    `[${name}] equal-weight ensemble of ${members.length} members, rebalanced daily, ${String(x.first_day)} … ${String(x.last_day)}; mean pairwise correlation of day returns ${n(x.avg_correlation)}:`,
    ...table(['', ...ENS_COLS], [['ensemble', ...ENS_COLS.map((k) => n(m[k]))], ...members.map((mm) => [mm.label ?? mm.run_id, ...ENS_COLS.map((k) => n(mm.metrics[k]))])]).map((l) => `  ${l}`),
  ];
}

function byRegime(name: string, x: Record<string, unknown>): string[] {
  const rows = x.rows as { regime: string; bars: number; time_pct: number; return_pct: number; volatility_ann_pct: number | null; sharpe: number | null; trades: number; win_rate_pct: number | null; avg_trade_pct: number | null }[] | null;
  if (!rows) return [`[${name}] by regime: not computed: ${String(x.reason ?? 'unknown reason')}`];
  return [
    `[${name}] ${String(x.strategy)} ${JSON.stringify(x.params)} by ${x.regimes === 'classifier' ? "the built-in classifier's regime" : 'its own regime'} (run ${String(x.run_id)}):`,
    ...table(
      ['regime', 'bars', 'time %', 'return %', 'vol ann %', 'sharpe', 'trades', 'win %', 'avg trade %'],
      rows.map((r) => [r.regime, String(r.bars), n(r.time_pct, 1), n(r.return_pct), n(r.volatility_ann_pct), n(r.sharpe), String(r.trades), n(r.win_rate_pct, 1), n(r.avg_trade_pct)]),
    ).map((l) => `  ${l}`),
    `  (${String(x.basis)})`,
  ];
}

export function scenarioReport(file: string, outcomes: readonly ScenarioOutcome[]): string {
  const lines = [`scenarios of ${file}: ${outcomes.length} run`, '', ...overview(outcomes)];
  for (const o of outcomes) {
    if (o.error) lines.push('', `[${o.name}] ${o.status === 'not_built' ? 'not run' : o.status}: ${o.error}`);
    const s = o.summary ?? {};
    if (s.sensitivity) lines.push('', ...sensitivity(o.name, s.sensitivity as Record<string, unknown>));
    if (s.from_study) lines.push('', ...fromStudy(o.name, s.from_study as Record<string, unknown>));
    if (s.ensemble) lines.push('', ...ensemble(o.name, s.ensemble as Record<string, unknown>));
    if (s.by_regime) lines.push('', ...byRegime(o.name, s.by_regime as Record<string, unknown>));
    const failures = (s.failures as { i: number; label: string | null; error: string }[] | undefined) ?? [];
    if (failures.length) lines.push('', `[${o.name}] failed items:`, ...failures.map((f) => `  #${f.i}${f.label ? ` ${f.label}` : ''}: ${f.error}`));
  }
  lines.push('', 'Each run id opens with get_run (include=items for the items); tradelab batch prints the same tables for one batch.');
  return lines.join('\n');
}
