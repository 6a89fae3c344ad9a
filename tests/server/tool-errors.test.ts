/**
 * One error model through the MCP tool path: an InputError (SpaceError, DataError, UserError,
 * the engine's checks) comes back as the caller's to fix; anything else, a RangeError thrown
 * by a bug included, as an internal error (message shown, stack on stderr).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DataError } from '../../src/engine/data/errors.js';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { InputError } from '../../src/engine/errors.js';
import { SpaceError } from '../../src/engine/optimizer/space.js';
import { openApp } from '../../src/research/app.js';
import { UserError } from '../../src/research/errors.js';
import { JobRunner } from '../../src/research/jobs.js';
import { createServer } from '../../src/server/create-server.js';
import { registerTool } from '../../src/server/register.js';
import { toolErrorText } from '../../src/server/tool-errors.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { defineTool, TIERS, type ToolDef } from '../../src/tools/types.js';
import { textOf } from '../helpers/mcp.js';

/** A read-tier test tool whose handler throws `e`. */
function throwing(name: string, e: () => Error): ToolDef {
  return defineTool({
    name,
    title: name,
    description: 'Test only: throws.',
    tier: 'read',
    inputSchema: {},
    outputSchema: z.looseObject({}),
    handler: () => {
      throw e();
    },
  }) as unknown as ToolDef;
}

const TOOLS = [
  throwing('throws_space', () => new SpaceError('fast', 'low 50 is greater than high 10; low must be <= high')),
  throwing('throws_data', () => new DataError('invalid_timeframe', 'timeframe', '"7x"', 'timeframe "7x" is not supported; use one of 1m, 5m, 1h, 1d')),
  throwing('throws_user', () => new UserError('no run with id "bt_x"', { field: 'run_id', hint: 'list_runs shows the stored runs' })),
  throwing('throws_range', () => new RangeError('Invalid array length')),
  throwing('throws_type', () => new TypeError("Cannot read properties of undefined (reading 'equity')")),
];

const app = openApp({ dbFile: ':memory:', home: '/nonexistent-tradelab-home', config: {} });
const jobs = new JobRunner(app);
const client = new Client({ name: 'tool-errors-test', version: '0.0.0' });
const call = async (name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> => (await client.callTool({ name, arguments: args })) as CallToolResult;

beforeAll(async () => {
  const opts = { app, jobs, tiers: new Set(TIERS), mode: 'in-process' as const, clientId: 'test' };
  const server = createServer(opts);
  for (const def of TOOLS) registerTool(server, def, opts);
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(a), client.connect(b)]);
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 600, seed: 3, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
});
afterAll(async () => {
  await client.close();
  await jobs.close();
  app.db.close();
});

describe('errors through the MCP tool path', () => {
  it('a SpaceError is an input error: the caller is told what to fix, nothing says internal', async () => {
    const r = await call('throws_space');
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe('throws_space: search space parameter "fast": low 50 is greater than high 10; low must be <= high');
  });

  it('DataError and UserError are input errors too, with the field and hint they carry', async () => {
    expect(textOf(await call('throws_data'))).toBe('throws_data: timeframe "7x" is not supported; use one of 1m, 5m, 1h, 1d');
    expect(textOf(await call('throws_user'))).toBe('throws_user: no run with id "bt_x"; field: run_id; hint: list_runs shows the stored runs');
  });

  it('a RangeError or TypeError from a bug is an internal error, not the caller’s fault; the stack goes to stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const [name, message] of [
        ['throws_range', 'Invalid array length'],
        ['throws_type', "Cannot read properties of undefined (reading 'equity')"],
      ]) {
        const r = await call(name);
        expect(r.isError).toBe(true);
        expect(textOf(r)).toBe(`${name}: internal error: ${message}. The request was not applied; nothing stored was changed.`);
        expect(stderr.mock.calls.some(([line]) => String(line).includes(`internal error in ${name}`))).toBe(true);
      }
    } finally {
      stderr.mockRestore();
    }
  });

  it('the engine’s own input checks reach a real tool as input errors (walk-forward durations and splits)', async () => {
    const wf = { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h', n_trials: 2, seed: 1 };
    const ambiguous = await call('walk_forward', { ...wf, is: '10m', oos: '5d' });
    expect(ambiguous.isError).toBe(true);
    expect(textOf(ambiguous)).toMatch(/^walk_forward: .*is: "10m" is ambiguous/);
    const tooShort = await call('walk_forward', { ...wf, is: '2y', oos: '1y' });
    expect(tooShort.isError).toBe(true);
    expect(textOf(tooShort)).toMatch(/data too short for one walk-forward window/);
    for (const r of [ambiguous, tooShort]) expect(textOf(r)).not.toMatch(/internal error/);
  });
});

describe('toolErrorText', () => {
  it('every InputError subclass is the caller’s; a plain Error is internal', () => {
    expect(new SpaceError('x', 'm')).toBeInstanceOf(InputError);
    expect(new DataError('invalid_date', 'from', '"x"', 'm')).toBeInstanceOf(InputError);
    expect(new UserError('m')).toBeInstanceOf(InputError);
    expect(toolErrorText('t', new InputError('bad value', { field: 'a.b', value: 3, expected: 'a positive number' }))).toBe('t: bad value; field: a.b; got: 3; expected: a positive number');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(toolErrorText('t', new Error('boom'))).toMatch(/^t: internal error: boom\./);
      expect(toolErrorText('t', 'a string')).toMatch(/^t: internal error: a string\./);
    } finally {
      stderr.mockRestore();
    }
  });
});
