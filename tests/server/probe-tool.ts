/**
 * A test-only tool for the HTTP transport tests, registered through the same register.ts path
 * as real tools: it reports progress from a job and can be held open (until aborted or
 * hold_ms passes), to test progress, cancellation, dropped connections and admission.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { createServer, type ServerOptions } from '../../src/server/create-server.js';
import { registerTool } from '../../src/server/register.js';
import { defineTool, type ToolDef } from '../../src/tools/types.js';
import { sleep } from './http-helpers.js';

export const probe = defineTool({
  name: 'probe_job',
  title: 'Test probe',
  description: 'Test only: reports progress, then holds until aborted or hold_ms passes.',
  tier: 'read',
  inputSchema: {
    steps: z.number().int().min(0).max(20),
    hold_ms: z.number().int().min(0).max(20_000),
    use_job: z.boolean(),
  },
  outputSchema: z.looseObject({ aborted: z.boolean().optional(), run_id: z.string().optional(), status: z.string().optional() }),
  async handler(args, ctx) {
    const hold = (signal: AbortSignal): Promise<void> =>
      new Promise((resolve) => {
        const t = setTimeout(resolve, args.hold_ms);
        signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    if (!args.use_job) {
      await hold(ctx.signal);
      return { text: 'held', data: { aborted: ctx.signal.aborted } };
    }
    const run = ctx.jobs.start('optimize', ctx.clientId, { probe: true }, async (job) => {
      for (let i = 1; i <= args.steps; i++) {
        job.progress(i, args.steps, `step ${i}`);
        await sleep(10);
      }
      await hold(job.signal);
      return { held: true };
    });
    const r = await ctx.jobs.wait(run.id, 15_000, ctx.signal, (p) => void ctx.progress({ progress: p.done, total: p.total ?? undefined, message: p.message }));
    return { text: r.run.status, data: { run_id: run.id, status: r.run.status } };
  },
}) as unknown as ToolDef;

/** The real server factory plus the probe tool. */
export function withProbe(opts: ServerOptions): McpServer {
  const server = createServer(opts);
  registerTool(server, probe, opts);
  return server;
}
