/** An in-process MCP client connected to a fresh server over the SDK's in-memory transport. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type App } from '../../src/research/app.js';
import { JobRunner } from '../../src/research/jobs.js';
import { createServer } from '../../src/server/create-server.js';
import { TIERS, type Tier } from '../../src/tools/types.js';

export interface Harness {
  readonly app: App;
  readonly jobs: JobRunner;
  readonly client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export async function harness(opts: { tiers?: readonly Tier[]; app?: App; config?: Record<string, unknown> } = {}): Promise<Harness> {
  // a temporary root, so champion exports (root/config/champions) never land in the repository
  const root = mkdtempSync(join(tmpdir(), 'tradelab-harness-'));
  const app = opts.app ?? openApp({ dbFile: ':memory:', home: root, root, config: opts.config ?? {} });
  const jobs = new JobRunner(app);
  const server = createServer({ app, jobs, tiers: new Set(opts.tiers ?? TIERS), mode: 'in-process', clientId: 'test' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'tradelab-test', version: '0.0.0' });
  await Promise.all([server.connect(a), client.connect(b)]);
  return {
    app,
    jobs,
    client,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await jobs.close();
      await server.close();
      app.db.close();
    },
  };
}

export function textOf(r: CallToolResult): string {
  return r.content
    .filter((c) => c.type === 'text')
    .map((c) => (c.type === 'text' ? c.text : ''))
    .join('\n');
}

export function dataOf<T = Record<string, unknown>>(r: CallToolResult): T {
  if (r.isError) throw new Error(`tool returned an error: ${textOf(r)}`);
  return r.structuredContent as T;
}
