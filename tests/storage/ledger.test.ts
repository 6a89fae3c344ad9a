import { describe, expect, it } from 'vitest';
import { ledgerStats } from '../../src/engine/ledger.js';
import { selectionSet } from '../../src/storage/ledger-selection.js';
import {
  addLedgerEntry,
  distinctConfigurationsBySourcePrefix,
  ensureFamily,
  entriesBySource,
  entriesBySourcePrefix,
  familyCounts,
  familyEntries,
  findFamily,
  type LedgerEntryInput,
} from '../../src/storage/ledger.js';
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

    it('reads entries by source id and by source id prefix', () => {
      const db = store.open();
      const key = { strategy: 'sma_cross', dataset_hash: 'abc', range_from: 0, range_to: 10, symbol: 'X', timeframe: '1d' };
      expect(findFamily(db, key)).toBeUndefined();
      const fam = ensureFamily(db, key, 1);
      expect(findFamily(db, key)).toBe(fam);
      const a = curve(60, 0.001);
      const stats = ledgerStats(a.time, a.equity);
      const entry = (source_id: string, params_hash: string): LedgerEntryInput => ({ source_kind: 'trial', source_id, params_hash, params: {}, stats });
      for (const [id, hash] of [['opt_x#0', 'p1'], ['opt_x#1', 'p2'], ['opt_x#2', 'p1'], ['opt_xy#0', 'p3'], ['opt_%#0', 'p4']]) addLedgerEntry(db, fam, entry(id, hash), 2);
      addLedgerEntry(db, fam, { ...entry('opt_x#3', 'p5'), source_kind: 'wf_trial' }, 2);
      expect(entriesBySource(db, 'trial', 'opt_x#1').map((e) => e.params_hash)).toEqual(['p2']);
      expect(entriesBySourcePrefix(db, 'trial', 'opt_x#').map((e) => e.source_id)).toEqual(['opt_x#0', 'opt_x#1', 'opt_x#2']);
      expect(entriesBySourcePrefix(db, 'trial', 'opt_%').map((e) => e.source_id)).toEqual(['opt_%#0']); // no wildcard
      expect(distinctConfigurationsBySourcePrefix(db, 'trial', 'opt_x#')).toBe(2);
      expect(distinctConfigurationsBySourcePrefix(db, 'trial', 'nope')).toBe(0);
    });

    it('gathers the selection set of a market and range: one member per strategy and configuration, its first Sharpe', () => {
      const db = store.open();
      const a = curve(60, 0.001);
      const stats = ledgerStats(a.time, a.equity);
      const flat = ledgerStats(a.time, new Float64Array(60).fill(100)); // no Sharpe
      const other = ledgerStats(a.time, curve(60, -0.002).equity);
      const fam = (strategy: string, range_from: number, range_to: number, symbol = 'X'): number =>
        ensureFamily(db, { strategy, dataset_hash: `h-${symbol}`, range_from, range_to, symbol, timeframe: '1d' }, 1);
      const sma = fam('sma_cross', 0, 100);
      const smaLater = fam('sma_cross', 50, 200);
      const rsi = fam('rsi', 0, 100);
      const elsewhere = fam('sma_cross', 0, 100, 'Y');
      const add = (f: number, params_hash: string, s: typeof stats, outcome: LedgerEntryInput['outcome'], source_kind: LedgerEntryInput['source_kind'] = 'trial'): void =>
        addLedgerEntry(db, f, { source_kind, source_id: `${f}:${params_hash}`, params_hash, params: {}, outcome, stats: s }, 2);
      add(sma, 'p1', flat, 'pruned');
      add(sma, 'p1', stats, 'complete');
      add(smaLater, 'p1', other, 'complete', 'backtest');
      add(sma, 'p2', flat, 'failed');
      add(rsi, 'p1', other, 'complete', 'holdout');
      add(elsewhere, 'p9', stats, 'complete');
      const set = selectionSet(db, { symbol: 'X', timeframe: '1d', from: 60, to: 80 });
      expect(set.members).toEqual([
        { strategy: 'sma_cross', params_hash: 'p1', entries: 3, complete: 2, pruned: 1, failed: 0, sharpe: stats.sharpe, n_periods: stats.n_periods },
        { strategy: 'sma_cross', params_hash: 'p2', entries: 1, complete: 0, pruned: 0, failed: 1, sharpe: null, n_periods: null },
        { strategy: 'rsi', params_hash: 'p1', entries: 1, complete: 1, pruned: 0, failed: 0, sharpe: other.sharpe, n_periods: other.n_periods },
      ]);
      expect(set).toMatchObject({ entries: 5, families: 3, by_source: { trial: 3, backtest: 1, holdout: 1 } });
      const early = selectionSet(db, { symbol: 'X', timeframe: '1d', from: 0, to: 40, kinds: ['trial', 'holdout'] });
      expect(early.members.map((m) => `${m.strategy} ${m.params_hash} ${m.entries}`)).toEqual(['sma_cross p1 2', 'sma_cross p2 1', 'rsi p1 1']);
      expect(early).toMatchObject({ entries: 4, families: 2, by_source: { trial: 3, holdout: 1 } });
      expect(selectionSet(db, { symbol: 'Z', timeframe: '1d', from: 0, to: 1 })).toEqual({ members: [], by_source: {}, entries: 0, families: 0 });
    });
  });

  it('a flat curve has null sharpe, not a huge number', () => {
    const time = Float64Array.from({ length: 40 }, (_, i) => i * 86_400_000);
    const s = ledgerStats(time, new Float64Array(40).fill(100));
    expect(s.sharpe).toBeNull();
  });
});
