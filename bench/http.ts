/**
 * HTTP load benchmark (`npm run bench:http`): starts `tradelab serve --http --allow compute`
 * as a child process (temp TRADELAB_HOME, free port), then N concurrent SDK clients
 * (StreamableHTTPClientTransport) call `backtest` on the first 10,000 bars of the demo series
 * for a fixed time each, and prints round-trip p50/p99 latency and error counts per N.
 *
 * Two modes, reported separately:
 *   fresh  – `store: false` and a parameter set drawn per call (seeded), so every call runs a
 *            real backtest (nothing is stored, so nothing can be answered from the store);
 *   cached – a few fixed parameter sets, stored, so after warm-up calls are store hits.
 *
 * Options: --duration <s> (default 20) --clients 1,4,16 --modes fresh,cached --runs <n>
 *          (repeat and report the median of the per-run p50/p99) --json --url <running server>
 * Target (DESIGN.md §7): p50 ≤ 30 ms at 4 clients, zero errors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createRng, deriveSeed, type Rng } from '../src/engine/random.js';

const HERE = dirname(fileURLToPath(import.meta.url));
// compiled to dist/bench/http.js; the launcher is <root>/bin/tradelab.js
const ROOT = resolve(HERE, '..', '..');
const BARS = 10_000;
const DEMO_START = Date.UTC(2023, 0, 1);
const HOUR = 3_600_000;
const FAST = [5, 8, 10, 12, 15, 20];
const SLOW = [30, 40, 50, 60, 80, 100, 120, 150];

type Mode = 'fresh' | 'cached';

interface Row {
  readonly mode: Mode;
  readonly clients: number;
  readonly calls: number;
  readonly errors: number;
  readonly per_second: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
  /** CPU time per call of the server process (Linux /proc; null elsewhere or with --url). */
  readonly server_cpu_ms_per_call: number | null;
  /** CPU time per call of this (client) process. */
  readonly client_cpu_ms_per_call: number;
  readonly first_error?: string;
}

/** utime + stime of a process in ms (Linux, USER_HZ = 100), or null. */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return null;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function median(xs: readonly number[]): number {
  return quantile([...xs].sort((a, b) => a - b), 0.5);
}

function startServer(home: string): Promise<{ url: string; child: ChildProcess }> {
  const env: NodeJS.ProcessEnv = { ...process.env, TRADELAB_HOME: home };
  delete env.TRADELAB_TOKEN;
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'tradelab.js'), 'serve', '--http', '--allow', 'compute', '--port', '0'], { cwd: home, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((res, rej) => {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (c: string) => {
      err += c;
      const m = /at (http:\/\/\S+\/mcp)/.exec(err);
      if (m) res({ url: m[1], child });
    });
    child.on('exit', (code) => rej(new Error(`server exited (${code}):\n${err}`)));
  });
}

async function connect(url: string): Promise<Client> {
  const c = new Client({ name: 'tradelab-bench', version: '0.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return c;
}

const range = { symbol: 'DEMO-BTC', timeframe: '1h', from: new Date(DEMO_START).toISOString(), to: new Date(DEMO_START + BARS * HOUR).toISOString() };

/** One of four fixed, stored parameter sets (store hits after warm-up). */
function cachedArgs(i: number): Record<string, unknown> {
  return { strategy: 'sma_cross', params: { fast: FAST[i % 4], slow: SLOW[i % 4] }, ...range };
}

/** A seeded draw of 48 parameter sets, never stored, so every call runs the engine. */
function freshArgs(rng: Rng): Record<string, unknown> {
  return { strategy: 'sma_cross', params: { fast: FAST[rng.int(0, FAST.length - 1)], slow: SLOW[rng.int(0, SLOW.length - 1)] }, ...range, store: false };
}

function argsFor(mode: Mode, rng: Rng): Record<string, unknown> {
  return mode === 'cached' ? cachedArgs(rng.int(0, 3)) : freshArgs(rng);
}

async function measure(url: string, serverPid: number | undefined, mode: Mode, n: number, seconds: number, run: number): Promise<Row> {
  const clients = await Promise.all(Array.from({ length: n }, () => connect(url)));
  const serverCpu0 = processCpuMs(serverPid);
  const clientCpu0 = process.cpuUsage();
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    clients.map(async (c, k) => {
      const rng = createRng(deriveSeed(20_240_601, mode, n, run, k));
      while (performance.now() < deadline) {
        const s = performance.now();
        try {
          const r = (await c.callTool({ name: 'backtest', arguments: argsFor(mode, rng) })) as CallToolResult;
          if (r.isError) {
            errors++;
            firstError ??= JSON.stringify(r.content).slice(0, 300);
          }
        } catch (e) {
          errors++;
          firstError ??= e instanceof Error ? e.message : String(e);
        }
        latencies.push(performance.now() - s);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const serverCpu1 = processCpuMs(serverPid);
  const clientCpu = process.cpuUsage(clientCpu0);
  await Promise.all(clients.map((c) => c.close()));
  latencies.sort((a, b) => a - b);
  return {
    mode,
    clients: n,
    calls: latencies.length,
    errors,
    per_second: latencies.length / elapsed,
    p50_ms: quantile(latencies, 0.5),
    p90_ms: quantile(latencies, 0.9),
    p99_ms: quantile(latencies, 0.99),
    max_ms: latencies[latencies.length - 1] ?? Number.NaN,
    server_cpu_ms_per_call: serverCpu0 !== null && serverCpu1 !== null ? (serverCpu1 - serverCpu0) / latencies.length : null,
    client_cpu_ms_per_call: (clientCpu.user + clientCpu.system) / 1000 / latencies.length,
    ...(firstError ? { first_error: firstError } : {}),
  };
}

function combine(rows: readonly Row[]): Row {
  const first = rows[0];
  return {
    mode: first.mode,
    clients: first.clients,
    calls: rows.reduce((s, r) => s + r.calls, 0),
    errors: rows.reduce((s, r) => s + r.errors, 0),
    per_second: median(rows.map((r) => r.per_second)),
    p50_ms: median(rows.map((r) => r.p50_ms)),
    p90_ms: median(rows.map((r) => r.p90_ms)),
    p99_ms: median(rows.map((r) => r.p99_ms)),
    max_ms: Math.max(...rows.map((r) => r.max_ms)),
    server_cpu_ms_per_call: rows[0].server_cpu_ms_per_call === null ? null : median(rows.map((r) => r.server_cpu_ms_per_call ?? 0)),
    client_cpu_ms_per_call: median(rows.map((r) => r.client_cpu_ms_per_call)),
    ...(rows.find((r) => r.first_error) ? { first_error: rows.find((r) => r.first_error)?.first_error } : {}),
  };
}

async function main(): Promise<void> {
  // The SDK client passes one AbortSignal to every fetch of a transport and undici drops its
  // listeners lazily, so thousands of calls per client trip the (harmless) leak warning.
  setMaxListeners(0);
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '20' },
      clients: { type: 'string', default: '1,4,16' },
      modes: { type: 'string', default: 'fresh,cached' },
      runs: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      url: { type: 'string' },
    },
  });
  const seconds = Number(values.duration);
  const ns = String(values.clients).split(',').map(Number);
  const modes = String(values.modes).split(',') as Mode[];
  const runs = Math.max(1, Number(values.runs));
  if (!(seconds > 0) || ns.some((n) => !Number.isInteger(n) || n < 1) || modes.some((m) => m !== 'fresh' && m !== 'cached')) {
    throw new Error('usage: node dist/bench/http.js [--duration 20] [--clients 1,4,16] [--modes fresh,cached] [--runs 1] [--json]');
  }
  const home = mkdtempSync(join(tmpdir(), 'tradelab-bench-http-'));
  // --url: drive an already running server (e.g. one started under a profiler)
  const { url, child } = values.url ? { url: values.url, child: null } : await startServer(home);
  const say = (s: string): void => {
    if (!values.json) process.stdout.write(`${s}\n`);
  };
  try {
    const probe = await connect(url);
    const check = (await probe.callTool({ name: 'backtest', arguments: { strategy: 'sma_cross', ...range, store: false } })) as CallToolResult;
    const bars = (check.structuredContent as { range?: { bars?: number } } | undefined)?.range?.bars;
    if (check.isError || bars !== BARS) throw new Error(`expected a ${BARS}-bar backtest, got ${JSON.stringify(check.structuredContent ?? check.content).slice(0, 300)}`);
    for (let i = 0; i < 4; i++) await probe.callTool({ name: 'backtest', arguments: cachedArgs(i) });
    await probe.close();
    const load = existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : 'n/a';
    say(`tradelab bench:http — ${url}, backtest sma_cross on ${BARS} bars of DEMO-BTC 1h, ${seconds} s per point, ${runs} run(s), node ${process.version}, load average ${load}`);
    const results: Row[] = [];
    for (const mode of modes) {
      for (const n of ns) {
        const rows: Row[] = [];
        for (let r = 0; r < runs; r++) rows.push(await measure(url, child?.pid, mode, n, seconds, r));
        const row = combine(rows);
        results.push(row);
        say(
          `${mode.padEnd(6)} N=${String(n).padStart(2)}  calls ${String(row.calls).padStart(6)}  ${row.per_second.toFixed(0).padStart(5)}/s  ` +
            `p50 ${row.p50_ms.toFixed(1).padStart(6)} ms  p90 ${row.p90_ms.toFixed(1).padStart(6)} ms  p99 ${row.p99_ms.toFixed(1).padStart(6)} ms  max ${row.max_ms.toFixed(0).padStart(5)} ms  errors ${row.errors}  cpu/call server ${row.server_cpu_ms_per_call?.toFixed(2) ?? 'n/a'} ms, client ${row.client_cpu_ms_per_call.toFixed(2)} ms` +
            (row.first_error ? `  (first: ${row.first_error})` : ''),
        );
      }
    }
    const at4 = results.filter((r) => r.clients === 4);
    const target = at4.length ? at4.every((r) => r.p50_ms <= 30) && results.every((r) => r.errors === 0) : null;
    if (values.json) {
      const loadavg = existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number) : null;
      process.stdout.write(`${JSON.stringify({ url, bars: BARS, seconds, runs, node: process.version, loadavg, results, target_met: target }, null, 2)}\n`);
    } else if (target !== null) {
      say(`target (p50 ≤ 30 ms at 4 clients, zero errors): ${target ? 'MET' : 'NOT MET'}`);
    }
  } finally {
    if (child) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:http failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
