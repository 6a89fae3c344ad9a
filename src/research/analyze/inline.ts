/**
 * Outside data for `analyze_results`: an equity curve with its bar times, optional closed
 * trades and an optional buy & hold close series. Validated at the edge; sizes capped by
 * `config.limits.max_inline_rows`. Errors name the field (`inline.time[3]`), the value and
 * what was expected.
 */
import { z } from 'zod';
import type { Trade } from '../../engine/backtest/types.js';
import { lowerBound } from '../../engine/data/candles.js';
import type { App } from '../app.js';
import { UserError } from '../errors.js';
import { listedAs } from '../listing.js';
import type { Subject } from './types.js';

/** A hard ceiling for the schema; the configured limit (usually lower) is checked in `inlineSubject`. */
const SCHEMA_MAX_ROWS = 5_000_000;

export const inlineTradeSchema = z
  .object({
    direction: z.enum(['long', 'short']),
    entry_time: z.number(),
    exit_time: z.number(),
    pnl: z.number().describe('After fees, cash units.'),
    return_pct: z.number().describe('After fees, percent.'),
    fees: z.number().min(0).optional(),
    size: z.number().min(0).optional(),
    entry_price: z.number().optional(),
    exit_price: z.number().optional(),
    exit_reason: z.enum(['signal', 'reversal', 'stop_loss', 'take_profit', 'trailing_stop', 'max_hold', 'end', 'liquidation']).optional(),
  })
  .strict()
  .describe('A closed trade; times in epoch ms.');

export const inlineResultSchema = listedAs(
  z.object({
    time: z.array(z.number()).min(2).max(SCHEMA_MAX_ROWS).describe('Bar times, epoch ms, strictly ascending.'),
    equity: z.array(z.number()).min(2).max(SCHEMA_MAX_ROWS).describe('Equity per bar (same length as time), first > 0.'),
    trades: z.array(inlineTradeSchema).max(SCHEMA_MAX_ROWS).optional().describe('Closed trades.'),
    benchmark_close: z.array(z.number()).max(SCHEMA_MAX_ROWS).optional().describe('Asset close per bar (buy & hold benchmark).'),
  }).strict(),
  { type: 'object' },
);

export type InlineResult = z.infer<typeof inlineResultSchema>;

function fail(field: string, message: string, value: unknown, expected: string): never {
  throw new UserError(message, { field, value, expected });
}

function checkSize(field: string, n: number, max: number): void {
  if (n > max) fail(field, `${field} has ${n} rows, above the limit of ${max} (limits.max_inline_rows)`, n, `at most ${max} rows; downsample or store the data as a dataset and analyse a run`);
}

export function inlineSubject(app: App, raw: unknown): Subject {
  const parsed = inlineResultSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const path = ['inline', ...i.path.map(String)].join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
    fail(path, `invalid ${path}: ${i.message}`, undefined, 'an object {time: number[], equity: number[], trades?: [...], benchmark_close?: number[]}');
  }
  const input = parsed.data;
  const max = app.config.limits.max_inline_rows;
  checkSize('inline.time', input.time.length, max);
  checkSize('inline.equity', input.equity.length, max);
  if (input.trades) checkSize('inline.trades', input.trades.length, max);
  if (input.benchmark_close) checkSize('inline.benchmark_close', input.benchmark_close.length, max);
  const n = input.time.length;
  if (input.equity.length !== n) fail('inline.equity', `inline.equity has ${input.equity.length} values but inline.time has ${n}`, input.equity.length, `${n} values, one per time`);
  const time = Float64Array.from(input.time);
  const equity = Float64Array.from(input.equity);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(time[i])) fail(`inline.time[${i}]`, `inline.time[${i}] is not a finite number`, input.time[i], 'epoch milliseconds');
    if (i > 0 && !(time[i] > time[i - 1])) fail(`inline.time[${i}]`, `inline.time must be strictly ascending: inline.time[${i}] = ${time[i]} after ${time[i - 1]}`, time[i], `a time after ${time[i - 1]}`);
    if (!Number.isFinite(equity[i]) || equity[i] < 0) fail(`inline.equity[${i}]`, `inline.equity[${i}] must be a finite number >= 0`, input.equity[i], 'equity in cash units');
  }
  if (time[0] < 1e11) fail('inline.time[0]', `inline.time[0] = ${time[0]} looks like epoch SECONDS`, time[0], 'epoch milliseconds (multiply seconds by 1000)');
  if (!(equity[0] > 0)) fail('inline.equity[0]', 'inline.equity[0]: the starting equity must be > 0', equity[0], 'a positive starting equity');
  let close: Float64Array | null = null;
  if (input.benchmark_close) {
    if (input.benchmark_close.length !== n) fail('inline.benchmark_close', `inline.benchmark_close has ${input.benchmark_close.length} values but inline.time has ${n}`, input.benchmark_close.length, `${n} values`);
    close = Float64Array.from(input.benchmark_close);
    close.forEach((c, i) => {
      if (!(c > 0) || !Number.isFinite(c)) fail(`inline.benchmark_close[${i}]`, `inline.benchmark_close[${i}] must be a positive finite price`, c, 'a price > 0');
    });
  }
  const trades: Trade[] = (input.trades ?? []).map((t, k) => {
    if (!(t.exit_time >= t.entry_time)) fail(`inline.trades[${k}].exit_time`, `inline.trades[${k}] exits before it enters`, t.exit_time, `>= entry_time ${t.entry_time}`);
    for (const key of ['pnl', 'return_pct', 'entry_time', 'exit_time'] as const) {
      if (!Number.isFinite(t[key])) fail(`inline.trades[${k}].${key}`, `inline.trades[${k}].${key} is not finite`, t[key], 'a finite number');
    }
    const bar = (x: number): number => Math.min(n - 1, lowerBound(time, x));
    return {
      direction: t.direction,
      size: t.size ?? 0,
      entry_bar: bar(t.entry_time),
      exit_bar: bar(t.exit_time),
      entry_time: t.entry_time,
      exit_time: t.exit_time,
      entry_price: t.entry_price ?? 0,
      exit_price: t.exit_price ?? 0,
      pnl: t.pnl,
      return_pct: t.return_pct,
      fees: t.fees ?? 0,
      exit_reason: t.exit_reason ?? 'signal',
    };
  });
  const warnings: string[] = [];
  if (!input.trades) warnings.push('inline: no trades given, so trade statistics, SQN, Kelly and the trade Monte Carlo are undefined');
  if (!close) warnings.push('inline: no benchmark_close given, so correlation, beta and alpha against buy & hold are undefined');
  const reasonsKnown = (input.trades ?? []).every((t) => t.exit_reason !== undefined);
  return {
    info: { kind: 'inline', run_id: null, analyzed_run_id: null, strategy: null, params: null, dataset: null, profile: null },
    time,
    equity,
    trades,
    openTrades: 0,
    exitReasonsKnown: reasonsKnown,
    warmup: 0,
    close,
    riskFree: 0,
    family: null,
    scope: null,
    optimizeRunId: null,
    rerun: null,
    walkForward: null,
    warnings,
  };
}
