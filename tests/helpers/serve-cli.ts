/**
 * Spawning the built CLI (`node bin/tradelab.js`, from dist/, which `npm test` builds first)
 * in temporary TRADELAB_HOMEs: `serve --http` until it prints its URL, or any command to
 * completion; `cleanup()` stops the children and removes the homes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './shared-data.js';

export const BIN = join(REPO_ROOT, 'bin', 'tradelab.js');
const CLI = join(REPO_ROOT, 'dist', 'src', 'cli.js');

export interface Started {
  readonly url: string;
  readonly child: ChildProcess;
  readonly home: string;
  readonly stderr: () => string;
}

export interface CliServers {
  tempHome(): string;
  childEnv(home: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** Runs `tradelab serve --http --port 0 <args>` and resolves with the URL it prints, or rejects with its stderr. */
  serve(args: string[], env?: Record<string, string>, home?: string): Promise<Started>;
  /** Runs the CLI to completion (for refusals and one-shot commands). */
  run(args: string[], env?: Record<string, string>, home?: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
  cleanup(): Promise<void>;
}

export function cliServers(): CliServers {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  const homes: string[] = [];
  const children: ChildProcess[] = [];
  const tempHome = (): string => {
    const h = mkdtempSync(join(tmpdir(), 'tradelab-e2e-'));
    homes.push(h);
    return h;
  };
  const childEnv = (home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, TRADELAB_HOME: home, ...extra };
    if (!('TRADELAB_TOKEN' in extra)) delete env.TRADELAB_TOKEN;
    return env;
  };
  return {
    tempHome,
    childEnv,
    serve(args, env = {}, home = tempHome()) {
      const child = spawn(process.execPath, [BIN, 'serve', '--http', '--port', '0', ...args], { cwd: home, env: childEnv(home, env), stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let err = '';
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no URL within 20 s; stderr:\n${err}`)), 20_000);
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (c: string) => {
          err += c;
          const m = /serving MCP \(stateless Streamable HTTP\) at (http:\/\/\S+)/.exec(err);
          if (m && err.includes('Ctrl-C stops the server')) {
            clearTimeout(timer);
            res({ url: m[1], child, home, stderr: () => err });
          }
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          rej(new Error(`exited with ${code} before serving; stderr:\n${err}`));
        });
      });
    },
    run(args, env = {}, home = tempHome()) {
      return new Promise((res) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: home, env: childEnv(home, env), stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8');
        child.stderr.setEncoding('utf8');
        child.stdout.on('data', (c: string) => (stdout += c));
        child.stderr.on('data', (c: string) => (stderr += c));
        child.on('exit', (code) => res({ code, stdout, stderr }));
      });
    },
    async cleanup() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((res) => {
              if (c.exitCode !== null || c.signalCode !== null) return res();
              c.once('exit', () => res());
              c.kill('SIGTERM');
            }),
        ),
      );
      for (const h of homes) rmSync(h, { recursive: true, force: true });
    },
  };
}
