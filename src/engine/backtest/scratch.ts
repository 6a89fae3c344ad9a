import { TradeLog } from './trade-log.js';

/**
 * Reusable per-bar buffers for backtests whose per-bar arrays are not kept — optimisation
 * trials and other 'metrics' tasks, where only metrics leave the run. A worker runs hundreds
 * of such backtests on the same series; allocating a fresh equity curve (8 bytes a bar) and
 * signal arrays for each one costs page faults and garbage collection that, on two cores,
 * steal time from the other worker. One Scratch per thread; a backtest using it returns
 * views into it (equity, signals, the closed trades), valid until the next backtest on that
 * Scratch.
 */
export class Scratch {
  private readonly log = new TradeLog();
  private eq = new Float64Array(0);
  private entry = new Int8Array(0);
  private exit = new Uint8Array(0);

  /** An n-bar equity buffer (contents undefined: the simulator writes every bar). */
  equity(n: number): Float64Array {
    if (this.eq.length < n) this.eq = new Float64Array(n);
    return this.eq.subarray(0, n);
  }

  /** The thread's trade log, emptied (the previous run's trades are gone). */
  tradeLog(): TradeLog {
    return this.log.reset();
  }

  /** Zeroed n-bar entry/exit signal buffers, as `allocSignals` returns. */
  signals(n: number): { entry: Int8Array; exit: Uint8Array } {
    if (this.entry.length < n) {
      this.entry = new Int8Array(n);
      this.exit = new Uint8Array(n);
    }
    const entry = this.entry.subarray(0, n);
    const exit = this.exit.subarray(0, n);
    entry.fill(0);
    exit.fill(0);
    return { entry, exit };
  }
}
