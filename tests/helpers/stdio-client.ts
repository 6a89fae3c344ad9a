/** The built CLI (`node bin/tradelab.js serve`) spawned over stdio, with an SDK client connected to it. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { join } from 'node:path';
import { REPO_ROOT } from './shared-data.js';

export interface StdioSession {
  readonly client: Client;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** The server's exit code, or null while it runs. */
  exitCode(): number | null;
}

/** Spawns `tradelab serve` with TRADELAB_HOME = `home` (also its working directory) and connects. */
export async function stdioSession(home: string, name = 'tradelab-stdio-test'): Promise<StdioSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(REPO_ROOT, 'bin', 'tradelab.js'), 'serve'],
    cwd: home,
    env: { ...(process.env as Record<string, string>), TRADELAB_HOME: home },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const client = new Client({ name, version: '0.0.0' });
  await client.connect(transport);
  let code: number | null = null;
  (transport as unknown as { _process?: { on(e: 'exit', f: (c: number | null) => void): void } })._process?.on('exit', (c) => (code = c ?? -1));
  return { client, stderr: () => stderr, exitCode: () => code };
}
