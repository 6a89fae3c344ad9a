/**
 * Reserved keys (`__proto__`, `constructor`, `prototype`) over HTTP: JSON.parse of the request
 * body makes them own keys, at any depth. Each is refused as an isError result naming its
 * path (never dropped silently, never reaching a prototype), by raw JSON bodies and by the
 * SDK client, and nothing is stored.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp, type App } from '../../src/research/app.js';
import { JobRunner } from '../../src/research/jobs.js';
import { startHttpServer, type HttpHandle } from '../../src/server/http.js';
import { resolveHttpMode } from '../../src/server/modes.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { httpClient, raw, sseMessages } from './http-helpers.js';
import { sqliteOf } from '../helpers/sqlite.js';

let app: App;
let jobs: JobRunner;
let server: HttpHandle;
let client: Client;

beforeAll(async () => {
  app = openApp({ dbFile: ':memory:', home: '/nonexistent-tradelab-home', config: {} });
  jobs = new JobRunner(app);
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 500, seed: 3, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
  server = await startHttpServer({ app, jobs, mode: resolveHttpMode({ port: 0, allow: 'compute,write' }), log: () => undefined });
  client = await httpClient(server.url);
});

afterAll(async () => {
  await client.close();
  await server.close();
  await jobs.close();
  app.db.close();
});

const stored = (): unknown => sqliteOf(app).prepare('SELECT (SELECT COUNT(*) FROM runs) AS runs, (SELECT COUNT(*) FROM studies) AS studies, (SELECT COUNT(*) FROM datasets) AS datasets').get();
const DS = '"strategy": "sma_cross", "symbol": "SYN", "timeframe": "1h"';

/** [tool, its arguments as JSON text, the path the refusal must name]. */
const CASES: [string, string, string][] = [
  ['backtest', `{${DS}, "__proto__": {"store": false}}`, '__proto__'],
  ['backtest', `{${DS}, "params": {"__proto__": {"fast": 3}}}`, 'params.__proto__'],
  ['backtest', `{${DS}, "params": {"constructor": {"fast": 3}}}`, 'params.constructor'],
  ['backtest', `{${DS}, "params": "{\\"__proto__\\": {\\"fast\\": 3}}"}`, 'params.__proto__'],
  ['backtest', `{${DS}, "execution": {"prototype": 1}}`, 'execution.prototype'],
  ['optimize', `{${DS}, "n_trials": 2, "space": {"constructor": {"type": "int", "low": 2, "high": 9}}}`, 'space.constructor'],
  ['backtest_batch', `{"items": [{${DS}, "params": {"__proto__": {"slow": 5}}}]}`, 'items[0].params.__proto__'],
  ['get_run', '{"run_id": "bt_x", "constructor": "x"}', 'constructor'],
  ['import_candles', '{"csv": "timestamp,open,high,low,close\\n1,1,1,1,1", "symbol": "P", "timeframe": "1h", "__proto__": {"source": "x"}}', '__proto__'],
];

describe('reserved keys over HTTP', () => {
  for (const [tool, args, path] of CASES) {
    it(`${tool}: ${path} in a raw JSON body is refused with its path`, async () => {
      const before = stored();
      const body = `{"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "${tool}", "arguments": ${args}}}`;
      const res = await raw(server.url, { body });
      expect(res.status).toBe(200);
      const [msg] = sseMessages(res.body);
      const result = msg.result as CallToolResult;
      expect(result.isError).toBe(true);
      const text = (result.content[0] as { text: string }).text;
      const key = path.split('.').pop()!;
      expect(text).toContain(`${tool}: ${path}: the key "${key}" is not allowed`);
      expect(stored()).toEqual(before);
    });
  }

  it('the SDK client over HTTP gets the same refusal for arguments parsed from JSON', async () => {
    const before = stored();
    for (const [tool, args, path] of CASES) {
      const r = (await client.callTool({ name: tool, arguments: JSON.parse(args) as Record<string, unknown> })) as CallToolResult;
      expect(r.isError, `${tool} ${args}`).toBe(true);
      expect((r.content[0] as { text: string }).text).toContain(`${tool}: ${path}: `);
    }
    expect(stored()).toEqual(before);
    // Object.prototype was never touched
    expect(({} as Record<string, unknown>).store).toBeUndefined();
    expect(({} as Record<string, unknown>).fast).toBeUndefined();
  });
});
