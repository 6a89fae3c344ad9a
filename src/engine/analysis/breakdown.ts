/**
 * Returns by calendar month and year (UTC) from an equity curve. A period's return is its last
 * equity over the previous period's last equity − 1; the first period is measured from
 * equity[0] (the starting capital). Months without bars do not appear (no invented zeros);
 * the next month's return then spans the gap and is flagged `spans_gap`.
 */
export interface PeriodReturn {
  readonly year: number;
  /** 1–12 for monthly rows; absent for yearly rows. */
  readonly month?: number;
  readonly return_pct: number;
  /** True when the previous calendar period had no bars, so this return covers more than one period. */
  readonly spans_gap: boolean;
}

export interface CalendarBreakdown {
  readonly monthly: PeriodReturn[];
  readonly yearly: PeriodReturn[];
  readonly best_month: PeriodReturn | null;
  readonly worst_month: PeriodReturn | null;
  /** Share of months with a positive return, in percent. */
  readonly positive_months_pct: number | null;
  readonly warnings: string[];
}

function rows(equity: ArrayLike<number>, time: ArrayLike<number>, key: (d: Date) => number): { key: number; last: number }[] {
  const out: { key: number; last: number }[] = [];
  for (let i = 0; i < equity.length; i++) {
    const k = key(new Date(time[i]));
    if (out.length && out[out.length - 1].key === k) out[out.length - 1].last = equity[i];
    else out.push({ key: k, last: equity[i] });
  }
  return out;
}

function toReturns(list: { key: number; last: number }[], start: number, monthly: boolean): PeriodReturn[] {
  let prev = start;
  let prevKey = NaN;
  return list.map(({ key, last }) => {
    const r: PeriodReturn = monthly
      ? { year: Math.floor(key / 12), month: (key % 12) + 1, return_pct: 100 * (last / prev - 1), spans_gap: key - prevKey > 1 }
      : { year: key, return_pct: 100 * (last / prev - 1), spans_gap: key - prevKey > 1 };
    prev = last;
    prevKey = key;
    return r;
  });
}

export function calendarBreakdown(equity: ArrayLike<number>, time: ArrayLike<number>): CalendarBreakdown {
  if (equity.length !== time.length) throw new RangeError(`equity (${equity.length}) and time (${time.length}) must have equal length`);
  const warnings: string[] = [];
  if (equity.length === 0 || !(equity[0] > 0)) {
    warnings.push('calendar breakdown undefined: empty equity or non-positive starting equity');
    return { monthly: [], yearly: [], best_month: null, worst_month: null, positive_months_pct: null, warnings };
  }
  const monthly = toReturns(rows(equity, time, (d) => d.getUTCFullYear() * 12 + d.getUTCMonth()), equity[0], true);
  const yearly = toReturns(rows(equity, time, (d) => d.getUTCFullYear()), equity[0], false);
  let best: PeriodReturn | null = null;
  let worst: PeriodReturn | null = null;
  let positive = 0;
  for (const m of monthly) {
    if (best === null || m.return_pct > best.return_pct) best = m;
    if (worst === null || m.return_pct < worst.return_pct) worst = m;
    if (m.return_pct > 0) positive++;
  }
  const gaps = monthly.filter((m) => m.spans_gap).length;
  if (gaps > 0) warnings.push(`${gaps} monthly return(s) span months without bars`);
  return { monthly, yearly, best_month: best, worst_month: worst, positive_months_pct: (100 * positive) / monthly.length, warnings };
}
