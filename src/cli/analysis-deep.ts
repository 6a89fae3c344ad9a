/**
 * The deep sections of `tradelab analyze` as text (Sharpe inference, DSR with its N and
 * where N came from, PBO, Monte Carlo percentiles and risk of ruin, cost sensitivity with
 * the break-even cost) and the verdict with its reasons.
 */
import { cell, columns, fracPct, int, list, num, obj, pairs, pct, section, wrap, type Obj } from './text.js';

function inference(s: Obj): string[] {
  const lines = pairs([
    ['PSR(0)', num(s.psr0, 3)],
    ['Sharpe per period', num(s.sr_per_period, 4)],
    ['SR standard error', num(s.sr_std_error, 4)],
    ['track record', `${num(s.track_record_years)} years`],
    ['MinTRL (95 %)', s.min_trl_years === null || s.min_trl_years === undefined ? 'n/a' : `${num(s.min_trl_years)} years`],
    ['long enough', s.track_record_sufficient === true ? 'yes' : s.track_record_sufficient === false ? 'no' : 'n/a'],
  ]);
  if (s.note) lines.push(...wrap(String(s.note), '  '));
  return lines;
}

/** Why a section is missing: the warnings that name it, else `otherwise`. */
function missing(a: Obj, name: string, otherwise: string): string[] {
  const said = (Array.isArray(a.warnings) ? a.warnings.map(String) : []).filter((w) => w.includes(name));
  return (said.length ? said : [otherwise]).flatMap((w) => wrap(`n/a: ${w.replace(/^selection: /, '')}`, '  ', '    '));
}

function dsr(d: Obj): string[] {
  const lines = [
    ...pairs([
      ['DSR', num(d.dsr, 3)],
      ['N (configurations)', int(d.n)],
      ['evidence', String(d.evidence ?? 'n/a')],
      ['variance used', String(d.used ?? 'n/a')],
      ['SR₀ per period', num(d.sr0, 4)],
      ['periods', int(d.periods)],
    ]),
    ...wrap(`N: ${String(d.n_source ?? 'n/a')}`, '  ', '    '),
    ...wrap(`V: ${String(d.v_source ?? 'n/a')}`, '  ', '    '),
  ];
  const variants = [
    ['no-skill V₀', obj(d.no_skill)],
    ['cross-sectional V', obj(d.cross_sectional)],
  ] as const;
  const rows = variants.filter(([, v]) => v !== null).map(([name, v]) => [name, num(v?.v, 5), num(v?.sr0, 4), num(v?.dsr, 3)]);
  const eff = obj(d.effective_n_heuristic);
  if (eff) rows.push([`effective N ${num(eff.n, 1)} (heuristic)`, '', '', num(eff.dsr, 3)]);
  if (rows.length) lines.push(...columns(['variant', 'V', 'SR₀', 'DSR'], rows, '    '));
  return lines;
}

function pbo(p: Obj): string[] {
  const logits = obj(p.logits) ?? {};
  const lines = pairs([
    ['PBO', num(p.pbo, 3)],
    ['P(OOS loss)', num(p.prob_oos_loss, 3)],
    ['trials', `${int(p.n_trials)} of ${int(p.trials_in_ledger)} in the ledger`],
    ['splits', `${int(p.n_splits)} over ${int(p.n_blocks)} blocks${p.exact ? ' (all)' : ''}`],
    ['metric', String(p.metric)],
    ['logit median', num(logits.median, 3)],
    ['degradation slope', num(p.slope, 3)],
    ['optimize run', String(p.optimize_run_id ?? 'n/a')],
  ]);
  const most = list(p.most_selected);
  if (most.length) lines.push(`  most often the in-sample best: ${most.map((m) => `#${String(m.trial_number)} (${fracPct(m.share, 1)})`).join(', ')}`);
  return lines;
}

const MC_ROWS = [
  ['final return', 'final_return', (v: unknown) => fracPct(v)],
  ['max drawdown', 'max_drawdown', (v: unknown) => fracPct(v)],
  ['Sharpe', 'sharpe', (v: unknown) => num(v)],
  ['longest underwater', 'longest_underwater', (v: unknown) => num(v, 0)],
] as const;

function monteCarlo(m: Obj): string[] {
  const ruin = obj(m.risk_of_ruin) ?? {};
  const methods = [
    ['trades', obj(m.trade_bootstrap)],
    ['bars', obj(m.bar_bootstrap)],
  ] as const;
  const rows: string[][] = [];
  for (const [label, key, f] of MC_ROWS) {
    methods.forEach(([method, r], i) => {
      const q = obj(r?.[key]) ?? {};
      if (r) rows.push([i === 0 || !methods[0][1] ? label : '', method, f(obj(r.observed)?.[key]), f(q.p05), f(q.p50), f(q.p95)]);
    });
  }
  const lines: string[] = [];
  for (const [method, r] of methods) {
    if (r) lines.push(`  ${method}: ${int(r.paths)} paths of ${int(r.n)} ${method === 'trades' ? 'trades' : 'bar returns'}${r.block_length ? `, mean block ${int(r.block_length)}` : ''}, seed ${String(m.seed)}; P(loss) ${fracPct(r.p_loss, 1)}`);
  }
  if (rows.length) lines.push(...columns(['', 'method', 'observed', 'p05', 'p50', 'p95'], rows));
  lines.push(`  risk of ruin (drawdown past ${pct(ruin.drawdown_pct, 0)}): trades ${fracPct(ruin.trade_bootstrap, 1)}, bars ${fracPct(ruin.bar_bootstrap, 1)}`);
  for (const [method, r] of methods) {
    const worse = r ? list(r.p_drawdown_worse_than) : [];
    if (worse.length) lines.push(`  P(drawdown worse than) ${method}: ${worse.map((w) => `${fracPct(w.depth, 0)} ${fracPct(w.p, 1)}`).join(', ')}`);
  }
  for (const n of Array.isArray(m.path_reductions) ? m.path_reductions : []) lines.push(...wrap(String(n), '  '));
  return lines;
}

/** The cost curve as two-row tables, as few as fit in 100 columns. */
function curveLines(curve: readonly Obj[]): string[] {
  for (let parts = 1; ; parts++) {
    const size = Math.ceil(curve.length / parts);
    const lines: string[] = [];
    for (let i = 0; i < curve.length; i += size) {
      const chunk = curve.slice(i, i + size);
      lines.push(...columns(['bps per side', ...chunk.map((p) => num(p.cost_per_side_bps, 1))], [['return %', ...chunk.map((p) => num(p.return_pct, 1))]], '    '));
    }
    if (size === 1 || lines.every((l) => l.length <= 100)) return lines;
  }
}

function costs(c: Obj | null): string[] {
  if (!c) return ['  n/a (see the warnings)'];
  const base = obj(c.base_costs) ?? {};
  const be = obj(c.break_even) ?? {};
  const lines = [`  current costs: commission ${fracPct(base.commission, 3)}, slippage ${num(base.slippage_bps, 1)} bps, fixed fee ${num(base.fixed_fee)} → ${num(base.cost_per_side_bps, 1)} bps per side`];
  const rows = list(c.runs).map((r) => [`${int(r.multiple)}×`, fracPct(r.commission, 3), num(r.slippage_bps, 1), pct(r.return_pct), num(r.sharpe), pct(r.max_drawdown_pct), int(r.trades), num(r.fees_paid)]);
  lines.push(...columns(['costs', 'commission', 'slippage bps', 'return', 'Sharpe', 'max DD', 'trades', 'fees'], rows));
  const curve = list(c.curve);
  if (curve.length) lines.push('  return by cost per side:', ...curveLines(curve));
  const m = be.margin_over_current_bps;
  const margin = typeof m === 'number' ? `, ${num(Math.abs(m), 1)} bps ${m >= 0 ? 'above' : 'below'} the current costs` : '';
  lines.push(
    be.status === 'found'
      ? `  break-even: ${num(be.cost_per_side_bps, 2)} bps per side${margin}`
      : `  break-even: ${String(be.status ?? 'n/a')}${be.cap_bps !== undefined ? ` (searched up to ${num(be.cap_bps, 0)} bps)` : ''}`,
  );
  if (c.rerun_reproduces_stored === false) lines.push('  note: the 1× re-run does not reproduce the stored return');
  return lines;
}

/** The sections an analysis has at depth deep (none at other depths). */
export function deepSections(a: Obj): string[] {
  const lines: string[] = [];
  const inf = obj(a.sharpe_inference);
  if (inf) lines.push(...section('Sharpe inference', inference(inf)));
  const d = obj(a.dsr);
  if ('dsr' in a) lines.push(...section('Deflated Sharpe ratio (DSR)', d ? dsr(d) : missing(a, 'DSR', 'no trial ledger for this subject')));
  const p = obj(a.pbo);
  if ('pbo' in a) lines.push(...section('Probability of backtest overfitting (PBO)', p ? pbo(p) : missing(a, 'PBO', 'PBO applies to an optimisation (a selection among its trials); this subject is not one')));
  const mc = obj(a.monte_carlo);
  if (mc) lines.push(...section('Monte Carlo', monteCarlo(mc)));
  if ('cost_sensitivity' in a) lines.push(...section('Cost sensitivity', costs(obj(a.cost_sensitivity))));
  return lines;
}

const value = (v: unknown): string => (typeof v === 'number' && !Number.isInteger(v) ? num(v, 3) : cell(v));

export function verdictSection(a: Obj): string[] {
  const v = obj(a.verdict);
  if (!v) return [];
  const reasons = list(v.reasons);
  const lines = [`  ${String(v.verdict).toUpperCase()}`];
  if (reasons.length) lines.push(...columns(['level', 'value', 'threshold', 'reason'], reasons.map((r) => [String(r.level), value(r.value), value(r.threshold), String(r.message)])));
  const n = obj(v.dsr_n);
  if (n) lines.push(...wrap(`DSR N = ${int(n.n)}: ${String(n.source)}`, '  ', '    '));
  if (v.note) lines.push(...wrap(String(v.note), '  ', '    '));
  return section('Verdict', lines);
}
