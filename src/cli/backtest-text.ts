/**
 * The human output of `tradelab backtest`: every metric (counts as integers), the warnings,
 * and the last trades as a table with ISO-8601 UTC times. `--json` prints the result as
 * documented (times there stay epoch milliseconds).
 */
import type { Metrics, OpenTrade, Trade } from '../engine/backtest/types.js';
import { columns, int, isoTime, num, pct } from './text.js';

/** Metrics that count something: printed as integers. */
const COUNTS = new Set(['trades', 'open_trades', 'predictions', 'periods_per_year']);

export function metricLines(metrics: Metrics): string[] {
  return Object.entries(metrics).map(([k, v]) => `  ${k.padEnd(30)} ${typeof v !== 'number' ? 'n/a' : COUNTS.has(k) ? int(v) : num(v, 4)}`);
}

/** The last `n` closed trades (oldest first) and any trade still open, as tables. */
export function tradeLines(trades: readonly Trade[], open: readonly OpenTrade[], n: number): string[] {
  const lines: string[] = [];
  if (n > 0 && trades.length > 0) {
    const first = Math.max(0, trades.length - n);
    const shown = trades.slice(first);
    lines.push('', shown.length === trades.length ? `trades (all ${trades.length}):` : `trades (the last ${shown.length} of ${trades.length}; --trades N for more):`);
    const rows = shown.map((t, i) => [String(first + i + 1), t.direction, isoTime(t.entry_time), isoTime(t.exit_time), String(t.exit_bar - t.entry_bar), num(t.entry_price, 4), num(t.exit_price, 4), pct(t.return_pct), num(t.pnl), t.exit_reason]);
    lines.push(...columns(['#', 'side', 'entry', 'exit', 'bars', 'entry price', 'exit price', 'return', 'pnl', 'exit'], rows));
  }
  if (open.length > 0) {
    lines.push('', 'open at the end (not in the trade statistics):');
    lines.push(...columns(['side', 'entry', 'entry price', 'mark price', 'unrealized pnl'], open.map((t) => [t.direction, isoTime(t.entry_time), num(t.entry_price, 4), num(t.mark_price, 4), num(t.unrealized_pnl)])));
  }
  return lines;
}
