/**
 * `npm run demo` / `tradelab demo`: a scripted agent loop through the real MCP SDK client
 * over stdio against `tradelab serve` in a fresh temporary store — data → backtest →
 * optimise (coarse grid → fine TPE, holdout validation) → walk-forward → deep analysis →
 * champion promotion attempt (gate report) — printed as a readable transcript.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { consoleTranscript, type Transcript } from './transcript.js';

type Data = Record<string, unknown>;

export interface DemoOptions {
  readonly home?: string;
  readonly keep?: boolean;
  readonly transcript?: Transcript;
}

export async function runDemo(opts: DemoOptions = {}): Promise<{ ok: boolean; steps: number }> {
  const t = opts.transcript ?? consoleTranscript();
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'tradelab-demo-'));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(PACKAGE_ROOT, 'bin', 'tradelab.js'), 'serve'],
    env: { ...(process.env as Record<string, string>), TRADELAB_HOME: home },
    // the server's root (where champions are exported) is the demo's own temporary folder
    cwd: home,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'tradelab-demo-agent', version: '1.0.0' });
  let steps = 0;
  let ok = true;
  const call = async (tool: string, args: Data = {}): Promise<Data> => {
    steps++;
    t.call(tool, args);
    const r = (await client.callTool({ name: tool, arguments: args }, undefined, { timeout: 600_000, onprogress: () => undefined })) as CallToolResult;
    const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
    t.result(text, r.isError === true);
    if (r.isError) ok = false;
    return (r.structuredContent ?? {}) as Data;
  };
  try {
    await client.connect(transport);
    t.say(`connected to ${client.getServerVersion()?.name} ${client.getServerVersion()?.version} over stdio (store ${home})`);
    t.say('What data is there?');
    const ds = await call('list_datasets');
    const demo = ((ds.datasets ?? []) as Data[])[0];
    if (!demo) throw new Error('no dataset in the store');
    const symbol = String(demo.symbol);
    const timeframe = String(demo.timeframe);
    const market = { symbol, timeframe };

    t.say('Which strategies exist, and what does RSI mean reversion look like with its defaults?');
    await call('list_strategies', { name: 'rsi_reversion' });
    await call('backtest', { strategy: 'rsi_reversion', ...market, to: '2024-07-01', execution: { commission: 0.001 } });

    t.say('Coarse grid first, then TPE in bounds narrowed around the best coarse trials; validate the top 3 on the later holdout.');
    const opt = await call('optimize', {
      strategy: 'rsi_reversion',
      ...market,
      to: '2024-07-01',
      study_name: 'demo-rsi',
      space: { period: { type: 'int', low: 6, high: 30, step: 6 }, lower: { type: 'int', low: 15, high: 35, step: 10 }, upper: { type: 'int', low: 65, high: 85, step: 10 } },
      sampler: 'grid',
      n_trials: 45,
      objective: 'sharpe',
      constraints: ['trades >= 20'],
      execution: { commission: 0.001 },
      refine: { n_trials: 40, top: 5 },
      validate: { top_k: 3, holdout: { from: '2024-07-01' } },
      seed: 7,
    });
    const validated = (opt.validated ?? []) as { number: number; passed: boolean }[];

    t.say('Does the idea survive walk-forward (optimise 120 days, trade the next 30, repeat)?');
    const wf = await call('walk_forward', { strategy: 'rsi_reversion', ...market, is: '120d', oos: '30d', n_trials: 25, seed: 7, execution: { commission: 0.001 } });

    t.say('Deep analysis of the best configuration (Monte Carlo, PSR/DSR from the trial ledger, PBO, cost sensitivity).');
    const best = opt.best as { run_id?: string } | null;
    if (best?.run_id) await call('analyze_results', { run_id: best.run_id, depth: 'deep', seed: 1 });

    t.say('Try to promote the best validated trial (a dry run: gate report first).');
    const passed = validated.find((v) => v.passed);
    // a validated trial brings its own holdout run as evidence; otherwise the walk-forward run is the candidate
    const candidate = passed ? { run_id: String(opt.run_id), trial: passed.number } : { run_id: String(wf.run_id) };
    // the candidate run fixes strategy, symbol and timeframe; champion_promote takes no others
    const promoteArgs = { candidate };
    const dry = await call('champion_promote', { ...promoteArgs, dry_run: true });
    if (dry.promotable === true && dry.confirm_token) {
      t.say('Every gate passed: confirm the promotion with the token.');
      await call('champion_promote', { ...promoteArgs, dry_run: false, confirm_token: dry.confirm_token, reason: 'demo: passed all gates' });
      await call('champion_status', { strategy: 'rsi_reversion', ...market });
    } else {
      t.say('A gate failed, so this candidate stays out of the registry (no override: a lucky backtest must not be promoted by accident).');
    }
    await call('server_info');
    t.say(`done: ${steps} tool calls${ok ? '' : ' (some returned errors, shown in red above)'}.`);
  } finally {
    await client.close().catch(() => undefined);
    if (!opts.keep && !opts.home) rmSync(home, { recursive: true, force: true });
  }
  return { ok, steps };
}
