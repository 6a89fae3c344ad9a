/**
 * `npm run bench:components`: the speed budgets of building blocks that the unit tests used
 * to time (speed is checked here, not by timed unit tests). Medians of --runs (default 5)
 * after a warm-up; CPU time where the machine's other load would otherwise show.
 *  - generating 1,000,000 synthetic 1-minute bars (budget: well under 1 s);
 *  - parsing a 200,000-row OHLCV CSV (budget: 1M rows well under 2 s, so 200k under 0.4 s);
 *  - a bar bootstrap of 1,000,000 returns × 100 paths (budget: under 1 s of CPU, so the
 *    default 1,000 paths of a deep analysis take ~10 s or less);
 *  - PBO (CSCV) of 500 trials × 16 blocks = 12,870 splits (budget: well under 1 s of CPU).
 * Flags: --runs N, --json.
 */
import { parseCandlesCsv } from '../src/engine/data/csv.js';
import { generateSynthetic } from '../src/engine/data/synthetic.js';
import { createRng } from '../src/engine/random.js';
import { barBootstrap } from '../src/engine/validation/bootstrap.js';
import { pbo } from '../src/engine/validation/pbo.js';
import { fmt, median } from './stats.js';

const i = process.argv.indexOf('--runs');
const runs = i >= 0 ? Number(process.argv[i + 1]) : 5;
const json = process.argv.includes('--json');

/** Wall and CPU milliseconds of each of `runs` calls of fn (after one untimed call). */
function measure(fn: () => void): { wall: number; cpu: number } {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    wall.push(performance.now() - t0);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function csvText(n: number): string {
  const t0 = Date.UTC(2020, 0, 1);
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let k = 0; k < n; k++) {
    const o = 100 + (k % 97) * 0.01;
    lines.push(`${new Date(t0 + k * 60_000).toISOString()},${o.toFixed(2)},${(o + 0.5).toFixed(2)},${(o - 0.5).toFixed(2)},${(o + 0.1).toFixed(2)},${k % 1000}`);
  }
  return lines.join('\n');
}

const rng = createRng(5);
const returns = Float64Array.from({ length: 1_000_000 }, () => 0.0001 + 0.01 * rng.normal());
const trials = Array.from({ length: 500 }, () =>
  Array.from({ length: 16 }, () => {
    let sum = 0;
    let sumSq = 0;
    for (let k = 0; k < 50; k++) {
      const x = 0.01 * rng.normal();
      sum += x;
      sumSq += x * x;
    }
    return { n: 50, sum, sumSq };
  }),
);
const csv = csvText(200_000);

const rows = [
  { case: 'synthetic 1,000,000 bars', budget_ms: 1000, ...measure(() => generateSynthetic({ symbol: 'B', timeframe: '1m', bars: 1_000_000, seed: 1, start: Date.UTC(2020, 0, 1) })) },
  { case: 'CSV parse 200,000 rows', budget_ms: 400, ...measure(() => parseCandlesCsv(csv, { symbol: 'X', timeframe: '1m' })) },
  { case: 'bar bootstrap 1e6 returns x 100 paths', budget_ms: 1000, ...measure(() => barBootstrap(returns, { seed: 1, paths: 100, periodsPerYear: 365 })) },
  { case: 'PBO 500 trials x 12,870 splits', budget_ms: 1000, ...measure(() => pbo(trials)) },
];
if (json) process.stdout.write(`${JSON.stringify({ runs, rows })}\n`);
else {
  process.stdout.write(`component budgets (median of ${runs} runs; CPU is what is compared with the budget)\n`);
  for (const r of rows) process.stdout.write(`  ${r.case.padEnd(40)} cpu ${fmt(r.cpu).padStart(7)} ms  wall ${fmt(r.wall).padStart(7)} ms  budget ${r.budget_ms} ms  ${r.cpu <= r.budget_ms ? 'PASS' : 'FAIL'}\n`);
}
