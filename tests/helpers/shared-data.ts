/**
 * Access to the real OHLCV fixtures in ../shared/data (present in CI). Tests that need them
 * use `describeShared`, which skips *loudly* (a console warning naming the missing path)
 * when the folder is absent, instead of passing silently.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { describe, it } from 'vitest';

/** The package root, found from package.json (so it is right from tests/ and from dist/tests/ alike). */
export const REPO_ROOT = PACKAGE_ROOT;
export const SHARED_DATA = resolve(REPO_ROOT, '..', 'shared', 'data');

export function sharedDataPath(file: string): string {
  return resolve(SHARED_DATA, file);
}

export function hasSharedData(file = 'goog_1d.csv'): boolean {
  return existsSync(sharedDataPath(file));
}

/** describe() that runs only when the shared fixture exists, and says so when it does not. */
export function describeShared(name: string, file: string, fn: () => void): void {
  if (!hasSharedData(file)) {
    console.warn(`SKIPPED "${name}": shared fixture ${sharedDataPath(file)} not found`);
    // the body is not collected: it may read the missing file while defining its tests
    describe.skip(`${name} [SKIPPED: ${sharedDataPath(file)} missing]`, () => {
      it(`needs ${sharedDataPath(file)}`, () => undefined);
    });
    return;
  }
  describe(name, fn);
}

export interface RawBars {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Minimal reader for the clean fixture format (timestamp,open,high,low,close,volume). Test-only. */
export function readSharedBars(file: string): RawBars {
  const lines = readFileSync(sharedDataPath(file), 'utf8').trim().split(/\r?\n/);
  const n = lines.length - 1;
  const cols = { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const [t, o, h, l, c, v] = lines[i + 1].split(',');
    cols.time[i] = Date.parse(t);
    cols.open[i] = Number(o);
    cols.high[i] = Number(h);
    cols.low[i] = Number(l);
    cols.close[i] = Number(c);
    cols.volume[i] = Number(v);
  }
  return cols;
}

export const SHARED_FILES = [
  'goog_1d.csv',
  'eurusd_1h.csv',
  'btcusd_1mo.csv',
  'eth_btc_5m.csv',
  'unittest_btc_1m.csv',
  'unittest_btc_30m.csv',
  'xrp_eth_1m.csv',
  'xrp_usdt_usdt_1h.csv',
] as const;
