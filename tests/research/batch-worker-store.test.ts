/** The write lock the storing batch workers share (src/research/batch/worker-store.ts). */
import { describe, expect, it } from 'vitest';
import { withLock, writeLock } from '../../src/research/batch/worker-store.js';

describe('batch workers write lock', () => {
  it('is held while f runs and released after, also when f throws', () => {
    const lock = new SharedArrayBuffer(4);
    const a = new Int32Array(lock);
    expect(withLock(lock, () => Atomics.load(a, 0))).toBe(1);
    expect(Atomics.load(a, 0)).toBe(0);
    expect(() => withLock(lock, () => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(Atomics.load(a, 0)).toBe(0);
  });

  it('runs f anyway after the longest wait when a holder never releases it (SQLite still orders the writes)', () => {
    const lock = new SharedArrayBuffer(4);
    const a = new Int32Array(lock);
    Atomics.store(a, 0, 1); // a writer that died holding the lock
    const t0 = Date.now();
    expect(withLock(lock, () => 'ran', 120)).toBe('ran');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    expect(Atomics.load(a, 0)).toBe(1); // not ours to release
  });

  it('gives one lock per database file', () => {
    expect(writeLock('/a.db')).toBe(writeLock('/a.db'));
    expect(writeLock('/a.db')).not.toBe(writeLock('/b.db'));
  });
});
