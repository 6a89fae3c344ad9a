/** stdio transport: the whole protocol on stdout, every log line on stderr. */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { App } from '../research/app.js';
import type { JobRunner } from '../research/jobs.js';
import { TIERS } from '../tools/types.js';
import { createServer } from './create-server.js';

export async function serveStdio(app: App, jobs: JobRunner): Promise<void> {
  const server = createServer({ app, jobs, tiers: new Set(TIERS), mode: 'stdio', clientId: 'local' });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
  });
  await jobs.close();
  await server.close();
}
