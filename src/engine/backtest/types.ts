import type { Candles } from '../data/candles.js';

export const DIRECTIONS = ['long_only', 'short_only', 'long_short'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const PROFILES = ['default', 'backtesting.py'] as const;
export type Profile = (typeof PROFILES)[number];

/**
 * How orders are executed and sized. Validated at the edge (zod in research/tools),
 * then passed down frozen. All fractions are plain fractions (0.05 = 5 %).
 */
export interface ExecutionSpec {
  readonly cash: number;
  /** Fee as a fraction of traded notional, charged on entry and on exit. */
  readonly commission: number;
  /** Fixed fee per filled order, in cash units (default 0). */
  readonly fixed_fee: number;
  /** Slippage against the trader in basis points (`default` profile only). */
  readonly slippage_bps: number;
  /** Fraction of equity per entry when the strategy gives no per-bar size (default 1). */
  readonly fraction: number;
  /** Fixed number of units per entry instead of a fraction of equity (null = use fraction). */
  readonly units: number | null;
  readonly whole_units: boolean;
  readonly stop_loss: number | null;
  readonly take_profit: number | null;
  readonly trailing_stop: number | null;
  readonly max_hold_bars: number | null;
  readonly direction: Direction;
  readonly finalize_trades: boolean;
  readonly profile: Profile;
  /** Annual risk-free rate as a fraction (default 0). */
  readonly risk_free_rate: number;
  /** Below this many closed trades the score's return/drawdown term is capped (EXECUTION.md §3). */
  readonly min_trades: number;
  /**
   * Horizon H in bars of the prediction metrics (hit_rate_pct, brier, ece): an entry decided
   * at bar t is right when Close[t+H] moved its way from Close[t] (metrics/prediction.ts).
   */
  readonly prediction_horizon: number;
}

export const DEFAULT_EXECUTION: ExecutionSpec = Object.freeze({
  cash: 10_000,
  commission: 0,
  fixed_fee: 0,
  slippage_bps: 0,
  fraction: 1,
  units: null,
  whole_units: false,
  stop_loss: null,
  take_profit: null,
  trailing_stop: null,
  max_hold_bars: null,
  direction: 'long_short',
  finalize_trades: false,
  profile: 'default',
  risk_free_rate: 0,
  min_trades: 10,
  prediction_horizon: 1,
});

/**
 * Per-bar intents produced by a strategy from bars <= t. The simulator turns them into
 * orders that fill at the next bar's open. Arrays have the candles' length.
 * - entry[t]: +1 = go long, -1 = go short, 0 = nothing. An entry against an open
 *   position reverses it (when the direction allows the new side; otherwise it only closes).
 *   An entry in the direction already held is ignored (no pyramiding).
 * - exit[t]: bit 1 = close a long, bit 2 = close a short (3 = close anything).
 * - size[t] (optional): fraction of equity for an entry decided at t, e.g. from a risk map
 *   (NaN = the ExecutionSpec's fraction).
 * - confidence[t] (optional): the strategy's confidence in [0, 1], reported, not used to fill.
 * - warmup: w = max over the strategy's indicators of the index of its first non-NaN value.
 *   Decisions are taken from bar w + 1 on (EXECUTION.md §1).
 * - stops (optional): exit levels of the trade opened by an entry decided at t, as fractions
 *   like ExecutionSpec's: a number > 0 sets that level for this trade, NaN keeps the spec's.
 * - decide (optional): for strategies whose decisions depend on the simulated position. The
 *   simulator calls decide(t, dir, entryBar, entryPrice) at each decision bar t, in order,
 *   with the position at the close of t (after that bar's fills and exits; dir 0 = flat,
 *   when entryBar and entryPrice mean nothing), before it reads entry[t], exit[t], size[t]
 *   and the stops at t, which the hook writes. Strategies without it take the fast path.
 */
export interface Signals {
  readonly entry: Int8Array;
  readonly exit: Uint8Array;
  readonly size?: Float64Array;
  readonly confidence?: Float64Array;
  readonly warmup: number;
  readonly stops?: EntryStops;
  readonly decide?: (t: number, dir: number, entryBar: number, entryPrice: number) => void;
}

/** Per-entry exit levels (fractions; NaN = the ExecutionSpec's level). */
export interface EntryStops {
  readonly stop_loss?: Float64Array;
  readonly take_profit?: Float64Array;
  readonly trailing_stop?: Float64Array;
}

export const EXIT_LONG = 1;
export const EXIT_SHORT = 2;

export type ExitReason =
  | 'signal'
  | 'reversal'
  | 'stop_loss'
  | 'take_profit'
  | 'trailing_stop'
  | 'max_hold'
  | 'end'
  | 'liquidation';

/** A flat trade record (maps straight to a row and to JSON). Times are epoch ms. */
export interface Trade {
  readonly direction: 'long' | 'short';
  /** Units held (always positive). */
  readonly size: number;
  readonly entry_bar: number;
  readonly exit_bar: number;
  readonly entry_time: number;
  readonly exit_time: number;
  readonly entry_price: number;
  readonly exit_price: number;
  /** Profit after all fees of this trade, in cash units. */
  readonly pnl: number;
  /** Trade return in percent, after fees. */
  readonly return_pct: number;
  /** Fees paid on entry and exit. */
  readonly fees: number;
  readonly exit_reason: ExitReason;
}

/** A trade still open at the end (not in closed-trade statistics), marked at the last close. */
export interface OpenTrade {
  readonly direction: 'long' | 'short';
  readonly size: number;
  readonly entry_bar: number;
  readonly entry_time: number;
  readonly entry_price: number;
  readonly mark_price: number;
  readonly unrealized_pnl: number;
  readonly fees: number;
}

/** Why the broker refused an entry (EXECUTION.md §1: nothing is dropped silently). */
export const SKIP_REASONS = {
  /** The computed size is zero units (e.g. whole units and the price exceeds the budget). */
  sizeZero: 'size_rounds_to_zero',
  /** The order's cost (units × price + fees) exceeds the cash available. */
  noCash: 'insufficient_cash',
} as const;
export type SkipReason = (typeof SKIP_REASONS)[keyof typeof SKIP_REASONS];

/** An entry the broker could not execute; `bar`/`time` are the bar it would have filled at. */
export interface SkippedOrder {
  readonly bar: number;
  readonly time: number;
  readonly side: 'long' | 'short';
  /** One of SKIP_REASONS. */
  readonly reason: string;
  /** Human-readable numbers behind the reason (budget, price, computed units). */
  readonly detail?: string;
}

/** Checkpoints at which the simulator reports progress (for pruning). */
export interface CheckpointHook {
  /** Bar indices, ascending. */
  readonly bars: Int32Array;
  /** Called after equity[bar] is recorded; return true to stop the simulation (pruned). */
  readonly report: (step: number, bar: number, equity: Float64Array) => boolean;
}

export interface SimulationResult {
  readonly trades: Trade[];
  /** The closed trades as columns (set by the simulator, not enumerable; trade-log.ts). */
  readonly tradeLog?: TradeLog;
  readonly open_trades: OpenTrade[];
  /** Equity at each bar's close (length N). */
  readonly equity: Float64Array;
  readonly skipped: SkippedOrder[];
  readonly warmup: number;
  /** Set when a checkpoint hook stopped the run early. */
  readonly stopped_at?: number;
  /** Set when equity reached <= 0 and everything was closed. */
  readonly bankrupt_at?: number;
}

export type MetricValue = number | null;
export type Metrics = Record<string, MetricValue>;

export interface BacktestResult extends SimulationResult {
  readonly metrics: Metrics;
  readonly warnings: string[];
}

export type { Candles };
import type { TradeLog } from './trade-log.js';
