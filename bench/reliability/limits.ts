/**
 * The per-call limits, probed through a real stdio server whose config/server.yaml sets small
 * ones: optimize and walk_forward stop at max_wall_seconds with the finished work kept; a
 * walk-forward with too many windows is refused up front; a dataset above max_bars is refused
 * before it is loaded (the server's peak memory stays small); CR-separated rows count against
 * max_inline_rows; the candle cache stays within candle_cache_mb.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp } from '../../src/research/app.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { CLI, cliEnv, Tally, tempHome, type Probe, type ProbeResult } from './probe.js';

const WALL = 4;
const CONFIG = `limits:\n  max_wall_seconds: ${WALL}\n  max_bars: 2000000\n  max_inline_rows: 1000\n  candle_cache_mb: 64\n`;

/** Peak resident memory of a process in MB (Linux VmHWM), or null. */
function peakMb(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const text = (r: CallToolResult): string => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

export function limitsProbe(): Probe {
  return {
    name: 'limits',
    what: `wall limit (${WALL} s) on optimize and walk_forward, window cap, a 2.5M-bar dataset over max_bars 2M, CR rows, candle cache 64 MB`,
    async run(): Promise<ProbeResult> {
      const t = new Tally('limits');
      const h = tempHome('limits');
      mkdirSync(join(h.dir, 'config'));
      writeFileSync(join(h.dir, 'config', 'server.yaml'), CONFIG);
      // stored before the server starts: two years of hourly bars, a dataset above max_bars, three of 500,000 bars
      const app = openApp({ home: h.dir, root: h.dir });
      insertDataset(app.db, { candles: generateSynthetic({ symbol: 'BIG', timeframe: '1m', bars: 2_500_000, seed: 1, start: Date.UTC(2020, 0, 1) }), source: 'reliability', isSynthetic: true, now: 0 });
      insertDataset(app.db, { candles: generateSynthetic({ symbol: 'H1', timeframe: '1h', bars: 2 * 8760, seed: 3, start: Date.UTC(2022, 0, 1) }), source: 'reliability', isSynthetic: true, now: 0 });
      for (const s of ['C1', 'C2', 'C3']) insertDataset(app.db, { candles: generateSynthetic({ symbol: s, timeframe: '1m', bars: 500_000, seed: 2, start: Date.UTC(2021, 0, 1) }), source: 'reliability', isSynthetic: true, now: 0 });
      app.db.close();
      const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'serve'], cwd: h.dir, env: cliEnv(h.dir) as Record<string, string>, stderr: 'ignore' });
      const client = new Client({ name: 'reliability-limits', version: '1.0.0' });
      await client.connect(transport);
      const call = async (name: string, args: Record<string, unknown>): Promise<{ r: CallToolResult; s: number }> => {
        const t0 = performance.now();
        const r = (await client.callTool({ name, arguments: args }, undefined, { timeout: 300_000 })) as CallToolResult;
        return { r, s: (performance.now() - t0) / 1000 };
      };
      const notes: string[] = [];
      try {
        const space = { period: { type: 'int', low: 2, high: 200 }, lower: { type: 'float', low: 5, high: 45 }, upper: { type: 'float', low: 55, high: 95 } };
        const opt = await call('optimize', { strategy: 'rsi_reversion', symbol: 'H1', timeframe: '1h', space, n_trials: 5000, sampler: 'random', seed: 1, wait_seconds: 120 });
        const os = opt.r.structuredContent as { stopped?: { reason?: string }; trials_total?: number } | undefined;
        t.check(os?.stopped?.reason === 'wall_limit' && opt.s < WALL + 20, () => `optimize: ${JSON.stringify(os?.stopped)} after ${opt.s.toFixed(1)} s`);
        notes.push(`optimize stopped after ${opt.s.toFixed(1)} s (${os?.trials_total} trials)`);
        const wf = await call('walk_forward', { strategy: 'rsi_reversion', symbol: 'H1', timeframe: '1h', is: '120d', oos: '5d', n_trials: 40, seed: 1, wait_seconds: 120 });
        const ws = wf.r.structuredContent as { stopped?: { reason?: string }; windows?: number } | undefined;
        t.check(ws?.stopped?.reason === 'wall_limit' && wf.s < WALL + 20, () => `walk_forward: ${JSON.stringify(ws?.stopped)} after ${wf.s.toFixed(1)} s`);
        notes.push(`walk_forward after ${wf.s.toFixed(1)} s (${ws?.windows} windows)`);
        const many = await call('walk_forward', { strategy: 'sma_cross', symbol: 'H1', timeframe: '1h', is: 50, oos: 1, n_trials: 2 });
        t.check(many.r.isError === true && /window/i.test(text(many.r)) && many.s < 10, () => `17,000 windows: ${text(many.r).slice(0, 200)}`);
        const before = peakMb(transport.pid);
        const big = await call('backtest', { strategy: 'sma_cross', symbol: 'BIG', timeframe: '1m' });
        const after = peakMb(transport.pid);
        t.check(big.r.isError === true && /max_bars|bars/i.test(text(big.r)), () => `over max_bars: ${text(big.r).slice(0, 200)}`);
        t.check(after === null || before === null || after - before < 60, () => `the refused dataset raised the server's peak memory from ${before} to ${after} MB`);
        notes.push(`2.5M-bar dataset refused in ${(big.s * 1000).toFixed(0)} ms, peak memory ${before?.toFixed(0)} → ${after?.toFixed(0)} MB`);
        const cr = `timestamp,open,high,low,close,volume\r${Array.from({ length: 1500 }, (_, i) => `${Date.UTC(2024, 0, 1) + i * 3_600_000},1,2,0.5,1.5,10`).join('\r')}\r`;
        const inline = await call('import_candles', { csv: cr, symbol: 'CR', timeframe: '1h' });
        t.check(inline.r.isError === true && /max_inline_rows|rows/i.test(text(inline.r)), () => `1,500 CR-separated rows over max_inline_rows 1000: ${text(inline.r).slice(0, 200)}`);
        for (const s of ['C1', 'C2', 'C3']) {
          const r = await call('backtest', { strategy: 'sma_cross', symbol: s, timeframe: '1m', store: false });
          t.check(!r.r.isError, () => `backtest ${s}: ${text(r.r).slice(0, 200)}`);
        }
        const info = (await call('server_info', {})).r.structuredContent as { candle_cache?: { bytes: number; max_bytes: number } };
        const cc = info.candle_cache;
        t.check(cc !== undefined && cc.bytes <= 64 * 1024 * 1024 && cc.max_bytes === 64 * 1024 * 1024, () => `candle cache ${JSON.stringify(cc)}`);
        notes.push(`candle cache ${((cc?.bytes ?? 0) / 2 ** 20).toFixed(0)} of 64 MiB after three 500k-bar series`);
      } finally {
        await client.close();
        h.remove();
      }
      return t.result(notes.join('; '));
    },
  };
}
