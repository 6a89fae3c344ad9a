import type { ExitReason, Trade } from './types.js';

const REASONS: readonly ExitReason[] = ['signal', 'reversal', 'stop_loss', 'take_profit', 'trailing_stop', 'max_hold', 'end', 'liquidation'];
const REASON_CODE = new Map<ExitReason, number>(REASONS.map((r, i) => [r, i]));

/** 8 slots: every column fits in 64 bytes, which V8 keeps on its heap (no backing-store allocation per run). */
const INITIAL = 8;

/** One closed trade as the simulator hands it over (the columns' names). */
export interface TradeFields {
  readonly dir: number;
  readonly size: number;
  readonly entryBar: number;
  readonly exitBar: number;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly pnl: number;
  readonly returnPct: number;
  readonly fees: number;
  readonly reason: ExitReason;
}

/**
 * The closed trades of a simulation, column by column. A million-bar run closes tens of
 * thousands of trades; as objects they cost an allocation each, young-generation copies
 * and pointer-chasing in every statistic. The simulator appends here; the metrics read the
 * columns; `Trade` objects are built only when someone asks for them (`toTrades`, which
 * the simulation result calls on first access of its `trades`).
 */
export class TradeLog {
  length = 0;
  dir = new Int8Array(INITIAL);
  reason = new Uint8Array(INITIAL);
  entryBar = new Int32Array(INITIAL);
  exitBar = new Int32Array(INITIAL);
  entryTime = new Float64Array(INITIAL);
  exitTime = new Float64Array(INITIAL);
  size = new Float64Array(INITIAL);
  entryPrice = new Float64Array(INITIAL);
  exitPrice = new Float64Array(INITIAL);
  pnl = new Float64Array(INITIAL);
  returnPct = new Float64Array(INITIAL);
  fees = new Float64Array(INITIAL);

  push(t: TradeFields): void {
    const i = this.length;
    if (i === this.dir.length) this.grow();
    this.dir[i] = t.dir;
    this.size[i] = t.size;
    this.entryBar[i] = t.entryBar;
    this.exitBar[i] = t.exitBar;
    this.entryTime[i] = t.entryTime;
    this.exitTime[i] = t.exitTime;
    this.entryPrice[i] = t.entryPrice;
    this.exitPrice[i] = t.exitPrice;
    this.pnl[i] = t.pnl;
    this.returnPct[i] = t.returnPct;
    this.fees[i] = t.fees;
    this.reason[i] = REASON_CODE.get(t.reason) ?? 0;
    this.length = i + 1;
  }

  /** The trades as records, in order. */
  toTrades(): Trade[] {
    const out: Trade[] = new Array<Trade>(this.length);
    for (let i = 0; i < this.length; i++) {
      out[i] = {
        direction: this.dir[i] > 0 ? 'long' : 'short',
        size: this.size[i],
        entry_bar: this.entryBar[i],
        exit_bar: this.exitBar[i],
        entry_time: this.entryTime[i],
        exit_time: this.exitTime[i],
        entry_price: this.entryPrice[i],
        exit_price: this.exitPrice[i],
        pnl: this.pnl[i],
        return_pct: this.returnPct[i],
        fees: this.fees[i],
        exit_reason: REASONS[this.reason[i]],
      };
    }
    return out;
  }

  /** The columns of existing records (for a result built by hand, e.g. in tests or a stitched walk-forward). */
  static fromTrades(trades: readonly Trade[]): TradeLog {
    const log = new TradeLog();
    for (const t of trades) {
      log.push({
        dir: t.direction === 'long' ? 1 : -1, size: t.size, entryBar: t.entry_bar, exitBar: t.exit_bar, entryTime: t.entry_time, exitTime: t.exit_time,
        entryPrice: t.entry_price, exitPrice: t.exit_price, pnl: t.pnl, returnPct: t.return_pct, fees: t.fees, reason: t.exit_reason,
      });
    }
    return log;
  }

  private grow(): void {
    const cap = this.dir.length * 2;
    const g = <T extends Int8Array | Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.dir = g(this.dir, (n) => new Int8Array(n));
    this.reason = g(this.reason, (n) => new Uint8Array(n));
    this.entryBar = g(this.entryBar, (n) => new Int32Array(n));
    this.exitBar = g(this.exitBar, (n) => new Int32Array(n));
    for (const k of ['entryTime', 'exitTime', 'size', 'entryPrice', 'exitPrice', 'pnl', 'returnPct', 'fees'] as const) this[k] = g(this[k], (n) => new Float64Array(n));
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
      Object.defineProperty(this, 'trades', { value: trades, enumerable: true, configurable: true });
      return trades;
    },
  });
  return target as T & { readonly trades: Trade[]; readonly tradeLog: TradeLog };
}
