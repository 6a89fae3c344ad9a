/**
 * The reliability suite's building blocks: a probe reports how many attempts it made and how
 * many held, with the first failures; helpers start the real CLI (HTTP or stdio) in a
 * temporary TRADELAB_HOME, as an operator would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/bench/reliability/probe.js → the repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI = join(ROOT, 'bin', 'tradelab.js');

export interface ProbeResult {
  readonly probe: string;
  readonly tried: number;
  readonly passed: number;
  readonly failed: number;
  /** One line: what was measured. */
  readonly detail: string;
  /** The first few failures, for the report. */
  readonly failures: string[];
}

export interface Probe {
  readonly name: string;
  /** What it attacks (one line, for the table). */
  readonly what: string;
  run(): Promise<ProbeResult>;
}

/** Counts attempts; keeps the first failures. */
export class Tally {
  tried = 0;
  passed = 0;
  readonly failures: string[] = [];
  constructor(readonly probe: string) {}
  check(ok: boolean, failure: () => string): boolean {
    this.tried++;
    if (ok) this.passed++;
    else if (this.failures.length < 5) this.failures.push(failure());
    return ok;
  }
  result(detail: string): ProbeResult {
    return { probe: this.probe, tried: this.tried, passed: this.passed, failed: this.tried - this.passed, detail, failures: this.failures };
  }
}

export function tempHome(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `tradelab-rel-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TRADELAB_HOME: home, ...extra };
  delete env.TRADELAB_TOKEN;
  return env;
}

/** `tradelab serve --http` on a free port; resolves with its MCP URL once it listens. */
export function startHttp(home: string, args: readonly string[] = ['--allow', 'compute,write']): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--http', '--port', '0', ...args], { cwd: home, env: cliEnv(home), stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start within 60 s:\n${err}`)), 60_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (c: string) => {
      err += c;
      const m = /at (http:\/\/\S+\/mcp)/.exec(err);
      if (m) {
        clearTimeout(timer);
        res({ url: m[1], child, stop: () => stopChild(child) });
      }
    });
    child.on('exit', (code) => rej(new Error(`server exited (${code}):\n${err}`)));
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((res) => {
    child.once('exit', () => res());
    child.kill('SIGTERM');
    setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
  });
}

/** Runs the CLI to completion. */
export function runCli(home: string, args: readonly string[], timeoutMs = 300_000): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: home, env: cliEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((res) => child.on('exit', (code, signal) => (clearTimeout(timer), res({ code, signal, stdout, stderr }))));
}
