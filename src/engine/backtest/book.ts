import { TradeLog } from './trade-log.js';
import type { ExitReason, OpenTrade, SkippedOrder } from './types.js';

/** Stop levels of a new position, as fractions of the reference price (NaN = off). */
export interface StopFractions {
  readonly stopLoss: number;
  readonly takeProfit: number;
  readonly trailing: number;
}

/**
 * The broker's account: cash, at most one open position and the settled trades.
 *
 * Bookkeeping follows backtesting.py's `_Broker`: the entry fee leaves cash at the fill,
 * the position is carried at its entry price, and
 *   equity = cash + dir·units·(mark − entry_price),
 *   closing adds dir·units·(exit − entry_price) − exit fee to cash.
 * Mutable on purpose (one instance per simulation, no per-bar allocation); only `close`
 * and `skip` allocate a record.
 */
export class Book {
  cash: number;
  /** +1 long, −1 short, 0 flat. */
  dir = 0;
  units = 0;
  entryPrice = 0;
  entryBar = -1;
  entryFee = 0;
  /** Absolute stop-loss / take-profit prices (NaN = none). */
  sl = NaN;
  tp = NaN;
  /** Trailing distance as a fraction (NaN = none) and the best close since entry. */
  trail = NaN;
  best = NaN;
  readonly skipped: SkippedOrder[] = [];

  constructor(
    cash: number,
    private readonly time: Float64Array,
    private readonly rate: number,
    private readonly fixedFee: number,
    /** Where closed trades go: a fresh log, or a Scratch's (emptied) one. */
    readonly trades: TradeLog = new TradeLog(),
  ) {
    this.cash = cash;
  }

  fee(units: number, price: number): number {
    return this.fixedFee + units * price * this.rate;
  }

  /** Equity with the open position marked at `mark`. */
  equity(mark: number): number {
    return this.dir === 0 ? this.cash : this.cash + this.dir * this.units * (mark - this.entryPrice);
  }

  open(dir: number, units: number, price: number, bar: number, ref: number, stops: StopFractions): void {
    const fee = this.fee(units, price);
    this.cash -= fee;
    this.dir = dir;
    this.units = units;
    this.entryPrice = price;
    this.entryBar = bar;
    this.entryFee = fee;
    this.sl = ref * (1 - dir * stops.stopLoss);
    this.tp = ref * (1 + dir * stops.takeProfit);
    this.trail = stops.trailing;
    this.best = ref;
  }

  close(price: number, bar: number, reason: ExitReason): void {
    const dir = this.dir;
    const units = this.units;
    const entry = this.entryPrice;
    const gross = dir * units * (price - entry);
    const exitFee = this.fee(units, price);
    this.cash += gross - exitFee;
    const fees = this.entryFee + exitFee;
    // backtesting.py Trade.pl_pct: dir·(exit/entry − 1) − fees/(units·entry)
    const ret = dir * (price / entry - 1) - fees / (units * entry);
    this.trades.record(dir, reason, this.entryBar, bar, this.time[this.entryBar], this.time[bar], units, entry, price, gross - fees, ret * 100, fees);
    this.dir = 0;
    this.units = 0;
    this.sl = NaN;
    this.tp = NaN;
    this.trail = NaN;
    this.best = NaN;
  }

  skip(bar: number, dir: number, reason: string, detail: string): void {
    this.skipped.push({ bar, time: this.time[bar], side: dir > 0 ? 'long' : 'short', reason, detail });
  }

  /** The open position as a record, marked at `mark` (unrealized pnl net of the entry fee). */
  openTrade(mark: number): OpenTrade {
    return {
      direction: this.dir > 0 ? 'long' : 'short',
      size: this.units,
      entry_bar: this.entryBar,
      entry_time: this.time[this.entryBar],
      entry_price: this.entryPrice,
      mark_price: mark,
      unrealized_pnl: this.dir * this.units * (mark - this.entryPrice) - this.entryFee,
      fees: this.entryFee,
    };
  }
}
