/**
 * `npm run bench:scaling`: why do two trials at once not run twice as fast as one? For each
 * kind of loop (scaling-worker.ts) it times one worker alone and two workers started
 * together, in interleaved rounds, and reports the slowdown of a run when its twin runs
 * beside it (median over rounds). If memory bandwidth were the limit, the streaming loops
 * would slow down and the register-only loop would not; if the two "cores" share one
 * physical core or the host steals time, every kind slows down alike. The bytes each kind
 * streams per step are printed beside it. Flags: --rounds N (7), --json.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';
import type { Kind } from './scaling-worker.js';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(process.argv[roundsArg + 1]) : 7;
const json = process.argv.includes('--json');
const KINDS: [Kind, string][] = [
  ['alu', 'registers only (a multiply-add chain)'],
  ['cache', '8 bytes/step from a 128 KB array (L2-resident)'],
  ['stream64', '8 bytes/step from a 32 MB Float64Array'],
  ['stream32', '4 bytes/step from a 16 MB Float32Array'],
  ['backtest', 'rsi_reversion on 200,000 bars, metrics only, scratch buffers (a trial)'],
];

const file = fileURLToPath(new URL('./scaling-worker.js', import.meta.url));
const workers = [new Worker(file), new Worker(file)];
let lastFaults = 0;
function once(w: Worker, kind: Kind): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { ms: number; faults: number }): void => {
      w.off('error', onError);
      lastFaults = m.faults;
      resolve(m.ms);
    };
    const onError = (e: Error): void => {
      w.off('message', onMessage);
      reject(e);
    };
    w.once('message', onMessage);
    w.once('error', onError);
    w.postMessage(kind);
  });
}

const rows: Record<string, unknown>[] = [];
try {
  for (const [kind] of KINDS) await Promise.all(workers.map((w) => once(w, kind))); // JIT warm-up
  for (const [kind, what] of KINDS) {
    const alone: number[] = [];
    const paired: number[] = [];
    const faults: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ['alone', 'pair'] : ['pair', 'alone'];
      for (const o of order) {
        if (o === 'alone') {
          alone.push(await once(workers[0], kind));
          faults.push(lastFaults);
        }
        else paired.push(...(await Promise.all(workers.map((w) => once(w, kind)))));
      }
    }
    const a = median(alone);
    const p = median(paired);
    const pf = median(faults);
    rows.push({ kind, what, alone_ms: a, paired_ms: p, slowdown: p / a, speedup_2_vs_1: (2 * a) / p, page_faults_alone: pf });
    if (!json) process.stdout.write(`${kind.padEnd(9)} alone ${a.toFixed(1)} ms (${pf} page faults), with its twin ${p.toFixed(1)} ms: slowdown ${((p / a - 1) * 100).toFixed(0)} %, 2 vs 1 = ${((2 * a) / p).toFixed(2)}×  — ${what}\n`);
  }
} finally {
  await Promise.all(workers.map((w) => w.terminate()));
}
if (json) process.stdout.write(`${JSON.stringify({ rounds, rows })}\n`);
