/**
 * Several processes writing one store at once (issue 16, item 1), all real:
 * - four processes opening an empty store together migrate it and seed the demo data once;
 * - an HTTP server storing backtests, three `tradelab optimize` processes and the server's
 *   own `optimize` all running the SAME study, and a fourth CLI another study: nobody gets
 *   "database is locked", no trial is lost or numbered twice (numbers contiguous, every trial
 *   finished, as many as the participants ran), and the store passes integrity_check.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { integrity, jobFile, lastJson, readTrials, startCli, waitUntil, type Exit } from '../helpers/cli-study.js';

const dir = mkdtempSync(join(tmpdir(), 'tradelab-writers-'));
const stops: (() => void)[] = [];
afterAll(() => {
  for (const stop of stops) stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Calls a tool over stateless Streamable HTTP; returns the JSON-RPC result (a CallToolResult). */
async function callTool(url: string, name: string, args: Record<string, unknown>): Promise<{ isError?: boolean; content: { text?: string }[]; structuredContent?: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  const body = await res.text();
  expect(res.status, body).toBe(200);
  // JSON, or server-sent events whose last data line is the response
  const json = body.trimStart().startsWith('{') ? body : (body.split('\n').filter((l) => l.startsWith('data:')).pop() ?? '').slice(5);
  const msg = JSON.parse(json) as { result?: never; error?: unknown };
  expect(msg.error).toBeUndefined();
  return msg.result as never;
}

const clean = (e: Exit): void => {
  expect(e.code, e.stderr).toBe(0);
  expect(e.stderr).not.toMatch(/locked|SQLITE_BUSY|SqliteError|internal error/i);
};

describe('several processes writing one store', () => {
  it('processes opening an empty store together migrate it and seed the demo dataset once', async () => {
    const home = join(dir, 'fresh');
    const runs = await Promise.all(Array.from({ length: 4 }, () => startCli(home, ['datasets']).exited));
    for (const e of runs) clean(e);
    const db = new Database(join(home, 'tradelab.db'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT symbol, timeframe, version FROM datasets').all()).toEqual([{ symbol: 'DEMO-BTC', timeframe: '1h', version: 1 }]);
    db.close();
  }, 60_000);

  it('a server, four CLI studies (three of them on one study) and the server optimising that study too: no lock errors, nothing lost or duplicated', async () => {
    const home = join(dir, 'shared');
    const server = startCli(home, ['serve', '--http', '--allow', 'compute', '--port', '0']);
    stops.push(() => server.child.kill('SIGTERM'));
    let stderr = '';
    server.child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    await waitUntil(() => stderr.includes('Ctrl-C stops the server'), 'the server to start', 30_000);
    const url = (/serving MCP \(stateless Streamable HTTP\) at (http:\/\/\S+)/.exec(stderr) as RegExpExecArray)[1];

    // long enough for the participants, started together, to overlap even on a loaded machine
    const task = { strategy: 'rsi_reversion', n_trials: 120, seed: 3 };
    const shared = jobFile(dir, 'shared', task);
    let cliDone = false;
    const clis = Promise.all([
      startCli(home, ['optimize', shared, '--json']).exited,
      startCli(home, ['optimize', shared, '--json']).exited,
      startCli(home, ['optimize', shared, '--json', '--n-jobs', '2']).exited,
      startCli(home, ['optimize', jobFile(dir, 'other', { strategy: 'sma_cross', sampler: 'random', n_trials: 60, seed: 4 }), '--json']).exited,
    ]).finally(() => (cliDone = true));
    // the server joins the shared study and stores backtests until the CLIs are done
    const served = callTool(url, 'optimize', { ...task, symbol: 'DEMO-BTC', timeframe: '1h', study_name: 'shared', wait_seconds: 120 });
    const backtests = Promise.all(
      [0, 1].map(async (k) => {
        const results = [];
        for (let i = k; !cliDone || i < 10; i += 2) results.push(await callTool(url, 'backtest', { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', params: { fast: 5 + (i % 20), slow: 30 + 10 * (i % 17) } }));
        return results;
      }),
    );
    const exits = await clis;
    const bt = (await backtests).flat();
    const opt = await served;

    for (const e of exits) clean(e);
    expect(bt.length).toBeGreaterThanOrEqual(10);
    for (const r of [...bt, opt]) expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
    expect(opt.structuredContent).toMatchObject({ status: 'succeeded', study_name: 'shared' });

    const db = join(home, 'tradelab.db');
    const rows = readTrials(db, 'shared');
    expect(rows.map((t) => t.number)).toEqual(rows.map((_, i) => i));
    expect(rows.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
    // as many trials as the four participants ran: none lost, none counted twice
    const ran = exits.slice(0, 3).map((e) => lastJson(e.stdout).trials_this_call as number);
    expect(rows.length).toBe(ran.reduce((a, b) => a + b, 0) + (opt.structuredContent?.trials_this_call as number));
    // (one that started after the study had its n_trials runs none: that is a correct resume)
    expect(ran.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    expect(rows.length).toBeGreaterThanOrEqual(120);
    expect(readTrials(db, 'other')).toHaveLength(60);
    const reasons = new Database(db, { readonly: true }).prepare("SELECT value_json FROM trial_system_attributes WHERE key = 'fail_reason'").all() as { value_json: string }[];
    expect(reasons.filter((r) => /lock|busy|sqlite/i.test(r.value_json))).toEqual([]);
    expect(integrity(db)).toBe('ok');
  }, 180_000);
});
