/**
 * `npm run test:reliability` (issue 16, item 9): attacks on the real CLI and server, outside
 * `npm test` and bounded to about ten minutes, ending with a table of tried / passed / failed
 * per probe. Exits 1 when any attempt failed.
 *
 * Flags: --only a,b (probe names), --json.
 */
import { setMaxListeners } from 'node:events';
import { fuzzProbe } from './reliability/fuzz.js';
import { httpLoadProbe } from './reliability/http-load.js';
import { killResumeProbe } from './reliability/kill-resume.js';
import { limitsProbe } from './reliability/limits.js';
import type { Probe, ProbeResult } from './reliability/probe.js';
import { slowClientsProbe } from './reliability/slow-clients.js';
import { writersProbe } from './reliability/writers.js';

// the SDK's HTTP client adds an abort listener per call to one signal (harmless; bench:http does the same)
setMaxListeners(0);

const PROBES: Probe[] = [killResumeProbe(20), writersProbe(), fuzzProbe(5_000), slowClientsProbe(), limitsProbe(), httpLoadProbe([4, 16], 20)];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const only = arg('only')?.split(',');
const json = process.argv.includes('--json');
for (const n of only ?? []) if (!PROBES.some((p) => p.name === n)) throw new Error(`--only: unknown probe ${JSON.stringify(n)}; expected some of ${PROBES.map((p) => p.name).join(', ')}`);
const chosen = PROBES.filter((p) => !only || only.includes(p.name));

const results: (ProbeResult & { seconds: number; what: string })[] = [];
const t0 = performance.now();
for (const p of chosen) {
  const s = performance.now();
  if (!json) process.stderr.write(`${p.name}: ${p.what} …\n`);
  let r: ProbeResult;
  try {
    r = await p.run();
  } catch (e) {
    r = { probe: p.name, tried: 1, passed: 0, failed: 1, detail: 'the probe itself failed', failures: [e instanceof Error ? (e.stack ?? e.message) : String(e)] };
  }
  results.push({ ...r, what: p.what, seconds: (performance.now() - s) / 1000 });
  if (!json) process.stderr.write(`${p.name}: ${r.passed}/${r.tried} held in ${((performance.now() - s) / 1000).toFixed(0)} s — ${r.detail}\n`);
}

const failed = results.reduce((n, r) => n + r.failed, 0);
if (json) process.stdout.write(`${JSON.stringify({ results, failed, seconds: (performance.now() - t0) / 1000 }, null, 2)}\n`);
else {
  const w = Math.max(...results.map((r) => r.probe.length), 5);
  const lines = [`${'probe'.padEnd(w)}  ${'tried'.padStart(7)}  ${'passed'.padStart(7)}  ${'failed'.padStart(7)}  ${'s'.padStart(5)}  what / measured`];
  for (const r of results) {
    lines.push(`${r.probe.padEnd(w)}  ${String(r.tried).padStart(7)}  ${String(r.passed).padStart(7)}  ${String(r.failed).padStart(7)}  ${r.seconds.toFixed(0).padStart(5)}  ${r.what} — ${r.detail}`);
    for (const f of r.failures) lines.push(`${' '.repeat(w)}  FAILED: ${f}`);
  }
  lines.push(`total ${((performance.now() - t0) / 1000).toFixed(0)} s; ${failed === 0 ? 'every attempt held' : `${failed} attempt(s) failed`}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
process.exitCode = failed === 0 ? 0 : 1;
