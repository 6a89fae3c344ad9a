/**
 * Worker side of `npm run bench:scaling` (bench/scaling.ts): runs one kind of loop when
 * told to and answers with its own elapsed time. Kinds differ in what they touch per step:
 * registers only, a cache-resident array, a streamed array of doubles or of floats, or the
 * real trial workload (a metrics-only backtest with reused scratch buffers).
 */
import { parentPort } from 'node:worker_threads';
import { Scratch } from '../src/engine/backtest/scratch.js';
import { runBacktest } from '../src/engine/backtest/run.js';
import { DEFAULT_EXECUTION } from '../src/engine/backtest/types.js';
import { generateSynthetic } from '../src/engine/data/synthetic.js';
import { getStrategy } from '../src/engine/strategies/registry.js';
import { MapIndicatorCache } from '../src/engine/strategies/types.js';

export type Kind = 'alu' | 'cache' | 'stream64' | 'stream32' | 'backtest';

const big64 = new Float64Array(4_000_000); // 32 MB: far beyond any cache
const big32 = new Float32Array(4_000_000); // 16 MB, the same values as floats
const small = new Float64Array(16_384); // 128 KB: stays in L2
for (let i = 0; i < big64.length; i++) big64[i] = big32[i] = 1 + (i % 97) * 1e-3;
small.set(big64.subarray(0, small.length));
const candles = generateSynthetic({ symbol: 'S', timeframe: '5m', bars: 200_000, seed: 3, start: Date.UTC(2022, 0, 1) });
const rsi = getStrategy('rsi_reversion');
const ctx = { cache: new MapIndicatorCache(), scratch: new Scratch() };

let sink = 0;
/** Each kind's unit of work sized to take roughly 100–300 ms alone. */
const work: Record<Kind, () => void> = {
  alu: () => {
    let x = 1.000001;
    for (let i = 0; i < 60_000_000; i++) x = x * 1.0000001 + 1e-9;
    sink += x;
  },
  cache: () => {
    let s = 0;
    for (let pass = 0; pass < 1200; pass++) for (let i = 0; i < small.length; i++) s += small[i] * 1.5;
    sink += s;
  },
  stream64: () => {
    let s = 0;
    for (let pass = 0; pass < 6; pass++) for (let i = 0; i < big64.length; i++) s += big64[i];
    sink += s;
  },
  stream32: () => {
    let s = 0;
    for (let pass = 0; pass < 6; pass++) for (let i = 0; i < big32.length; i++) s += big32[i];
    sink += s;
  },
  backtest: () => {
    for (let k = 0; k < 12; k++) {
      const p = rsi.params.parse({ period: 2 + (k % 12) * 4, lower: 30, upper: 70 });
      sink += runBacktest(candles, rsi, p, DEFAULT_EXECUTION, ctx).metrics.trades ?? 0;
    }
  },
};

parentPort?.on('message', (kind: Kind) => {
  const f0 = process.resourceUsage().minorPageFault;
  const t0 = performance.now();
  work[kind]();
  const ms = performance.now() - t0;
  // page faults of the whole process while this unit ran (exact when it ran alone)
  parentPort?.postMessage({ ms, faults: process.resourceUsage().minorPageFault - f0, sink });
});
