/**
 * The real CLI as an MCP server: `npx tradelab serve` spawned over stdio and driven with the
 * SDK client through a backtest (issue 2), in a temporary store seeded with the demo data.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared-data.js';

const home = mkdtempSync(join(tmpdir(), 'tradelab-stdio-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('npx tradelab serve over stdio', () => {
  it('lists tools, seeds the demo dataset and runs a backtest', async () => {
    const transport = new StdioClientTransport({
      command: 'npx',
      args: ['--no-install', 'tradelab', 'serve'],
      cwd: REPO_ROOT,
      env: { ...(process.env as Record<string, string>), TRADELAB_HOME: home },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    const client = new Client({ name: 'stdio-e2e', version: '0.0.0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('backtest');
      const ds = (await client.callTool({ name: 'list_datasets', arguments: {} })) as CallToolResult;
      const first = (ds.structuredContent as { datasets: { symbol: string; timeframe: string; synthetic: boolean }[] }).datasets[0];
      expect(first).toMatchObject({ symbol: 'DEMO-BTC', timeframe: '1h', synthetic: true });
      const bt = (await client.callTool({ name: 'backtest', arguments: { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', params: { fast: 12, slow: 60 } } })) as CallToolResult;
      expect(bt.isError, JSON.stringify(bt.content)).toBeFalsy();
      const data = bt.structuredContent as { run_id: string; metrics: Record<string, number | null>; trades: number };
      expect(data.run_id).toMatch(/^bt_/);
      expect(typeof data.metrics.return_pct).toBe('number');
      expect(data.trades).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
    expect(stderr).toMatch(/seeded demo dataset/);
  }, 180_000);
});
