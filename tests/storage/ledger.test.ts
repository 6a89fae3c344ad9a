import { describe, expect, it } from 'vitest';
import { ledgerStats } from '../../src/engine/ledger.js';
import { addLedgerEntry, ensureFamily, familyCounts, familyEntries } from '../../src/storage/ledger.js';
import { eachStore } from '../helpers/stores.js';

function curve(n: number, drift: number): { time: Float64Array; equity: Float64Array } {
  const time = new Float64Array(n);
  const equity = new Float64Array(n);
  let e = 1000;
  for (let i = 0; i < n; i++) {
    time[i] = Date.UTC(2024, 0, 1) + i * 86_400_000;
    e *= 1 + drift + 0.01 * Math.sin(i * 1.7);
    equity[i] = e;
  }
  return { time, equity };
}

describe('trial ledger', () => {
  const stores = eachStore();
  describe.each(stores)('$kind store', (store) => {
    it('records entries per family with moments and 16 block moments, and counts configurations', () => {
      const db = store.open();
      const key = { strategy: 'sma_cross', dataset_hash: 'abc', range_from: 0, range_to: 10, symbol: 'X', timeframe: '1d' };
      const fam = ensureFamily(db, key, 1);
      expect(ensureFamily(db, key, 2)).toBe(fam);
      const a = curve(200, 0.001);
      const stats = ledgerStats(a.time, a.equity);
      expect(stats.n_periods).toBe(199);
      expect(stats.blocks).toHaveLength(16);
      expect(stats.blocks.reduce((s, b) => s + b.n, 0)).toBe(199);
      addLedgerEntry(db, fam, { source_kind: 'trial', source_id: 's1:0', params_hash: 'p1', params: { fast: 1 }, stats }, 3);
      addLedgerEntry(db, fam, { source_kind: 'trial', source_id: 's2:0', params_hash: 'p1', params: { fast: 1 }, stats }, 4);
      addLedgerEntry(db, fam, { source_kind: 'backtest', source_id: 'bt_1', params_hash: 'p2', params: { fast: 2 }, stats: ledgerStats(a.time, curve(200, -0.001).equity) }, 5);
      expect(familyCounts(db, fam)).toEqual({ entries: 3, configurations: 2, by_source: { trial: 2, backtest: 1 } });
      const entries = familyEntries(db, fam);
      expect(entries[0].sharpe).toBeCloseTo(stats.sharpe as number, 12);
      expect(entries[0].blocks).toEqual(stats.blocks);
    });
  });

  it('a flat curve has null sharpe, not a huge number', () => {
    const time = Float64Array.from({ length: 40 }, (_, i) => i * 86_400_000);
    const s = ledgerStats(time, new Float64Array(40).fill(100));
    expect(s.sharpe).toBeNull();
  });
});
