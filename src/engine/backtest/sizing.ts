import { BTPY_FULL_EQUITY, type ProfileRules } from './profiles.js';

/** Negative results of `entryUnits`: why no units could be bought. */
export const SIZE_ZERO = -1;
export const NO_CASH = -2;

export interface SizingInput {
  /** Cash available when the entry fills (the account is flat then: no pyramiding). */
  readonly cash: number;
  /** Fraction of equity for this entry (signals.size[t] or spec.fraction). */
  readonly fraction: number;
  /** Fixed number of units instead of a fraction (spec.units), or null. */
  readonly units: number | null;
  readonly wholeUnits: boolean;
  /** Fill price of the entry (slippage included where the profile applies it). */
  readonly price: number;
  /** Fee rate per side. */
  readonly rate: number;
  /** Fixed fee per filled order. */
  readonly fixedFee: number;
}

/**
 * Python's float floor division `a // b` (CPython `float_floor_div`): computed from the
 * exact remainder, so a quotient like 2.9999999999999996 that rounds to 3.0 still floors
 * to 2. backtesting.py sizes orders with it; Math.floor(a / b) would differ by one unit
 * on such ties.
 */
export function pyFloorDiv(a: number, b: number): number {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return 0 * (a / b);
  let floordiv = Math.floor(div);
  if (div - floordiv > 0.5) floordiv += 1;
  return floordiv;
}

/**
 * Units an entry buys (always >= 0 when positive), or SIZE_ZERO / NO_CASH.
 *
 * `reserve_fee` (default profile): units = (f·cash − fixed) / (P·(1 + r)), so that the
 * entry fee is reserved inside the budget; floored when whole units are required.
 * `margin_floor` (backtesting.py 0.6.6 `_Broker._process_orders`):
 * units = ⌊margin·f / (P·(1 + r) + fixed/f)⌋ with margin = cash when flat and f = 1 − ε
 * for an all-in order. Fixed units are checked against the cash (no leverage).
 */
export function entryUnits(rules: ProfileRules, s: SizingInput): number {
  const { cash, price, rate, fixedFee } = s;
  if (!(cash > 0)) return NO_CASH;
  if (s.units !== null) {
    const units = s.wholeUnits ? Math.floor(s.units) : s.units;
    if (!(units > 0)) return SIZE_ZERO;
    const perUnit = rules.sizing === 'margin_floor' ? price * (1 + rate) + fixedFee / units : price * (1 + rate);
    const cost = rules.sizing === 'margin_floor' ? units * perUnit : units * perUnit + fixedFee;
    return cost > cash ? NO_CASH : units;
  }
  let f = s.fraction;
  if (!(f > 0)) return SIZE_ZERO;
  if (f > 1) return NO_CASH; // a fraction above 1 would need leverage
  if (rules.sizing === 'margin_floor') {
    if (f === 1) f = BTPY_FULL_EQUITY;
    const denom = price * (1 + rate) + fixedFee / f;
    const units = pyFloorDiv(cash * f, denom);
    return units > 0 ? units : SIZE_ZERO;
  }
  const budget = f * cash - fixedFee;
  if (!(budget > 0)) return NO_CASH;
  const raw = budget / (price * (1 + rate));
  const units = s.wholeUnits ? Math.floor(raw) : raw;
  return units > 0 ? units : SIZE_ZERO;
}
