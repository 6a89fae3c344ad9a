/**
 * Concurrent writers on one store: an HTTP server storing backtests and optimising a study,
 * while three CLI processes run the same study and a fourth another one. Nobody may see
 * "database is locked"; trial numbers stay contiguous, nothing is left running, the store is sound.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { integrity, jobFile, readTrials, startCli } from '../../tests/helpers/cli-study.js';
import { startHttp, Tally, tempHome, type Probe, type ProbeResult } from './probe.js';

export function writersProbe(): Probe {
  return {
    name: 'writers',
    what: 'an HTTP server (backtests + optimize) and four CLI optimizations writing one store, three of them one study',
    async run(): Promise<ProbeResult> {
      const t = new Tally('writers');
      const h = tempHome('writers');
      const home = join(h.dir, 'home');
      mkdirSync(home);
      // the server seeds the demo dataset before the CLIs start
      const server = await startHttp(home, ['--allow', 'compute']);
      const client = new Client({ name: 'reliability-writers', version: '1.0.0' });
      try {
        await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
        const task = { strategy: 'rsi_reversion', n_trials: 150, seed: 8 };
        const shared = jobFile(h.dir, 'shared', task);
        let done = false;
        const clis = Promise.all([
          startCli(home, ['optimize', shared, '--json']).exited,
          startCli(home, ['optimize', shared, '--json']).exited,
          startCli(home, ['optimize', shared, '--json', '--n-jobs', '2']).exited,
          startCli(home, ['optimize', jobFile(h.dir, 'other', { strategy: 'sma_cross', sampler: 'random', n_trials: 80, seed: 4 }), '--json']).exited,
        ]).finally(() => (done = true));
        const call = async (name: string, args: Record<string, unknown>): Promise<void> => {
          try {
            const r = (await client.callTool({ name, arguments: args }, undefined, { timeout: 300_000 })) as CallToolResult;
            t.check(!r.isError, () => `${name}: ${JSON.stringify(r.content).slice(0, 300)}`);
          } catch (e) {
            t.check(false, () => `${name}: ${(e as Error).message.slice(0, 300)}`);
          }
        };
        const served = call('optimize', { ...task, symbol: 'DEMO-BTC', timeframe: '1h', study_name: 'shared', wait_seconds: 300 });
        let i = 0;
        while (!done || i < 20) await call('backtest', { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', params: { fast: 5 + (i % 20), slow: 30 + 10 * (i++ % 17) } });
        await served;
        for (const e of await clis) t.check(e.code === 0 && !/locked|SQLITE_BUSY|SqliteError|internal error/i.test(e.stderr), () => `CLI exited ${e.code}: ${e.stderr.slice(-300)}`);
        const db = join(home, 'tradelab.db');
        const rows = readTrials(db, 'shared');
        t.check(rows.every((r, k) => r.number === k), () => 'shared study: trial numbers not contiguous');
        t.check(rows.every((r) => r.state !== 'RUNNING' && r.state !== 'WAITING'), () => 'shared study: a trial was left unfinished');
        t.check(rows.length >= 150, () => `shared study: ${rows.length} trials, expected at least 150`);
        t.check(readTrials(db, 'other').length === 80, () => 'other study: not 80 trials');
        t.check(integrity(db) === 'ok', () => 'integrity_check failed');
        return t.result(`${rows.length} trials in the shared study, ${i} backtests stored beside them`);
      } finally {
        await client.close().catch(() => undefined);
        await server.stop();
        h.remove();
      }
    },
  };
}
