/** stdio transport: the whole protocol on stdout, every log line on stderr. */
import type { App } from '../research/app.js';
import type { JobRunner } from '../research/jobs.js';
import { MAX_CSV_CHARS } from '../tools/import-candles.js';
import { TIERS } from '../tools/types.js';
import { createServer } from './create-server.js';
import { LineTransport } from './stdio-transport.js';

export async function serveStdio(app: App, jobs: JobRunner): Promise<void> {
  const server = createServer({ app, jobs, tiers: new Set(TIERS), mode: 'stdio', clientId: 'local' });
  const transport = new LineTransport({
    maxMessageBytes: app.config.limits.max_body_bytes,
    limitName: 'config limits.max_body_bytes',
    hint: `import_candles takes at most ${MAX_CSV_CHARS} characters of csv; store larger files with \`tradelab import <file.csv>\`.`,
  });
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
  });
  await jobs.close();
  await server.close();
}
