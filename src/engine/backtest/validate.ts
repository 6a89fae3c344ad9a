import { DIRECTIONS, PROFILES, type Candles, type CheckpointHook, type ExecutionSpec, type Signals } from './types.js';
import { InputError } from '../errors.js';

/**
 * Cheap structural checks before a simulation (O(1) except the hook bars). The spec is
 * validated with zod at the edge; these guards catch programming errors inside the engine
 * with a message that names the field, the value and what was expected.
 */
export function checkSimulationInputs(candles: Candles, signals: Signals, spec: ExecutionSpec, hook?: CheckpointHook): void {
  const n = candles.time.length;
  const cols = [candles.open, candles.high, candles.low, candles.close] as const;
  for (const col of cols) {
    if (col.length !== n) throw new RangeError(`candles: every column must have ${n} values (time), got ${col.length}`);
  }
  if (signals.entry.length !== n) throw new RangeError(`signals.entry: expected ${n} values, got ${signals.entry.length}`);
  if (signals.exit.length !== n) throw new RangeError(`signals.exit: expected ${n} values, got ${signals.exit.length}`);
  if (signals.size && signals.size.length !== n) throw new RangeError(`signals.size: expected ${n} values, got ${signals.size.length}`);
  const stops = signals.stops;
  if (stops !== undefined) {
    for (const [k, a] of Object.entries(stops)) {
      if (a && a.length !== n) throw new RangeError(`signals.stops.${k}: expected ${n} values, got ${a.length}`);
    }
  }
  if (!Number.isInteger(signals.warmup) || signals.warmup < 0) {
    throw new RangeError(`signals.warmup: expected an integer >= 0, got ${signals.warmup}`);
  }
  positive('cash', spec.cash);
  fraction('commission', spec.commission, true);
  nonNegative('fixed_fee', spec.fixed_fee);
  nonNegative('slippage_bps', spec.slippage_bps);
  if (!(spec.fraction > 0 && spec.fraction <= 1)) throw new InputError(`spec.fraction: expected a fraction of equity in (0, 1] (no leverage), got ${spec.fraction}`);
  if (spec.units !== null) positive('units', spec.units);
  if (spec.stop_loss !== null) fraction('stop_loss', spec.stop_loss, false);
  if (spec.take_profit !== null) positive('take_profit', spec.take_profit);
  if (spec.trailing_stop !== null) fraction('trailing_stop', spec.trailing_stop, false);
  if (spec.max_hold_bars !== null && !(Number.isInteger(spec.max_hold_bars) && spec.max_hold_bars >= 1)) {
    throw new InputError(`spec.max_hold_bars: expected an integer >= 1 or null, got ${spec.max_hold_bars}`);
  }
  if (!(DIRECTIONS as readonly string[]).includes(spec.direction)) {
    throw new InputError(`spec.direction: expected one of ${DIRECTIONS.join(', ')}, got ${String(spec.direction)}`);
  }
  if (!(PROFILES as readonly string[]).includes(spec.profile)) {
    throw new InputError(`spec.profile: expected one of ${PROFILES.join(', ')}, got ${String(spec.profile)}`);
  }
  if (hook) {
    const b = hook.bars;
    for (let i = 1; i < b.length; i++) {
      if (b[i] < b[i - 1]) throw new RangeError(`hook.bars: must be ascending, bars[${i - 1}] = ${b[i - 1]} > bars[${i}] = ${b[i]}`);
    }
  }
}

function positive(name: string, v: number): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`spec.${name}: expected a finite number > 0, got ${v}`);
}

function nonNegative(name: string, v: number): void {
  if (!(v >= 0) || !Number.isFinite(v)) throw new InputError(`spec.${name}: expected a finite number >= 0, got ${v}`);
}

/** A fraction in [0, 1) (zeroAllowed) or (0, 1). */
function fraction(name: string, v: number, zeroAllowed: boolean): void {
  const ok = zeroAllowed ? v >= 0 && v < 1 : v > 0 && v < 1;
  if (!ok) throw new InputError(`spec.${name}: expected a fraction ${zeroAllowed ? '>= 0' : '> 0'} and < 1 (0.05 = 5 %), got ${v}`);
}
