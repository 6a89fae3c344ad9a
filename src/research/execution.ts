/**
 * The execution spec as accepted from users (tool input, CLI flags, job files): validated
 * once with zod, defaults filled, then passed down frozen to the engine.
 */
import { z } from 'zod';
import { DEFAULT_EXECUTION, DIRECTIONS, PROFILES, type ExecutionSpec } from '../engine/backtest/types.js';
import { parseStrict } from './strict-input.js';

const fraction = () => z.number().gt(0).lt(1);

/** The fields with their bounds; described once below. */
const fields = {
  cash: z.number().gt(0).max(1e15),
  commission: z.number().min(0).max(0.1),
  fixed_fee: z.number().min(0).max(1e9),
  slippage_bps: z.number().min(0).max(1000),
  fraction: z.number().gt(0).max(1),
  units: z.number().gt(0).max(1e12).nullable(),
  whole_units: z.boolean(),
  stop_loss: fraction().nullable(),
  take_profit: z.number().gt(0).max(100).nullable(),
  trailing_stop: fraction().nullable(),
  max_hold_bars: z.number().int().min(1).max(10_000_000).nullable(),
  direction: z.enum(DIRECTIONS),
  finalize_trades: z.boolean(),
  profile: z.enum(PROFILES),
  risk_free_rate: z.number().min(-0.5).max(1),
  min_trades: z.number().int().min(0).max(100_000),
  prediction_horizon: z.number().int().min(1).max(1_000_000),
};

const descriptions: Record<keyof typeof fields, string> = {
  cash: 'Starting cash (default 10000).',
  commission: 'Fee per side, fraction of notional (default 0).',
  fixed_fee: 'Fee per filled order, cash units (default 0).',
  slippage_bps: 'Adverse slippage in bps, default profile only (default 0).',
  fraction: 'Equity fraction per entry if the strategy gives no size (default 1).',
  units: 'Fixed units per entry.',
  whole_units: 'Whole units only (always in backtesting.py profile).',
  stop_loss: 'Stop-loss distance, fraction of price.',
  take_profit: 'Take-profit distance, fraction of price.',
  trailing_stop: 'Trailing-stop distance, fraction.',
  max_hold_bars: 'Max bars in a trade.',
  direction: 'Sides if the strategy has no `direction` param (default long_short).',
  finalize_trades: 'Close open trades at the end (default false).',
  profile: "Default 'default'; 'backtesting.py' reproduces backtesting.py 0.6.6.",
  risk_free_rate: 'Annual risk-free rate, fraction (default 0).',
  min_trades: 'Score is guarded below this many trades (default 10).',
  prediction_horizon:
    'Bars H for hit_rate_pct/brier/ece: entry at bar t is right if Close[t+H] moved its way (default 1).',
};

type OptionalFields = { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> };

function optionalFields(describe: boolean): OptionalFields {
  const out: Record<string, z.ZodType> = {};
  for (const [k, s] of Object.entries(fields)) {
    const o = s.optional();
    out[k] = describe ? o.describe(descriptions[k as keyof typeof fields]) : o;
  }
  return out as OptionalFields;
}

/** The execution spec with every field described (backtest's input, scenario files). */
export const executionInputSchema = z.strictObject(optionalFields(true));

/**
 * The same strict spec without per-field descriptions, for tools that embed it next to
 * other large inputs (optimize, walk_forward, backtest_batch): tools/list stays small, and
 * backtest's schema documents the fields.
 */
export const executionFieldsSchema = z.strictObject(optionalFields(false));

export type ExecutionInput = z.infer<typeof executionInputSchema>;

/** Validates and fills defaults. Throws a UserError naming the field on bad input. */
export function resolveExecution(input: unknown, field = 'execution'): ExecutionSpec {
  const parsed = parseStrict(executionInputSchema, input ?? {}, { prefix: field });
  const spec: ExecutionSpec = { ...DEFAULT_EXECUTION };
  for (const [k, v] of Object.entries(parsed)) {
    if (v !== undefined) (spec as unknown as Record<string, unknown>)[k] = v;
  }
  if (spec.profile === 'backtesting.py') (spec as { whole_units: boolean }).whole_units = true;
  return Object.freeze(spec);
}
