import type { Profile } from './types.js';

/**
 * The execution profiles (EXECUTION.md §2) as a table of choices. There is ONE simulator;
 * a profile only selects among these switches. Add a row, never a second engine.
 */
export interface ProfileRules {
  /** Sizing rule of a fraction-of-equity order. */
  readonly sizing: 'reserve_fee' | 'margin_floor';
  /** Units are always whole (true) or follow `spec.whole_units` (false). */
  readonly forceWholeUnits: boolean;
  /** Reference price of SL/TP/trailing levels: the entry fill, or the signal bar's close. */
  readonly stopReference: 'entry_fill' | 'signal_close';
  /** Where `finalize_trades` closes a trade still open at the end. */
  readonly finalizeAt: 'last_close' | 'last_open';
  /** Whether `spec.slippage_bps` is applied to market and stop fills. */
  readonly slippage: boolean;
  /** Metric definitions (EXECUTION.md §3 vs §4). */
  readonly metrics: 'standard' | 'backtesting.py';
}

export const PROFILE_RULES: Readonly<Record<Profile, ProfileRules>> = Object.freeze({
  default: Object.freeze({
    sizing: 'reserve_fee',
    forceWholeUnits: false,
    stopReference: 'entry_fill',
    finalizeAt: 'last_close',
    slippage: true,
    metrics: 'standard',
  }),
  'backtesting.py': Object.freeze({
    sizing: 'margin_floor',
    forceWholeUnits: true,
    stopReference: 'signal_close',
    finalizeAt: 'last_open',
    slippage: false,
    metrics: 'backtesting.py',
  }),
});

/**
 * backtesting.py's default order size, `1 − sys.float_info.epsilon`: a "fraction" just
 * below 1 (a size of exactly 1 would mean one unit there).
 */
export const BTPY_FULL_EQUITY = 1 - 2.220446049250313e-16;
