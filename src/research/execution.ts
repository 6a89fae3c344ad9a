/**
 * The execution spec as accepted from users (tool input, CLI flags, job files): validated
 * once with zod, defaults filled, then passed down frozen to the engine.
 */
import { z } from 'zod';
import { DEFAULT_EXECUTION, DIRECTIONS, PROFILES, type ExecutionSpec } from '../engine/backtest/types.js';
import { defaultIsResolved, documentedAt, EXECUTION_DOCS_URI, listedAs } from './listing.js';
import { parseStrict } from './strict-input.js';

const fraction = () => z.number().gt(0).lt(1);

/** The fields with their bounds; described below. */
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

/** Terse, where the name and bounds do not say it: backtest's listed schema shows them. */
const descriptions: Partial<Record<keyof typeof fields, string>> = {
  commission: 'Per side, fraction of notional.',
  fixed_fee: 'Per order.',
  fraction: 'Of equity per entry.',
  units: 'Per entry.',
  stop_loss: 'Fraction of entry price.',
  take_profit: 'Fraction of entry price.',
  trailing_stop: 'Fraction of the best close.',
  profile: 'backtesting.py: as backtesting.py 0.6.6.',
  risk_free_rate: 'Annual fraction.',
  min_trades: 'For the score.',
  prediction_horizon: 'Bars, for brier/ece.',
};

/** What each key does, in full (tradelab://docs/execution); defaults come from DEFAULT_EXECUTION. */
export const EXECUTION_NOTES: Record<keyof typeof fields, string> = {
  cash: 'Starting cash of the account, in the quote currency.',
  commission: 'Fee per side (entry and exit) as a fraction of the traded notional, e.g. 0.001 = 0.1 %.',
  fixed_fee: 'A fixed fee per filled order, in cash units, on top of `commission`.',
  slippage_bps: 'Adverse slippage in basis points applied to every fill (profile `default` only; `backtesting.py` has none).',
  fraction: 'Fraction of equity committed per entry when the strategy gives no size of its own (a risk map) and `units` is not set.',
  units: 'A fixed number of units per entry instead of a fraction of equity (null: use `fraction`).',
  whole_units: 'Round sizes down to whole units (always on in the `backtesting.py` profile).',
  stop_loss: 'Stop-loss distance as a fraction of the reference price (0.05 = 5 % against the position): the entry fill, or in the `backtesting.py` profile the close of the signal bar; null: none.',
  take_profit: 'Take-profit distance as a fraction of the same reference price (may exceed 1); null: none.',
  trailing_stop: 'Trailing-stop distance as a fraction: a stop at best × (1 ∓ trailing_stop), `best` starting at the reference price and ratcheted by each close since entry (the highest for a long, the lowest for a short); null: none.',
  max_hold_bars: 'Close a trade after this many bars; null: no limit. A strategy parameter of the same name (the confidence strategy, a language document declaring it) overrides it.',
  direction: 'Which sides may be traded when the strategy has no `direction` parameter of its own (a strategy parameter overrides it): long_only, short_only or long_short.',
  finalize_trades: 'Close trades still open at the last bar (their P&L then counts in the trade metrics); otherwise they are reported as open trades.',
  profile: "`default`: tradelab's engine. `backtesting.py`: reproduces kernc/backtesting.py 0.6.6 (whole units, its commission and metric conventions; no slippage).",
  risk_free_rate: 'Annual risk-free rate as a fraction, used by Sharpe, Sortino and the other excess-return ratios.',
  min_trades: 'Below this many trades (or a max drawdown under 0.1 %) the research `score` caps its terms and says so in warnings.',
  prediction_horizon:
    'Bars H for the prediction metrics (hit_rate_pct, brier, ece) of strategies that emit a confidence: an entry decided at bar t is right if Close[t+H] moved its way. Changes nothing else.',
};

type OptionalFields = { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> };

function optionalFields(): OptionalFields {
  const out: Record<string, z.ZodType> = {};
  for (const [k, s] of Object.entries(fields)) {
    const text = descriptions[k as keyof typeof fields];
    const fallback = DEFAULT_EXECUTION[k as keyof typeof fields];
    const field = fallback === 0 || fallback === false || fallback === null ? s.optional() : defaultIsResolved(s.optional(), fallback);
    out[k] = text ? field.describe(text) : field;
  }
  return out as OptionalFields;
}

/**
 * The execution spec, every field described and bounded: backtest lists it in full, and
 * scenario files take it. The tool docs refer to tradelab://docs/execution for its keys.
 */
export const executionInputSchema = documentedAt(z.strictObject(optionalFields()), EXECUTION_DOCS_URI);

/**
 * The same strict spec, listed as a plain object in tools that embed it next to other large
 * inputs (optimize, walk_forward, backtest_batch and its items): tools/list names its keys
 * once, in backtest. It is validated as strictly as backtest's, before the tool runs.
 */
export const executionFieldsSchema = listedAs(executionInputSchema, { type: 'object' });

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
