import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src/research/app.js';
import { ensureDemoData } from '../../src/research/datasets.js';
import type { SqliteStoreSize } from '../../src/storage/size.js';
import { dataOf, harness, textOf } from '../helpers/mcp.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('server_info store size', () => {
  it("reports the store file, its write-ahead log and the pages in use, without the store's path", async () => {
    const home = mkdtempSync(join(tmpdir(), 'tradelab-info-'));
    dirs.push(home);
    const app = openApp({ home, root: home, config: { demo: { days: 60 } } });
    ensureDemoData(app);
    const h = await harness({ app });
    try {
      const first = await h.call('server_info');
      const s = dataOf<{ store: SqliteStoreSize }>(first).store;
      expect(s).toMatchObject({ in_memory: false, file_bytes: statSync(join(home, 'tradelab.db')).size, wal_bytes: statSync(join(home, 'tradelab.db-wal')).size });
      expect(s.used_bytes).toBeGreaterThan(60 * 24 * 6 * 8); // the demo candles are in it
      expect(textOf(first)).toMatch(/store: [\d.]+ [KMG]?B file \+ [\d.]+ [KMG]?B write-ahead log, [\d.]+ [KMG]?B in use/);
      expect(JSON.stringify(first)).not.toContain(home);
      for (let fast = 5; fast < 25; fast++) await h.call('backtest', { strategy: 'sma_cross', params: { fast, slow: 60 }, symbol: 'DEMO-BTC', timeframe: '1h' });
      const grown = dataOf<{ store: SqliteStoreSize }>(await h.call('server_info')).store;
      expect(grown.used_bytes).toBeGreaterThan(s.used_bytes);
    } finally {
      await h.close();
    }
  });

  it('says an in-memory store is in memory', async () => {
    const h = await harness();
    try {
      const r = await h.call('server_info');
      expect(dataOf<{ store: SqliteStoreSize }>(r).store).toMatchObject({ in_memory: true, file_bytes: null, wal_bytes: null });
      expect(textOf(r)).toMatch(/store: in memory \(nothing on disk\)/);
    } finally {
      await h.close();
    }
  });
});
