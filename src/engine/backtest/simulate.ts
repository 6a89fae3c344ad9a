import { Book, type StopFractions } from './book.js';
import { PROFILE_RULES } from './profiles.js';
import { quietFlat, quietHeld } from './quiet.js';
import { attachTrades, type TradeLog } from './trade-log.js';
import { entryUnits, NO_CASH } from './sizing.js';
import { SKIP_REASONS, type Candles, type CheckpointHook, type EntryStops, type ExecutionSpec, type ExitReason, type OpenTrade, type Signals, type SimulationResult } from './types.js';
import { checkSimulationInputs } from './validate.js';

/**
 * The backtest simulator (EXECUTION.md §1–§2): one pass over the bars, both execution
 * profiles through this one code path (`PROFILE_RULES` holds their differences).
 *
 * At each bar t = w+1 … N−1:
 *  1. orders decided at t−1 fill at Open[t] (± slippage): a pending close first, then the
 *     pending entry, sized from the cash freed by that close (reversal);
 *  2. the open position's exits are checked inside bar t, the entry bar included:
 *     stop (fixed stop-loss or trailing, whichever is tighter) before take-profit, so when
 *     both are inside the bar the stop wins; gaps fill at the Open;
 *  3. equity[t] is recorded at Close[t]; equity ≤ 0 closes everything at Close[t]
 *     (reason `liquidation`), sets equity to 0 from t on and stops;
 *  4. the checkpoint hook is called if t is listed (returning true stops the run);
 *  5. the signals of bar t are read and turned into orders for t+1.
 *
 * Trailing stop: a stop at best·(1 ∓ trailing_stop), where `best` is the reference price
 * (entry fill or signal close, per profile) ratcheted by each CLOSE since entry (the
 * highest close for a long, the lowest for a short). Closes are used, not highs/lows, so
 * the level for bar t is known before bar t opens and no intrabar order is assumed.
 *
 * max_hold_bars = k: a trade entered at bar e is closed by a market order at Open[e+k]
 * (decided at the close of bar e+k−1), unless it has exited earlier.
 *
 * At the end: decisions of the last bar have no bar to fill at and are dropped. A trade
 * still open is reported in `open_trades` (marked to the last close, as equity is), or with
 * `finalize_trades` closed with reason `end` — at the last Close ∓ slippage (default) or at
 * the last bar's Open (backtesting.py, whose `finalize_trades` re-runs the broker on the
 * last bar) — paying the exit fee; equity[N−1] is then the cash after that close. A run
 * stopped by the hook keeps its position open, marked at Close[stopped_at], and its equity
 * after `stopped_at` repeats equity[stopped_at]. Liquidation and finalize fills pay
 * slippage like market orders; take-profit fills are limits and pay none.
 */
/**
 * `equityBuffer`: an n-bar buffer to write the equity curve into (Scratch), else a fresh one;
 * `tradeLog`: an empty log to record the closed trades in (Scratch), else a fresh one.
 */
export function simulate(candles: Candles, signals: Signals, spec: ExecutionSpec, hook?: CheckpointHook, equityBuffer?: Float64Array, tradeLog?: TradeLog): SimulationResult {
  checkSimulationInputs(candles, signals, spec, hook);
  const rules = PROFILE_RULES[spec.profile];
  const { time, open, high, low, close } = candles;
  const n = time.length;
  const entrySig = signals.entry;
  const exitSig = signals.exit;
  const sizeSig = signals.size;
  const whole = rules.forceWholeUnits || spec.whole_units;
  const slip = rules.slippage ? spec.slippage_bps / 10_000 : 0;
  const allowLong = spec.direction !== 'short_only';
  const allowShort = spec.direction !== 'long_only';
  const maxHold = spec.max_hold_bars ?? 0;
  const refIsSignalClose = rules.stopReference === 'signal_close';
  const stops: StopFractions = {
    stopLoss: spec.stop_loss ?? NaN,
    takeProfit: spec.take_profit ?? NaN,
    trailing: spec.trailing_stop ?? NaN,
  };
  const book = new Book(spec.cash, time, spec.commission, spec.fixed_fee, tradeLog);
  const equity = equityBuffer && equityBuffer.length === n ? equityBuffer : new Float64Array(n);
  const first = Math.min(signals.warmup + 1, n);
  equity.fill(spec.cash, 0, first);

  const hookBars = hook?.bars;
  const nHook = hookBars ? hookBars.length : 0;
  let hp = 0;
  let stoppedAt = -1;
  let bankruptAt = -1;
  // Checkpoints inside the warm-up see the flat starting equity.
  while (hp < nHook && hookBars![hp] < first) {
    if (hookBars![hp] >= 0 && hook!.report(hp, hookBars![hp], equity)) {
      stoppedAt = hookBars![hp];
      break;
    }
    hp++;
  }
  let nextHook = hp < nHook ? hookBars![hp] : -1;

  const entryStops = signals.stops;
  const decide = signals.decide;
  const hasExitLevels = spec.stop_loss !== null || spec.take_profit !== null || spec.trailing_stop !== null || entryStops !== undefined;
  const hasTrail = spec.trailing_stop !== null || entryStops?.trailing_stop !== undefined;
  const quiet = !hasExitLevels && decide === undefined;
  let pendClose: ExitReason | null = null;
  let pendEntry = 0;
  let pendFraction = 1;
  let pendRef = NaN;
  let pendStops = stops;
  // Hot-loop mirrors of the book (refreshed after every fill): cash, signed units, entry.
  let cash = book.cash;
  let qty = 0;
  let entryPx = 0;
  let changed = false;

  for (let t = first; t < n && stoppedAt < 0; t++) {
    // 1. market orders at the open: close first, then the entry from the freed cash
    if (pendClose !== null) {
      book.close(open[t] * (1 - book.dir * slip), t, pendClose);
      pendClose = null;
      changed = true;
    }
    if (pendEntry !== 0) {
      const price = open[t] * (1 + pendEntry * slip);
      const units = entryUnits(rules, {
        cash: book.cash, fraction: pendFraction, units: spec.units, wholeUnits: whole,
        price, rate: spec.commission, fixedFee: spec.fixed_fee,
      });
      if (units > 0) {
        book.open(pendEntry, units, price, t, refIsSignalClose ? pendRef : price, pendStops);
      } else {
        const reason = units === NO_CASH ? SKIP_REASONS.noCash : SKIP_REASONS.sizeZero;
        book.skip(t, pendEntry, reason, `cash ${book.cash}, fraction ${pendFraction}, units ${spec.units ?? 'auto'}, price ${price}, whole_units ${whole}`);
      }
      pendEntry = 0;
      changed = true;
    }
    const dir = book.dir;
    // 2. exits inside the bar (stop before take-profit); NaN levels are off (x === x ⇔ not NaN)
    if (dir !== 0 && hasExitLevels) {
      const o = open[t];
      let stop = book.sl;
      let reason: ExitReason = 'stop_loss';
      if (dir > 0) {
        const trailStop = book.best * (1 - book.trail);
        if (trailStop === trailStop && !(stop >= trailStop)) {
          stop = trailStop;
          reason = 'trailing_stop';
        }
        if (low[t] <= stop) book.close(Math.min(o, stop) * (1 - slip), t, reason);
        else if (high[t] >= book.tp) book.close(Math.max(o, book.tp), t, 'take_profit');
      } else {
        const trailStop = book.best * (1 + book.trail);
        if (trailStop === trailStop && !(stop <= trailStop)) {
          stop = trailStop;
          reason = 'trailing_stop';
        }
        if (high[t] >= stop) book.close(Math.max(o, stop) * (1 + slip), t, reason);
        else if (low[t] <= book.tp) book.close(Math.min(o, book.tp), t, 'take_profit');
      }
    }
    // 3. equity at the close (Book#equity, inlined on the mirrors)
    if (changed || book.dir !== dir) {
      cash = book.cash;
      qty = book.dir * book.units;
      entryPx = book.entryPrice;
      changed = false;
    }
    // quiet bars (nothing fills, no order is decided) run in a tight loop; t is then the
    // first bar where something may happen (quiet.ts)
    if (quiet) {
      const limit = nextHook >= 0 && nextHook < n - 1 ? nextHook : n - 1;
      const d = book.dir;
      t = d === 0
        ? quietFlat(entrySig, t, limit, cash, allowLong, allowShort, equity)
        : quietHeld(close, entrySig, exitSig, t, limit, d, cash, qty, entryPx, maxHold > 0 ? book.entryBar + maxHold - 1 : n, equity);
    }
    const c = close[t];
    const held = book.dir;
    const eq = held === 0 ? cash : cash + qty * (c - entryPx);
    equity[t] = eq;
    if (eq <= 0) {
      if (held !== 0) book.close(c * (1 - held * slip), t, 'liquidation');
      book.cash = 0;
      equity.fill(0, t);
      bankruptAt = t;
      break;
    }
    if (hasTrail && held !== 0) {
      if (held > 0 ? c > book.best : c < book.best) book.best = c;
    }
    // 4. checkpoint
    if (t === nextHook) {
      while (hp < nHook && hookBars![hp] === t) {
        if (hook!.report(hp, t, equity)) stoppedAt = t;
        hp++;
        if (stoppedAt >= 0) break;
      }
      nextHook = hp < nHook ? hookBars![hp] : -1;
      if (stoppedAt >= 0) break;
    }
    if (t === n - 1) break;
    // 5. decisions of bar t → orders for t+1 (a position-dependent strategy writes them now)
    if (decide !== undefined) decide(t, held, book.entryBar, book.entryPrice);
    const e = entrySig[t];
    if (held !== 0) {
      if (e === -held) {
        const allowed = held > 0 ? allowShort : allowLong;
        pendClose = allowed ? 'reversal' : 'signal';
        if (allowed) pendEntry = -held;
      } else if ((exitSig[t] & (held > 0 ? 1 : 2)) !== 0) {
        pendClose = 'signal';
      } else if (maxHold > 0 && t + 1 - book.entryBar >= maxHold) {
        pendClose = 'max_hold';
      }
    } else if (e !== 0 && ((e === 1 && allowLong) || (e === -1 && allowShort))) {
      pendEntry = e;
    }
    if (pendEntry !== 0) {
      const f = sizeSig ? sizeSig[t] : NaN;
      pendFraction = f === f ? f : spec.fraction;
      pendRef = c;
      if (entryStops !== undefined) pendStops = entryStopsAt(entryStops, t, stops);
    }
  }

  const last = n - 1;
  const openTrades: OpenTrade[] = [];
  if (stoppedAt >= 0) {
    equity.fill(equity[stoppedAt], stoppedAt + 1);
    if (book.dir !== 0) openTrades.push(book.openTrade(close[stoppedAt]));
  } else if (bankruptAt < 0 && book.dir !== 0 && last >= 0) {
    if (spec.finalize_trades) {
      const px = rules.finalizeAt === 'last_open' ? open[last] : close[last] * (1 - book.dir * slip);
      book.close(px, last, 'end');
      equity[last] = book.cash;
    } else {
      openTrades.push(book.openTrade(close[last]));
    }
  }

  // `trades` first: the result's keys keep the order they always had
  const result = attachTrades({}, book.trades);
  return Object.assign(result, {
    open_trades: openTrades,
    equity,
    skipped: book.skipped,
    warmup: signals.warmup,
    ...(stoppedAt >= 0 ? { stopped_at: stoppedAt } : {}),
    ...(bankruptAt >= 0 ? { bankrupt_at: bankruptAt } : {}),
  });
}

/** The stop fractions of an entry decided at t: the signal's where it gives a number, else the spec's. */
function entryStopsAt(s: EntryStops, t: number, spec: StopFractions): StopFractions {
  const sl = s.stop_loss ? s.stop_loss[t] : NaN;
  const tp = s.take_profit ? s.take_profit[t] : NaN;
  const tr = s.trailing_stop ? s.trailing_stop[t] : NaN;
  return {
    stopLoss: sl === sl ? sl : spec.stopLoss,
    takeProfit: tp === tp ? tp : spec.takeProfit,
    trailing: tr === tr ? tr : spec.trailing,
  };
}
