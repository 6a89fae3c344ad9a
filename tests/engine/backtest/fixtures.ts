/** Tiny hand-made bars and signals for hand-worked simulator cases (test-only). */
import { createRng } from '../../../src/engine/random.js';
import { DEFAULT_EXECUTION, type Candles, type ExecutionSpec, type Signals } from '../../../src/engine/backtest/types.js';

export const DAY = 86_400_000;
/** Monday 2024-01-01T00:00:00Z. */
export const T0 = Date.UTC(2024, 0, 1);

/** Rows are [open, high, low, close]; one bar per `stepMs` from `start`. */
export function bars(rows: readonly (readonly [number, number, number, number])[], start = T0, stepMs = DAY): Candles {
  const n = rows.length;
  const c: Candles = {
    symbol: 'TEST',
    timeframe: '1d',
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n).fill(1),
  };
  rows.forEach(([o, h, l, cl], i) => {
    c.time[i] = start + i * stepMs;
    c.open[i] = o;
    c.high[i] = h;
    c.low[i] = l;
    c.close[i] = cl;
  });
  return c;
}

/** A flat bar at price p. */
export function flat(p: number): [number, number, number, number] {
  return [p, p, p, p];
}

export interface SignalPlan {
  readonly entries?: Record<number, 1 | -1>;
  readonly exits?: Record<number, number>;
  readonly size?: Record<number, number>;
  readonly warmup?: number;
}

export function signals(n: number, plan: SignalPlan = {}): Signals {
  const entry = new Int8Array(n);
  const exit = new Uint8Array(n);
  for (const [k, v] of Object.entries(plan.entries ?? {})) entry[Number(k)] = v;
  for (const [k, v] of Object.entries(plan.exits ?? {})) exit[Number(k)] = v;
  let size: Float64Array | undefined;
  if (plan.size) {
    size = new Float64Array(n).fill(1);
    for (const [k, v] of Object.entries(plan.size)) size[Number(k)] = v;
  }
  return { entry, exit, warmup: plan.warmup ?? 0, ...(size ? { size } : {}) };
}

export function spec(over: Partial<ExecutionSpec> = {}): ExecutionSpec {
  return { ...DEFAULT_EXECUTION, cash: 1000, ...over };
}

/** A seeded random walk of n bars (for property-style checks). */
export function randomWalk(n: number, seed = 1): Candles {
  const rng = createRng(seed);
  const rows: [number, number, number, number][] = [];
  let p = 100;
  for (let i = 0; i < n; i++) {
    const o = p * (1 + (rng.next() - 0.5) * 0.01);
    const c = o * (1 + (rng.next() - 0.5) * 0.04);
    const h = Math.max(o, c) * (1 + rng.next() * 0.01);
    const l = Math.min(o, c) * (1 - rng.next() * 0.01);
    rows.push([o, h, l, c]);
    p = c;
  }
  return bars(rows);
}
