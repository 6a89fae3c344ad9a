/**
 * The fuzz campaign: hostile arguments to every listed tool (tests/helpers/fuzz-args.ts),
 * over stdio and over HTTP against the real CLI. Each answer must be a valid result or a
 * clean isError result — never a protocol error, an internal error or a dead server — and the
 * server must still answer server_info after each tool's share.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { answerProblem, argsFor, exampleCalls } from '../../tests/helpers/fuzz-args.js';
import { CLI, cliEnv, startHttp, Tally, tempHome, type Probe, type ProbeResult } from './probe.js';

async function campaign(t: Tally, client: Client, calls: number, seed: number): Promise<void> {
  const { tools } = await client.listTools();
  const demo = (await client.callTool({ name: 'backtest', arguments: { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', to: '2023-03-01' } })) as CallToolResult;
  const spare = (await client.callTool({ name: 'backtest', arguments: { strategy: 'sma_cross', params: { fast: 3, slow: 9 }, symbol: 'DEMO-BTC', timeframe: '1h', to: '2023-03-01' } })) as CallToolResult;
  const id = (r: CallToolResult): string => String((r.structuredContent as { run_id?: string } | undefined)?.run_id ?? 'bt_none');
  const examples = exampleCalls('DEMO-BTC', '1h', id(demo), id(spare));
  const per = Math.ceil(calls / tools.length);
  for (const [k, tool] of tools.entries()) {
    const keys = Object.keys((tool.inputSchema as { properties?: Record<string, unknown> }).properties ?? {});
    const samples = fc.sample(argsFor(keys, examples[tool.name]), { numRuns: per, seed: seed + k });
    for (const args of samples) {
      try {
        const r = (await client.callTool({ name: tool.name, arguments: args }, undefined, { timeout: 60_000 })) as CallToolResult;
        const problem = answerProblem(r);
        t.check(problem === null, () => `${tool.name}(${JSON.stringify(args).slice(0, 200)}): ${problem}`);
      } catch (e) {
        t.check(false, () => `${tool.name}(${JSON.stringify(args).slice(0, 200)}): protocol error ${(e as Error).message.slice(0, 200)}`);
      }
    }
    const info = (await client.callTool({ name: 'server_info', arguments: {} })) as CallToolResult;
    t.check(!info.isError, () => `server_info after ${tool.name}: ${JSON.stringify(info.content).slice(0, 200)}`);
  }
}

export function fuzzProbe(calls: number): Probe {
  return {
    name: 'fuzz',
    what: `≥ ${calls} hostile tool calls, half over stdio, half over HTTP`,
    async run(): Promise<ProbeResult> {
      const t = new Tally('fuzz');
      const a = tempHome('fuzz-stdio');
      const b = tempHome('fuzz-http');
      const stdio = new Client({ name: 'reliability-fuzz', version: '1.0.0' });
      await stdio.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'serve'], cwd: a.dir, env: cliEnv(a.dir) as Record<string, string>, stderr: 'ignore' }));
      const server = await startHttp(b.dir);
      const http = new Client({ name: 'reliability-fuzz', version: '1.0.0' });
      try {
        await campaign(t, stdio, Math.ceil(calls / 2), 7_001);
        await http.connect(new StreamableHTTPClientTransport(new URL(server.url)));
        await campaign(t, http, Math.ceil(calls / 2), 9_001);
      } finally {
        await stdio.close().catch(() => undefined);
        await http.close().catch(() => undefined);
        await server.stop();
        a.remove();
        b.remove();
      }
      return t.result(`${t.tried} answers checked (stdio, then HTTP with --allow compute,write)`);
    },
  };
}
