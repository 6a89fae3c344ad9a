/**
 * Backtest charts: `price` (candles as rule + bar marks, every trade's entry — triangle up for
 * long, down for short — and exit, linked and coloured by side), `equity`, `drawdown` (percent
 * below the running peak of the full equity) and `exposure` (net open positions from the trades:
 * 1 long, −1 short, 0 flat, as step areas).
 * Reduction: above maxPoints bars the candles are aggregated per bucket (candleBuckets) and the
 * equity and drawdown curves keep first/min/max/last per bucket (minMaxIndices), so each series
 * has at most maxPoints points; trades are never reduced.
 */
import { candleBuckets, minMaxIndices } from '../downsample.js';
import type { BacktestChartInput, ChartSpec } from '../types.js';
import { chart, COLOR, count, FMT, num, SIDE_SCALE, SMALL_HEIGHT, timeX, tip, utcText, WIDTH } from './common.js';

const DEFAULT_MAX_POINTS = 1500;

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function priceChart(input: BacktestChartInput, maxPoints: number): ChartSpec {
  const { time, open, high, low, close, trades, open_trades: openTrades } = input;
  const cb = candleBuckets(time, open, high, low, close, maxPoints);
  const m = cb.time.length;
  const gaps: number[] = [];
  for (let i = 1; i < m; i++) gaps.push(cb.time[i] - cb.time[i - 1]);
  const step = median(gaps) || 60_000;
  const candles = Array.from({ length: m }, (_, i) => {
    const next = i + 1 < m ? cb.time[i + 1] - cb.time[i] : step;
    return { t: cb.time[i], t2: cb.time[i] + 0.7 * Math.min(step, next), o: num(cb.open[i]), h: num(cb.high[i]), l: num(cb.low[i]), c: num(cb.close[i]) };
  });
  const rows = [
    ...trades.map((t) => ({ side: t.direction, et: t.entry_time, ep: num(t.entry_price), xt: t.exit_time, xp: num(t.exit_price), r: num(t.return_pct), why: t.exit_reason })),
    ...openTrades.map((t) => ({ side: t.direction, et: t.entry_time, ep: num(t.entry_price), xt: null, xp: null, r: null, why: 'open' })),
  ];
  const upDown = { condition: { test: 'datum.c >= datum.o', value: COLOR.up }, value: COLOR.down };
  const y = { type: 'quantitative', scale: { zero: false }, title: 'price' };
  const side = { field: 'side', type: 'nominal', title: 'side', scale: SIDE_SCALE };
  const tradeTips = [
    tip('side', 'side', undefined, 'nominal'), tip('entry', 'entry', undefined, 'nominal'), tip('ep', 'entry price', FMT.price),
    tip('exit', 'exit', undefined, 'nominal'), tip('xp', 'exit price', FMT.price), tip('r', 'return %', FMT.pct), tip('why', 'exit reason', undefined, 'nominal'),
  ];
  const tradeTransforms = [utcText('et', 'entry'), utcText('xt', 'exit')];
  const closed = { filter: 'isValid(datum.xt)' };
  const reduced = cb.size > 1 ? `${count(m)} candles of ${count(cb.size)} bars from ${count(time.length)} bars` : `${count(m)} bars`;
  const caption = `${reduced}; all ${count(trades.length)} closed trades${openTrades.length ? ` and ${count(openTrades.length)} open` : ''} (▲ long entry, ▼ short entry, ○ exit)`;
  return chart('price', 'Price and trades', caption, {
    width: WIDTH,
    height: 320,
    datasets: { candles, trades: rows },
    encoding: { x: timeX('t') },
    layer: [
      { data: { name: 'candles' }, mark: { type: 'rule', strokeWidth: 1 }, encoding: { y: { field: 'l', ...y }, y2: { field: 'h' }, color: upDown } },
      {
        data: { name: 'candles' }, transform: [utcText('t', 'time')], mark: { type: 'bar' },
        encoding: {
          x2: { field: 't2' }, y: { field: 'o', ...y }, y2: { field: 'c' }, color: upDown,
          tooltip: [tip('time', 'time', undefined, 'nominal'), tip('o', 'open', FMT.price), tip('h', 'high', FMT.price), tip('l', 'low', FMT.price), tip('c', 'close', FMT.price)],
        },
      },
      { data: { name: 'trades' }, transform: [closed], mark: { type: 'rule', strokeDash: [3, 2], opacity: 0.6 }, encoding: { x: timeX('et'), x2: { field: 'xt' }, y: { field: 'ep', ...y }, y2: { field: 'xp' }, color: side } },
      {
        name: 'entries', data: { name: 'trades' }, transform: tradeTransforms, mark: { type: 'point', filled: true, size: 70, opacity: 0.95 },
        encoding: { x: timeX('et'), y: { field: 'ep', ...y }, color: side, shape: { field: 'side', type: 'nominal', title: 'side', scale: { domain: ['long', 'short'], range: ['triangle-up', 'triangle-down'] } }, tooltip: tradeTips },
      },
      {
        name: 'exits', data: { name: 'trades' }, transform: [closed, ...tradeTransforms], mark: { type: 'point', shape: 'circle', filled: false, size: 45, strokeWidth: 1.5 },
        encoding: { x: timeX('xt'), y: { field: 'xp', ...y }, color: side, tooltip: tradeTips },
      },
    ],
  });
}

/** Percent below the running peak, for every bar (0 at a peak; 0 while the peak is not positive). */
export function drawdownPct(equity: Float64Array): Float64Array {
  const dd = new Float64Array(equity.length);
  let peak = -Infinity;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i];
    if (e > peak) peak = e;
    dd[i] = peak > 0 && Number.isFinite(e) ? (e / peak - 1) * 100 : 0;
  }
  return dd;
}

function seriesRows(time: Float64Array, values: Float64Array, maxPoints: number): { t: number; v: number | null }[] {
  const idx = minMaxIndices(values, Math.max(1, Math.floor(maxPoints / 4)));
  return Array.from(idx, (i) => ({ t: time[i], v: num(values[i]) }));
}

function reduction(kept: number, n: number): string {
  return kept < n ? `${count(kept)} of ${count(n)} points, first/min/max/last per bucket` : `${count(n)} points`;
}

function equityChart(input: BacktestChartInput, maxPoints: number): ChartSpec {
  const values = seriesRows(input.time, input.equity, maxPoints);
  return chart('equity', 'Equity', `Equity per bar; ${reduction(values.length, input.time.length)}`, {
    width: WIDTH, height: SMALL_HEIGHT + 60, data: { values }, transform: [utcText('t', 'time')],
    mark: { type: 'line', color: COLOR.line, strokeWidth: 1.5 },
    encoding: { x: timeX('t'), y: { field: 'v', type: 'quantitative', title: 'equity', scale: { zero: false } }, tooltip: [tip('time', 'time', undefined, 'nominal'), tip('v', 'equity', FMT.money)] },
  });
}

function drawdownChart(input: BacktestChartInput, maxPoints: number): ChartSpec {
  const dd = drawdownPct(input.equity);
  const values = seriesRows(input.time, dd, maxPoints);
  const worst = dd.reduce((a, b) => Math.min(a, b), 0);
  return chart('drawdown', 'Drawdown', `Percent below the running peak (max ${worst.toFixed(2)}%), from the full equity; ${reduction(values.length, input.time.length)}`, {
    width: WIDTH, height: SMALL_HEIGHT, data: { values }, transform: [utcText('t', 'time')],
    mark: { type: 'area', color: COLOR.loss, opacity: 0.6, line: { color: COLOR.loss, strokeWidth: 1 } },
    encoding: { x: timeX('t'), y: { field: 'v', type: 'quantitative', title: 'drawdown %' }, tooltip: [tip('time', 'time', undefined, 'nominal'), tip('v', 'drawdown %', '.2f')] },
  });
}

/** Net open positions (longs − shorts) after each entry/exit time, from the trades. */
export function exposureSteps(input: BacktestChartInput): { t: number; x: number }[] {
  const events = new Map<number, number>();
  const add = (t: number, d: number): void => void events.set(t, (events.get(t) ?? 0) + d);
  for (const t of input.trades) {
    const s = t.direction === 'long' ? 1 : -1;
    add(t.entry_time, s);
    add(t.exit_time, -s);
  }
  for (const t of input.open_trades) add(t.entry_time, t.direction === 'long' ? 1 : -1);
  const n = input.time.length;
  const steps: { t: number; x: number }[] = [];
  if (n > 0) steps.push({ t: input.time[0], x: 0 });
  let net = 0;
  for (const t of [...events.keys()].sort((a, b) => a - b)) {
    net += events.get(t) ?? 0;
    steps.push({ t, x: net });
  }
  if (n > 0 && input.time[n - 1] > (steps.at(-1)?.t ?? -Infinity)) steps.push({ t: input.time[n - 1], x: net });
  return steps;
}

function exposureChart(input: BacktestChartInput): ChartSpec {
  const values = exposureSteps(input);
  const area = (expr: string, color: string): Record<string, unknown> => ({
    transform: [{ calculate: expr, as: 'y' }], mark: { type: 'area', interpolate: 'step-after', color, opacity: 0.7 },
    encoding: { y: { field: 'y', type: 'quantitative', title: 'net position', axis: { tickMinStep: 1, format: 'd' } } },
  });
  return chart('exposure', 'Exposure', `Net open positions from the ${count(input.trades.length + input.open_trades.length)} trades: 1 long, −1 short, 0 flat (step per entry/exit)`, {
    width: WIDTH, height: 100, data: { values },
    encoding: { x: timeX('t') },
    layer: [
      area('max(datum.x, 0)', COLOR.long),
      area('min(datum.x, 0)', COLOR.short),
      { transform: [utcText('t', 'time')], mark: { type: 'line', interpolate: 'step-after', color: '#444444', strokeWidth: 0.8 }, encoding: { y: { field: 'x', type: 'quantitative' }, tooltip: [tip('time', 'from', undefined, 'nominal'), tip('x', 'net position', 'd')] } },
    ],
  });
}

/** The backtest's charts: price, equity, drawdown, exposure. */
export function backtestCharts(input: BacktestChartInput, opts: { maxPoints?: number } = {}): ChartSpec[] {
  const maxPoints = Math.max(8, Math.floor(opts.maxPoints ?? DEFAULT_MAX_POINTS));
  return [priceChart(input, maxPoints), equityChart(input, maxPoints), drawdownChart(input, maxPoints), exposureChart(input)];
}
