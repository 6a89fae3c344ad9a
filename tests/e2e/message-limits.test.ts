/**
 * Message limits end to end. The built CLI (`node bin/tradelab.js serve`, from dist/) over
 * stdio is sent a message above the SDK's old 10 MiB read-buffer limit while an optimisation
 * runs: it refuses that message with a JSON-RPC error naming the limit, logs it, keeps the
 * job and answers the next request. And import_candles' advertised maximum (MAX_CSV_CHARS)
 * is true: a CSV of exactly that many characters imports over stdio and over HTTP with the
 * default limits, one character more is refused by the tool with a clear error.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/research/app.js';
import { parseConfig } from '../../src/research/config.js';
import { JobRunner } from '../../src/research/jobs.js';
import { startHttpServer } from '../../src/server/http.js';
import { resolveHttpMode } from '../../src/server/modes.js';
import { MAX_CSV_CHARS } from '../../src/tools/import-candles.js';
import { stdioSession } from '../helpers/stdio-client.js';
import { httpClient } from '../server/http-helpers.js';

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

function tempHome(): string {
  const h = mkdtempSync(join(tmpdir(), 'tradelab-limits-'));
  homes.push(h);
  return h;
}

/** A valid hourly candle CSV of exactly `chars` characters (realistic rows; the last one padded with blanks). */
function csvOfLength(chars: number): string {
  const rows = ['timestamp,open,high,low,close,volume'];
  let len = rows[0].length;
  let price = 42_000;
  const t0 = Date.UTC(2020, 0, 1);
  for (let i = 0; ; i++) {
    const open = price;
    price += Math.sin(i / 7) * 40 + Math.cos(i / 3) * 15;
    const close = price;
    const row = [t0 + i * 3_600_000, open.toFixed(8), (Math.max(open, close) + 12.5).toFixed(8), (Math.min(open, close) - 12.5).toFixed(8), close.toFixed(8), (100 + (i % 50)).toFixed(8)].join(',');
    if (len + 1 + row.length + 100 > chars) break;
    rows.push(row);
    len += 1 + row.length;
  }
  const text = rows.join('\n');
  return text + ' '.repeat(chars - text.length);
}

/** Enough trials that the optimisation is still running when the oversize message has been refused. */
const N_TRIALS = 300;

async function until(ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

const textOf = (r: CallToolResult): string => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

describe('stdio: a message above the limit is refused and the server keeps serving', () => {
  it('answers an 11 MiB tools/call with an error naming the limit, keeps a running optimisation, answers the next request', async () => {
    const { client, stderr, exitCode } = await stdioSession(tempHome(), 'stdio-limits');
    try {
      const limit = parseConfig({}).limits.max_body_bytes;
      let progressed = 0;
      let jobDoneAt = 0;
      const job = client
        .callTool({ name: 'optimize', arguments: { strategy: 'sma_cross', symbol: 'DEMO-BTC', timeframe: '1h', sampler: 'random', seed: 1, n_trials: N_TRIALS } }, undefined, {
          onprogress: () => void progressed++,
          timeout: 120_000,
        })
        .finally(() => (jobDoneAt = Date.now()));
      await until(() => progressed > 0);
      const huge = 'x'.repeat(11 * 1024 * 1024);
      const refused = client.callTool({ name: 'import_candles', arguments: { csv: huge, symbol: 'HUGE', timeframe: '1h' } });
      await expect(refused).rejects.toThrow(new RegExp(`Request too large: the message is \\d+ bytes, above the limit of ${limit} bytes \\(config limits.max_body_bytes\\).*tradelab import`));
      const refusedAt = Date.now();
      const info = (await client.callTool({ name: 'server_info', arguments: {} })) as CallToolResult;
      expect(info.structuredContent).toMatchObject({ mode: 'stdio', import_csv_max_chars: MAX_CSV_CHARS, limits: { max_body_bytes: limit } });
      const done = (await job) as CallToolResult;
      expect(done.isError, textOf(done)).toBeFalsy();
      expect(done.structuredContent).toMatchObject({ status: 'succeeded' });
      console.info(`stdio: an 11 MiB message was refused while an optimisation ran; the job finished ${jobDoneAt - refusedAt} ms later`);
      expect(jobDoneAt).toBeGreaterThan(refusedAt); // the job was running across the refusal
      expect(stderr()).toMatch(/tradelab stdio: refused tools\/call \(id \d+\) of 1153\d{4} bytes, above the limit of 8000000/);
      expect(exitCode()).toBeNull();
    } finally {
      await client.close();
    }
  }, 180_000);

  it('imports a CSV of exactly the advertised maximum; one character more is refused by the tool', async () => {
    const { client } = await stdioSession(tempHome(), 'stdio-limits');
    try {
      const csv = csvOfLength(MAX_CSV_CHARS);
      expect(csv.length).toBe(MAX_CSV_CHARS);
      const ok = (await client.callTool({ name: 'import_candles', arguments: { csv, symbol: 'AT-LIMIT', timeframe: '1h' } }, undefined, { timeout: 120_000 })) as CallToolResult;
      expect(ok.isError, textOf(ok)).toBeFalsy();
      const rows = csv.split('\n').length - 1;
      expect(ok.structuredContent).toMatchObject({ created: true, dataset: { symbol: 'AT-LIMIT', bars: rows } });
      const over = (await client.callTool({ name: 'import_candles', arguments: { csv: `${csv} `, symbol: 'OVER', timeframe: '1h' } }, undefined, { timeout: 120_000 })) as CallToolResult;
      expect(over.isError).toBe(true);
      expect(textOf(over)).toMatch(/csv/);
      expect(textOf(over)).toMatch(new RegExp(String(MAX_CSV_CHARS)));
    } finally {
      await client.close();
    }
  }, 180_000);
});

describe('HTTP: the advertised maximum fits the default body limit', () => {
  it('imports a CSV of exactly MAX_CSV_CHARS characters over Streamable HTTP', async () => {
    const home = tempHome();
    const app = openApp({ dbFile: ':memory:', home, root: home });
    const jobs = new JobRunner(app);
    const h = await startHttpServer({ app, jobs, mode: resolveHttpMode({ port: 0, allow: 'compute,write' }), log: () => undefined });
    const client = await httpClient(h.url);
    try {
      const csv = csvOfLength(MAX_CSV_CHARS);
      const ok = (await client.callTool({ name: 'import_candles', arguments: { csv, symbol: 'AT-LIMIT', timeframe: '1h' } }, undefined, { timeout: 120_000 })) as CallToolResult;
      expect(ok.isError, textOf(ok)).toBeFalsy();
      expect(ok.structuredContent).toMatchObject({ created: true, dataset: { bars: csv.split('\n').length - 1 } });
    } finally {
      await client.close();
      await h.close();
      await jobs.close();
      app.db.close();
    }
  }, 120_000);
});
