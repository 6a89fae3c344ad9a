/**
 * `tradelab analyze <run_id>` as readable text: each section of analyzeResults' data
 * (src/research/analyze) as a block of label/value pairs or an aligned table, within about
 * 100 columns. Deep sections are in analysis-deep.ts. `--json` prints the data itself.
 */
import { deepSections, verdictSection } from './analysis-deep.js';
import { columns, fracPct, int, isoTime, list, num, obj, pairs, pct, section, whole, wrap, type Obj } from './text.js';


const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function header(a: Obj): string[] {
  const info = obj(a.subject) ?? {};
  const ds = obj(info.dataset);
  const what =
    info.kind === 'inline'
      ? 'inline result'
      : `${String(info.kind)} ${String(info.run_id)}${info.analyzed_run_id !== info.run_id ? ` (best trial run ${String(info.analyzed_run_id)})` : ''}`;
  const on = [info.strategy ? String(info.strategy) : null, ds ? `on ${String(ds.symbol)} ${String(ds.timeframe)}${ds.synthetic ? ' (SYNTHETIC data)' : ''}` : null].filter((x) => x !== null).join(' ');
  const lines = [`Analysis (depth ${String(a.depth)}) of ${what}`];
  if (on) lines.push(`  ${on}`);
  if (info.params) lines.push(...wrap(`params ${JSON.stringify(info.params)}`, '  ', '    '));
  return lines;
}

function overview(o: Obj): string[] {
  return pairs([
    ['from', isoTime(o.start)],
    ['to', isoTime(o.end)],
    ['bars', int(o.bars)],
    ['return periods', `${int(o.return_periods)} days (${int(o.periods_per_year)} a year)`],
    ['equity start', num(o.equity_start)],
    ['equity final', num(o.equity_final)],
    ['return', pct(o.return_pct)],
    ['trades', `${int(o.closed_trades)} closed, ${int(o.open_trades)} open`],
  ]);
}

function trades(t: Obj): string[] {
  const lines = pairs([
    ['closed trades', int(t.trades)],
    ['wins / losses / even', `${int(t.wins)} / ${int(t.losses)} / ${int(t.breakeven)}`],
    ['win rate', pct(t.win_rate_pct)],
    ['payoff ratio', num(t.payoff_ratio)],
    ['avg win', `${pct(t.avg_win_pct)} (${num(t.avg_win_pnl)})`],
    ['avg loss', `${pct(t.avg_loss_pct)} (${num(t.avg_loss_pnl)})`],
    ['largest win', num(t.largest_win_pnl)],
    ['largest loss', num(t.largest_loss_pnl)],
    ['total pnl', num(t.total_pnl)],
    ['total fees', num(t.total_fees)],
    ['streaks (win / loss)', `${int(t.max_win_streak)} / ${int(t.max_loss_streak)}`],
    ['duration bars', `avg ${num(t.avg_duration_bars, 1)}, min ${int(t.min_duration_bars)}, max ${int(t.max_duration_bars)}`],
    ['duration days', `avg ${num(t.avg_duration_days)}, max ${num(t.max_duration_days)}`],
  ]);
  const reasons = Object.entries(obj(t.by_exit_reason) ?? {}).filter(([, n]) => n !== 0);
  if (reasons.length) lines.push(`  exits by reason: ${reasons.map(([k, n]) => `${k} ${int(n)}`).join(', ')}`);
  return lines;
}

function drawdowns(d: Obj): string[] {
  const lines = pairs([
    ['max drawdown', pct(d.max_drawdown_pct)],
    ['avg drawdown', pct(d.avg_drawdown_pct)],
    ['max duration', `${whole(d.max_drawdown_duration_days)} days`],
    ['avg duration', `${whole(d.avg_drawdown_duration_days)} days`],
    ['time under water', pct(d.time_under_water_pct)],
    ['ulcer index', num(d.ulcer_index)],
  ]);
  const eps = list(d.episodes);
  if (eps.length) {
    lines.push(`  deepest ${eps.length} of ${int(d.episodes_total)} episodes:`);
    const rows = eps.map((e, i) => [String(i + 1), pct(e.depth_pct), isoTime(e.peak_time), isoTime(e.trough_time), e.recovered ? isoTime(e.end_time) : 'not recovered', whole(e.duration_days), whole(e.recovery_days)]);
    lines.push(...columns(['#', 'depth', 'peak', 'trough', 'recovered', 'days', 'recovery days'], rows, '    '));
  }
  return lines;
}

function returns(r: Obj): string[] {
  return [
    `  ${int(r.n)} ${String(r.basis)} returns (${int(r.periods_per_year)} a year)`,
    ...pairs([
      ['mean', fracPct(r.mean, 3)],
      ['std', fracPct(r.std, 3)],
      ['best', fracPct(r.best)],
      ['worst', fracPct(r.worst)],
      ['positive', pct(r.positive_pct)],
      ['tail ratio', num(r.tail_ratio)],
      ['skew', num(r.skew)],
      ['kurtosis (raw / excess)', `${num(r.kurtosis_raw)} / ${num(r.kurtosis_excess)}`],
      ['VaR 95 % / 99 %', `${fracPct(r.var_95)} / ${fracPct(r.var_99)}`],
      ['CVaR 95 % / 99 %', `${fracPct(r.cvar_95)} / ${fracPct(r.cvar_99)}`],
    ]),
  ];
}

function risk(r: Obj): string[] {
  return pairs([
    ['Sharpe', num(r.sharpe)],
    ['Sortino', num(r.sortino)],
    ['volatility (annual)', pct(r.volatility_ann_pct)],
    ['CAGR', pct(r.cagr_pct)],
    ['Calmar', num(r.calmar)],
    ['Omega', num(r.omega)],
    ['SQN', num(r.sqn)],
    ['Kelly', num(r.kelly, 3)],
    ['K-ratio', num(r.k_ratio, 3)],
    ['risk-free rate', fracPct(r.risk_free_rate)],
  ]);
}

function benchmark(b: Obj | null, warnings: unknown): string[] {
  if (!b) return (Array.isArray(warnings) && warnings.length ? warnings.map(String) : ['none']).flatMap((w) => wrap(w, '  '));
  return [
    ...pairs([
      ['buy & hold', pct(b.buy_hold_return_pct)],
      ['alpha', pct(b.alpha_pct)],
      ['beta', num(b.beta, 3)],
      ['correlation', num(b.correlation, 3)],
    ]),
    ...wrap(`(${String(b.source)}; ${String(b.basis)})`, '  '),
  ];
}

function sides(ls: Obj): string[] {
  const rows = (['long', 'short'] as const).map((k) => {
    const s = obj(ls[k]) ?? {};
    return [k, int(s.trades), pct(s.win_rate_pct), pct(s.avg_return_pct), num(s.payoff_ratio), num(s.total_pnl), pct(s.share_of_total_pnl_pct), int(s.max_loss_streak)];
  });
  return columns(['side', 'trades', 'win rate', 'avg return', 'payoff', 'total pnl', 'of pnl', 'loss streak'], rows);
}

/** Monthly returns as a year × month grid with the year's return; best/worst month. */
function breakdown(b: Obj): string[] {
  const byYear = new Map<number, string[]>();
  for (const m of list(b.monthly)) {
    const y = Number(m.year);
    const row = byYear.get(y) ?? Array<string>(12).fill('');
    row[Number(m.month) - 1] = num(m.return_pct, 1);
    byYear.set(y, row);
  }
  const yearly = new Map(list(b.yearly).map((y) => [Number(y.year), num(y.return_pct, 1)]));
  const years = [...new Set([...byYear.keys(), ...yearly.keys()])].sort((x, y) => x - y);
  const lines = years.length ? ['  returns in %, by month and year:', ...columns(['year', ...MONTHS, 'year'], years.map((y) => [String(y), ...(byYear.get(y) ?? Array<string>(12).fill('')), yearly.get(y) ?? '']))] : [];
  const month = (m: Obj | null): string => (m ? `${String(m.year)}-${String(m.month).padStart(2, '0')} ${pct(m.return_pct)}` : 'n/a');
  lines.push(...pairs([['best month', month(obj(b.best_month))], ['worst month', month(obj(b.worst_month))], ['positive months', pct(b.positive_months_pct)]], 3));
  if (Number(b.monthly_omitted) > 0) lines.push(`  (${int(b.monthly_omitted)} earlier months not listed)`);
  return lines;
}

/** The whole analysis of one run as text. */
export function analysisReport(a: Obj): string {
  const ov = obj(a.overview) ?? {};
  const t = obj(a.trades);
  const lines: string[] = [...header(a), ...section('Overview', overview(ov))];
  if (t) lines.push(...section('Trades', trades(t)));
  const dd = obj(a.drawdowns);
  if (dd) lines.push(...section('Drawdowns', drawdowns(dd)));
  const r = obj(a.returns);
  if (r) lines.push(...section('Returns', returns(r)));
  const rk = obj(a.risk);
  if (rk) lines.push(...section('Risk', risk(rk)));
  if ('benchmark' in a) lines.push(...section('Benchmark (buy & hold)', benchmark(obj(a.benchmark), a.benchmark_warnings)));
  const ls = obj(a.long_short);
  if (ls) lines.push(...section('Long / short', sides(ls)));
  const b = obj(a.breakdown);
  if (b) lines.push(...section('Calendar', breakdown(b)));
  lines.push(...deepSections(a), ...verdictSection(a));
  const warnings = Array.isArray(a.warnings) ? a.warnings.map(String) : [];
  if (warnings.length) lines.push(...section('Warnings', warnings.flatMap((w) => wrap(`- ${w}`, '  ', '    '))));
  return lines.join('\n');
}
