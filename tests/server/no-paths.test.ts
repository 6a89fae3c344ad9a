/**
 * No machine paths in MCP results: every read-tier tool, every resource and prompt, and the
 * champion write tools are scanned (text and structuredContent) for the temporary project
 * and store directories and for any rooted path, after CSV imports from inside and outside
 * the project (stored with their absolute paths, as `tradelab import` does) and a champion
 * export.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { backtest } from '../../src/research/backtest.js';
import { insertDataset, listDatasets } from '../../src/storage/datasets.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { craftedBacktest, fixture, IS_END, removeTempDirs, type Fixture } from '../helpers/champions.js';
import { harness, type Harness } from '../helpers/mcp.js';

let f: Fixture;
let h: Harness;
let elsewhere: string;
/** A rooted path of two or more segments (`/x/y`, `C:\x\y`), not a URI's `//`. */
const ROOTED = /(?:^|[\s"'(=[]|[A-Za-z]+:)(?:\/(?!\/)[\w.-]+\/|[A-Za-z]:\\\\?[\w.-]+\\)/;

beforeAll(async () => {
  f = fixture();
  elsewhere = mkdtempSync(join(tmpdir(), 'tradelab-elsewhere-'));
  h = await harness({ app: f.app });
  const syn = (symbol: string, seed: number) => generateSynthetic({ symbol, timeframe: '1h', bars: 300, seed, start: Date.UTC(2024, 0, 1) });
  // as `tradelab import` stores them: csv:<absolute path>, inside the project and elsewhere (with a space)
  insertDataset(f.app.db, { candles: syn('EURUSD', 1), source: `csv:${join(f.root, 'data', 'eurusd_1h.csv')}`, now: 1 });
  insertDataset(f.app.db, { candles: syn('GOOG', 2), source: `csv:${join(elsewhere, 'my data', 'goog 1h.csv')}`, now: 1 });
  const run = backtest(f.app, { strategy: 'sma_cross', params: { fast: 10, slow: 60, direction: 'long_only' }, dataset_id: f.ds.id, to: IS_END }).run_id!;
  craftedBacktest(f, { params: { fast: 10, slow: 60 }, from: IS_END, returns: { mu: 0.003, sigma: 0.01, seed: 10 }, trades: 40 });
  backtest(f.app, { strategy: 'sma_cross', symbol: 'EURUSD', timeframe: '1h' });
  const dry = (await h.call('champion_promote', { candidate: { run_id: run } })).structuredContent as { confirm_token: string };
  const done = await h.call('champion_promote', { candidate: { run_id: run }, dry_run: false, confirm_token: dry.confirm_token, reason: 'path scan' });
  expect(done.isError).toBeFalsy();
  leaks('champion_promote', done);
});

afterAll(async () => {
  await h.close();
  rmSync(elsewhere, { recursive: true, force: true });
  removeTempDirs();
});

function leaks(what: string, result: unknown, scripts = false): void {
  const text = JSON.stringify(result);
  for (const dir of [f.root, elsewhere, tmpdir()]) expect(text, `${what} shows ${dir}`).not.toContain(dir);
  // a page of inlined library code is full of rooted-looking regexes ("(/-/"): only the directories above apply
  if (scripts) return;
  // JSON escapes backslashes; undo that for the Windows form
  const m = ROOTED.exec(text.replace(/\\\\/g, '\\'));
  expect(m, `${what} shows a rooted path: ${m?.[0]}`).toBeNull();
}

describe('MCP results show no machine paths', () => {
  it('the stored sources still hold the absolute paths (the CLI shows them)', () => {
    expect(listDatasets(f.app.db).map((d) => d.source)).toContain(`csv:${join(f.root, 'data', 'eurusd_1h.csv')}`);
  });

  it('list_datasets and the datasets resource name CSVs relative to the project, or by base name', async () => {
    const r = await h.call('list_datasets');
    leaks('list_datasets', r);
    const sources = (r.structuredContent as { datasets: { symbol: string; source: string }[] }).datasets.map((d) => [d.symbol, d.source]);
    expect(sources).toEqual(expect.arrayContaining([['EURUSD', 'csv:data/eurusd_1h.csv'], ['GOOG', 'csv:goog 1h.csv']]));
    const doc = await h.client.readResource({ uri: 'tradelab://datasets' });
    leaks('tradelab://datasets', doc);
    expect(JSON.stringify(doc)).toContain('csv:data/eurusd_1h.csv');
  });

  it('champion_status names the export relative to the project', async () => {
    const r = await h.call('champion_status', { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d' });
    leaks('champion_status', r);
    expect((r.structuredContent as { file: string }).file).toBe('config/champions/sma_cross_EUR-USD_1d.json');
  });

  it('every read-tier tool, resource and prompt', async () => {
    const runs = ((await h.call('list_runs', { limit: 500 })).structuredContent as { runs: { run_id: string; kind: string }[] }).runs;
    expect(runs.length).toBeGreaterThan(2);
    const calls: [string, Record<string, unknown>][] = [
      ['server_info', {}],
      ['list_strategies', {}],
      ['list_datasets', {}],
      ['list_runs', {}],
      ['champion_status', {}],
      ['champion_history', { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1d' }],
      ...runs.flatMap((r): [string, Record<string, unknown>][] => [
        ['get_run', { run_id: r.run_id }],
        ...(r.kind === 'backtest' ? (['trades', 'equity', 'skipped', 'open_trades'] as const).map((s): [string, Record<string, unknown>] => ['get_run', { run_id: r.run_id, include: s, limit: 5 }]) : []),
        ...(r.kind === 'backtest' ? [['analyze_results', { run_id: r.run_id, depth: 'deep' }] as [string, Record<string, unknown>]] : []),
        ['render_chart', { run_id: r.run_id, format: 'vega', deep: r.kind === 'backtest' }],
      ]),
      ['analyze_results', { run_ids: runs.filter((r) => r.kind === 'backtest').slice(0, 2).map((r) => r.run_id) }],
    ];
    const read = new Set(ALL_TOOLS.filter((t) => t.tier === 'read').map((t) => t.name));
    expect(new Set(calls.map((c) => c[0]))).toEqual(read); // every read-tier tool is scanned
    for (const [name, args] of calls) {
      const r = (await h.call(name, args)) as CallToolResult;
      expect(r.isError, `${name} ${JSON.stringify(args)}: ${JSON.stringify(r.content)}`).toBeFalsy();
      leaks(`${name} ${JSON.stringify(args)}`, r);
    }
    const { resources } = await h.client.listResources();
    leaks('resources/list', resources);
    for (const res of resources) leaks(res.uri, await h.client.readResource({ uri: res.uri }), res.uri.startsWith('ui://'));
    leaks('prompts/list', await h.client.listPrompts());
    leaks('research_workflow', await h.client.getPrompt({ name: 'research_workflow', arguments: {} }));
    leaks('explain_run', await h.client.getPrompt({ name: 'explain_run', arguments: { run_id: runs[0].run_id } }));
  });
});
