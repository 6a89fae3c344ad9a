/**
 * One-line forms of listed items for the text block of tool results (one line per item,
 * starting "- "): runs, section rows (trades, trials, windows, batch items, …), and the
 * paging line. Rounding happens only here, for display; the exact values are in
 * structuredContent.
 */
import { num } from './format.js';
import { roundForText } from './result-text.js';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Compact JSON of a small value (params, metrics): numbers rounded, cut at `max` characters. */
export function brief(v: unknown, max = 160): string {
  const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? roundForText(x) : x)) ?? 'null';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** "Showing 1–3 of 15; next page: cursor "3" (12 more)." (or "All 3 shown."). */
export function pagingLine(offset: number, shown: number, total: number, nextCursor: string | null, noun = 'items'): string {
  if (total === 0) return `No ${noun}.`;
  if (shown === 0) return `No ${noun} at this cursor (${total} in all).`;
  const range = `${offset + 1}–${offset + shown} of ${total} ${noun}`;
  return nextCursor === null ? `Showing ${range}.` : `Showing ${range}; next page: cursor "${nextCursor}" (${total - offset - shown} more).`;
}

/** The key figures of a stored run summary, by kind (after its symbol and timeframe). */
export function summaryFigures(kind: string, s: Obj | null): string {
  if (!s) return '';
  const figures = kindFigures(kind, s);
  return s.symbol ? `${String(s.symbol)} ${String(s.timeframe)}${figures ? `, ${figures}` : ''}` : figures;
}

/** The key figures of a run summary by kind (sharpe, return, drawdown, trades; a study's best; OOS figures; batch counts). */
export function kindFigures(kind: string, s: Obj): string {
  if (kind === 'backtest') {
    return `sharpe ${num(s.sharpe)}, return ${num(s.return_pct)} %, max DD ${num(s.max_drawdown_pct)} %, ${String(s.trades ?? '?')} trades`;
  }
  if (kind === 'optimize') {
    const best = obj(s.best);
    const metric = str(obj((s.objectives as unknown[] | undefined)?.[0])?.metric) ?? 'value';
    const values = best?.values as (number | null)[] | null | undefined;
    const b = best ? `best #${String(best.number)} ${metric} ${num(values?.[0])}${best.run_id ? ` (run ${String(best.run_id)})` : ''}` : 'no complete trial';
    return `study ${String(s.study_name)}, ${String(s.trials_total ?? '?')} trials, ${b}`;
  }
  if (kind === 'walk_forward') {
    const o = obj(s.oos);
    const oos = o ? `OOS sharpe ${num(o.sharpe)}, return ${num(o.return_pct)} %, DSR ${num(o.dsr, 3)}, ${String(o.trades)} trades` : 'no OOS window';
    return `${String(s.windows ?? '?')} windows, ${oos}, WFE ${num(s.wfe, 3)}`;
  }
  if (kind === 'batch') {
    const c = obj(s.counts);
    const st = obj(s.stats);
    const counts = c ? `${String(c.items)} items (${String(c.ok)} ok, ${String(c.failed)} failed)` : '';
    return `${counts}${st && st.n ? `, best ${String(st.metric)} ${num(st.best)}` : ''}`;
  }
  return '';
}

/** One run: id, kind, status (progress), strategy, key figures or error. */
export function runLine(r: { run_id: string; kind: string; status: string; strategy: string | null; progress?: unknown; error?: unknown; summary: unknown }): string {
  const p = obj(r.progress);
  const prog = p && (r.status === 'running' || r.status === 'queued') ? ` (${String(p.done)}/${String(p.total ?? '?')})` : '';
  const figures = summaryFigures(r.kind, obj(r.summary));
  const err = str(r.error);
  const tail = [figures, err ? `error: ${err.length > 120 ? `${err.slice(0, 119)}…` : err}` : ''].filter(Boolean).join('; ');
  return `- ${r.run_id} ${r.kind} ${r.status}${prog} ${r.strategy ?? '-'}${tail ? `: ${tail}` : ''}`;
}

const iso = (v: unknown): string => (typeof v === 'number' ? new Date(v).toISOString() : String(v));

const SECTION_LINES: Partial<Record<string, (x: Obj) => string>> = {
  trades: (t) => `${String(t.direction)} ${iso(t.entry_time)} → ${iso(t.exit_time)}: return ${num(t.return_pct)} %, pnl ${num(t.pnl)} (${String(t.exit_reason)})`,
  trials: (t) => `#${String(t.number)} ${String(t.state)} values ${brief(t.values)} params ${brief(t.params)}${t.fail_reason ? ` (${String(t.fail_reason)})` : ''}`,
  windows: (w) => {
    const is = obj(w.is);
    const oos = obj(w.oos);
    const m = obj(w.oos_metrics);
    return `window ${String(w.index)}: IS ${String(is?.from)} … ${String(is?.to)}, OOS ${String(oos?.from)} … ${String(oos?.to)}, params ${brief(w.params)}, OOS ${m ? `return ${num(m.return_pct)} %, sharpe ${num(m.sharpe)}` : 'n/a'}${w.error ? `, error: ${String(w.error)}` : ''}`;
  },
  items: (i) => `${i.rank === null ? '-' : `#${String(i.rank)}`} item ${String(i.i)} ${String(i.strategy)} ${String(i.symbol)} ${String(i.timeframe)} ${brief(i.params, 80)}: ${String(i.status)} ${num(i.value)}${i.run_id ? ` (run ${String(i.run_id)})` : ''}${i.error ? ` error: ${String(i.error)}` : ''}`,
};
SECTION_LINES.top = SECTION_LINES.trials;

/** Lines for the first `max` rows of a get_run section page. */
export function sectionLines(section: string, items: readonly unknown[], max = 20): string[] {
  const f = SECTION_LINES[section] as ((x: Obj) => string) | undefined;
  const lines = items.slice(0, max).map((x) => {
    const o = obj(x);
    return `- ${f && o ? f(o) : brief(x, 200)}`;
  });
  if (items.length > max) lines.push(`- … ${items.length - max} more on this page (structuredContent)`);
  return lines;
}
