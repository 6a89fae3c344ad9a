import { describe, expect, it } from 'vitest';
import { publicPath, publicSource, redactPaths } from '../../src/research/public-paths.js';

const bases = { root: '/srv/projects/lab', home: '/var/lib/tradelab-store' };

describe('publicPath', () => {
  it('names a file inside the project or the store relative to it', () => {
    expect(publicPath(bases, '/srv/projects/lab/config/champions/sma_cross_EUR-USD_1h.json')).toBe('config/champions/sma_cross_EUR-USD_1h.json');
    expect(publicPath(bases, '/var/lib/tradelab-store/exports/a.csv')).toBe('exports/a.csv');
  });

  it('names a file elsewhere by its base name only', () => {
    expect(publicPath(bases, '/home/operator/data/eurusd_1h.csv')).toBe('eurusd_1h.csv');
    expect(publicPath(bases, '/srv/projects/lab-other/x.csv')).toBe('x.csv'); // a sibling with a common prefix is outside
    expect(publicPath(bases, 'C:\\Users\\op\\data\\goog.csv')).toBe('goog.csv');
  });

  it('keeps relative names, but not ones that climb out with ..', () => {
    expect(publicPath(bases, 'data/eurusd.csv')).toBe('data/eurusd.csv');
    expect(publicPath(bases, '../../home/op/eurusd.csv')).toBe('eurusd.csv');
  });

  it('never treats the filesystem root as the project (everything would be "inside")', () => {
    expect(publicPath({ root: '/', home: '/' }, '/home/operator/eurusd.csv')).toBe('eurusd.csv');
  });
});

describe('publicSource and redactPaths', () => {
  it('shortens a csv: source, spaces in the path included', () => {
    expect(publicSource(bases, 'csv:/home/operator/my data/eurusd 1h.csv')).toBe('csv:eurusd 1h.csv');
    expect(publicSource(bases, 'csv:/srv/projects/lab/data/eurusd_1h.csv')).toBe('csv:data/eurusd_1h.csv');
  });

  it('leaves sources without paths alone', () => {
    for (const s of ['import_candles tool', 'synthetic demo data (seed 42; regime-switching generator, not a real market)', 'resampled from dataset #3 (EUR/USD 1m v1, sha256 0123456789ab)', 'https://example.com/data/eurusd.csv']) {
      expect(publicSource(bases, s)).toBe(s);
    }
  });

  it('replaces absolute paths inside error text, not URIs or symbols with a slash', () => {
    expect(redactPaths(bases, "backtest: internal error: ENOENT: no such file or directory, open '/home/operator/.cache/x.bin'")).toBe(
      "backtest: internal error: ENOENT: no such file or directory, open 'x.bin'",
    );
    expect(redactPaths(bases, 'the champion was saved but its file could not be written: EACCES: permission denied, open /srv/projects/lab/config/champions/.a.tmp')).toBe(
      'the champion was saved but its file could not be written: EACCES: permission denied, open config/champions/.a.tmp',
    );
    const keep = 'see tradelab://runs/bt_1 for EUR/USD 1h; return / drawdown at 2024-01-01T00:00:00.000Z';
    expect(redactPaths(bases, keep)).toBe(keep);
  });
});
