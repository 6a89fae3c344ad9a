import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { openApp } from '../../src/research/app.js';
import { datasetCandles, ensureDemoData, importCsvText, resampleDataset, resolveDataset } from '../../src/research/datasets.js';
import { UserError } from '../../src/research/errors.js';
import { insertDataset, listDatasets } from '../../src/storage/datasets.js';

const app = () => openApp({ dbFile: ':memory:', home: '/nonexistent', root: '/nonexistent', config: {} });

describe('dataset workflows', () => {
  it('resampling stores a coarser dataset with OHLCV aggregated and its provenance', () => {
    const a = app();
    const c = generateSynthetic({ symbol: 'R', timeframe: '1h', bars: 24 * 10, seed: 2, start: Date.UTC(2024, 0, 1) });
    insertDataset(a.db, { candles: c, source: 't', now: 1 });
    const r = resampleDataset(a, { symbol: 'R', timeframe: '1h' }, '1d');
    expect(r.created).toBe(true);
    expect(r.dataset.timeframe).toBe('1d');
    expect(r.dataset.rows).toBe(10);
    expect(r.dataset.source).toMatch(/resampled from dataset #1/);
    const d = datasetCandles(a, r.dataset);
    expect(d.open[0]).toBe(c.open[0]);
    expect(d.close[0]).toBe(c.close[23]);
    expect(d.high[0]).toBe(Math.max(...c.high.subarray(0, 24)));
    expect(d.low[0]).toBe(Math.min(...c.low.subarray(0, 24)));
    expect(d.volume[0]).toBeCloseTo(c.volume.subarray(0, 24).reduce((s, v) => s + v, 0), 9);
    expect(resampleDataset(a, { symbol: 'R', timeframe: '1h' }, '1d').created).toBe(false);
    expect(() => resampleDataset(a, { symbol: 'R', timeframe: '1d' }, '1h')).toThrow(UserError);
  });

  it('never substitutes another dataset: an unknown symbol is an error listing what exists', () => {
    const a = app();
    ensureDemoData(a);
    try {
      resolveDataset(a, { symbol: 'BTC-USD', timeframe: '1h' });
      expect.unreachable();
    } catch (e) {
      expect((e as UserError).describe()).toMatch(/unknown symbol "BTC-USD".*DEMO-BTC 1h/);
    }
  });

  it('the demo dataset is seeded only into an empty store, flagged synthetic', () => {
    const a = app();
    const ds = ensureDemoData(a);
    expect(ds?.symbol).toBe('DEMO-BTC');
    expect(ds?.is_synthetic).toBe(true);
    expect(ds?.rows).toBe(730 * 24);
    expect(ensureDemoData(a)).toBeNull();
    const b = app();
    importCsvText(b, 'timestamp,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,1\n2024-01-02,1,2,0.5,1.5,1\n', { symbol: 'X', timeframe: '1d', source: 't' });
    expect(ensureDemoData(b)).toBeNull();
    expect(listDatasets(b.db).map((d) => d.symbol)).toEqual(['X']);
  });

  it('a bad CSV imports nothing and names the line', () => {
    const a = app();
    expect(() => importCsvText(a, 'timestamp,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,1\n2024-01-01,1,2,0.5,1.5,1\n', { symbol: 'X', timeframe: '1d', source: 'f.csv' })).toThrow(/line 3/);
    expect(listDatasets(a.db)).toHaveLength(0);
  });
});
