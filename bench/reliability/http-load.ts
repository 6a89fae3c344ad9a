/**
 * bench:http inside the suite: N concurrent SDK clients call `backtest` on 10,000 bars over
 * HTTP for a fixed time (dist/bench/http.js, a separate process). Every call must succeed;
 * the latencies are reported (their budget is checked by bench:http itself, not here).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, Tally, type Probe, type ProbeResult } from './probe.js';

interface Row {
  readonly mode: string;
  readonly clients: number;
  readonly calls: number;
  readonly errors: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly first_error?: string;
}

export function httpLoadProbe(clients: readonly number[], seconds: number): Probe {
  return {
    name: 'http-load',
    what: `bench:http, fresh backtests at ${clients.join(' and ')} clients, ${seconds} s each`,
    async run(): Promise<ProbeResult> {
      const t = new Tally('http-load');
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'bench', 'http.js'), '--duration', String(seconds), '--clients', clients.join(','), '--modes', 'fresh', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const code = await new Promise<number | null>((res) => child.on('exit', res));
      if (code !== 0) {
        t.check(false, () => `bench:http exited ${code}: ${err.slice(-500)}`);
        return t.result('bench:http did not run');
      }
      const rows = (JSON.parse(out) as { results: Row[] }).results;
      for (const r of rows) {
        for (let i = 0; i < r.calls - r.errors; i++) t.check(true, () => '');
        for (let i = 0; i < r.errors; i++) t.check(false, () => `${r.clients} clients: ${r.first_error ?? 'error'}`);
      }
      return t.result(rows.map((r) => `${r.clients} clients: p50 ${r.p50_ms.toFixed(0)} ms, p99 ${r.p99_ms.toFixed(0)} ms, ${r.errors} errors`).join('; '));
    },
  };
}
