import type { ExitReason, Trade } from './types.js';

const REASONS: readonly ExitReason[] = ['signal', 'reversal', 'stop_loss', 'take_profit', 'trailing_stop', 'max_hold', 'end', 'liquidation'];
const REASON_CODE = new Map<ExitReason, number>(REASONS.map((r, i) => [r, i]));

/** Offsets of a trade's fields in its record of `TradeLog.data` (FIELDS doubles per trade). */
export const F = { dir: 0, reason: 1, entryBar: 2, exitBar: 3, entryTime: 4, exitTime: 5, size: 6, entryPrice: 7, exitPrice: 8, pnl: 9, returnPct: 10, fees: 11 } as const;
export const FIELDS = 12;

/**
 * The closed trades of a simulation as fixed-size records of doubles in one growing buffer.
 * A million-bar run closes tens of thousands of trades; as objects they cost an allocation
 * each, young-generation copies and pointer-chasing in every statistic. The simulator
 * appends here; the metrics read the records; `Trade` objects are built only when someone
 * asks for them (`toTrades`, which the simulation result calls on first access of its
 * `trades`). One buffer (128 trades, then grown 4× at a time) keeps a run to a handful of
 * allocations, and none when a Scratch lends its log.
 */
export class TradeLog {
  data = new Float64Array(0);
  length = 0;

  /** Empties the log for reuse, keeping its buffer (Scratch: a trial's log is read before the next trial). */
  reset(): this {
    this.length = 0;
    return this;
  }

  /** Appends one trade (the simulator's hot path: positional, no object per trade). */
  record(dir: number, reason: ExitReason, entryBar: number, exitBar: number, entryTime: number, exitTime: number, size: number, entryPrice: number, exitPrice: number, pnl: number, returnPct: number, fees: number): void {
    let o = this.length * FIELDS;
    if (o === this.data.length) {
      const bigger = new Float64Array(Math.max(128 * FIELDS, this.data.length * 4));
      bigger.set(this.data);
      this.data = bigger;
    }
    const d = this.data;
    d[o++] = dir;
    d[o++] = REASON_CODE.get(reason) ?? 0;
    d[o++] = entryBar;
    d[o++] = exitBar;
    d[o++] = entryTime;
    d[o++] = exitTime;
    d[o++] = size;
    d[o++] = entryPrice;
    d[o++] = exitPrice;
    d[o++] = pnl;
    d[o++] = returnPct;
    d[o] = fees;
    this.length++;
  }

  /** The trades as records, in order. */
  toTrades(): Trade[] {
    const d = this.data;
    const out: Trade[] = new Array<Trade>(this.length);
    for (let i = 0; i < this.length; i++) {
      const o = i * FIELDS;
      out[i] = {
        direction: d[o + F.dir] > 0 ? 'long' : 'short',
        size: d[o + F.size],
        entry_bar: d[o + F.entryBar],
        exit_bar: d[o + F.exitBar],
        entry_time: d[o + F.entryTime],
        exit_time: d[o + F.exitTime],
        entry_price: d[o + F.entryPrice],
        exit_price: d[o + F.exitPrice],
        pnl: d[o + F.pnl],
        return_pct: d[o + F.returnPct],
        fees: d[o + F.fees],
        exit_reason: REASONS[d[o + F.reason]],
      };
    }
    return out;
  }

  /** The records of existing trades (for a result built by hand, e.g. in tests or a stitched walk-forward). */
  static fromTrades(trades: readonly Trade[]): TradeLog {
    const log = new TradeLog();
    for (const t of trades) {
      log.record(t.direction === 'long' ? 1 : -1, t.exit_reason, t.entry_bar, t.exit_bar, t.entry_time, t.exit_time, t.size, t.entry_price, t.exit_price, t.pnl, t.return_pct, t.fees);
    }
    return log;
  }
}

/**
 * Gives a simulation result its trades: `tradeLog` (not enumerable, so it never reaches JSON,
 * a spread or a worker message) and `trades`, an enumerable property whose Trade objects
 * are built on first access and then kept. A spread, JSON.stringify or structuredClone of
 * the result reads `trades` like any other property.
 */
export function attachTrades<T extends object>(target: T, log: TradeLog): T & { readonly trades: Trade[]; readonly tradeLog: TradeLog } {
  Object.defineProperty(target, 'tradeLog', { value: log, enumerable: false });
  Object.defineProperty(target, 'trades', {
    enumerable: true,
    configurable: true,
    get(this: object): Trade[] {
      const trades = log.toTrades();
      Object.defineProperty(this, 'trades', { value: trades, enumerable: true, configurable: true, writable: true });
      return trades;
    },
    // an assignment replaces the records, as it would on a plain property
    set(this: object, trades: Trade[]): void {
      Object.defineProperty(this, 'trades', { value: trades, enumerable: true, configurable: true, writable: true });
    },
  });
  return target as T & { readonly trades: Trade[]; readonly tradeLog: TradeLog };
}
