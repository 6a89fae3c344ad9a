import { describe, expect, it } from 'vitest';
import {
  appendChampionVersion,
  ChampionChangedError,
  championSecret,
  championVersions,
  currentVersion,
  getChampionVersion,
  getCurrentChampion,
  listCurrentChampions,
  type NewChampionVersion,
} from '../../src/storage/champions.js';
import { statement } from '../../src/storage/db.js';
import { eachStore } from '../helpers/stores.js';

const KEY = { strategy: 'sma_cross', symbol: 'EUR/USD', timeframe: '1h' };

function version(over: Partial<NewChampionVersion> = {}): NewChampionVersion {
  return {
    ...KEY,
    params: { fast: 10, slow: 30 },
    metrics: { sharpe: 1.2 },
    source_run_id: 'bt_1',
    source_trial: null,
    evidence: { gate_report: { promotable: true } },
    dataset_hash: 'abc',
    engine_version: '1.0.0',
    promoted_at: 1000,
    promoted_by: 'test',
    reason: 'because',
    rollback_of: null,
    ...over,
  };
}

const stores = eachStore();

describe.each(stores)('champion repository ($kind store)', (store) => {
  it('appends versions with a compare-and-set on the current version', () => {
    const db = store.open();
    expect(currentVersion(db, KEY)).toBeNull();
    const v1 = appendChampionVersion(db, version(), null);
    expect(v1.version).toBe(1);
    expect(() => appendChampionVersion(db, version(), null)).toThrow(ChampionChangedError);
    const v2 = appendChampionVersion(db, version({ params: { fast: 5, slow: 20 } }), 1);
    expect(v2.version).toBe(2);
    try {
      appendChampionVersion(db, version(), 1);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ChampionChangedError);
      expect(e).toMatchObject({ expected: 1, actual: 2 });
    }
    expect(getCurrentChampion(db, KEY)).toMatchObject({ version: 2, params: { fast: 5, slow: 20 }, evidence: { gate_report: { promotable: true } } });
    const { versions, total } = championVersions(db, KEY, 1, 0);
    expect(total).toBe(2);
    expect(versions.map((v) => v.version)).toEqual([2]);
    db.close();
  });

  it('a second connection to the store sees the first one\'s versions: its stale compare-and-set is refused', () => {
    const a = store.open();
    const b = store.open();
    appendChampionVersion(a, version(), null);
    expect(() => appendChampionVersion(b, version({ promoted_by: 'b' }), null)).toThrow(ChampionChangedError);
    const v2 = appendChampionVersion(b, version({ promoted_by: 'b', rollback_of: 1 }), 1);
    expect(getCurrentChampion(a, KEY)).toMatchObject({ version: 2, promoted_by: 'b', rollback_of: 1 });
    expect(getChampionVersion(a, KEY, 1)).toMatchObject({ version: 1, promoted_by: 'test', source_trial: null });
    expect(getChampionVersion(a, KEY, 3)).toBeUndefined();
    expect(v2.version).toBe(2);
    // the history is append-only on both stores (same trigger message)
    expect(() => statement(a, 'DELETE FROM champion_versions').run()).toThrow(/champion history is append-only/);
    expect(() => statement(a, 'UPDATE champions SET version = 1').run()).toThrow(/the champion pointer only moves forward/);
  });

  it('rolls back both rows when the hook throws inside the transaction', () => {
    const db = store.open();
    appendChampionVersion(db, version(), null);
    expect(() => appendChampionVersion(db, version(), 1, { afterHistoryInsert: () => { throw new Error('boom'); } })).toThrow('boom');
    expect(currentVersion(db, KEY)).toBe(1);
    expect(championVersions(db, KEY, 10, 0).total).toBe(1);
    db.close();
  });

  it('lists current champions by key with filters; the token secret is 32 random bytes', () => {
    const db = store.open();
    appendChampionVersion(db, version(), null);
    appendChampionVersion(db, version(), 1);
    appendChampionVersion(db, version({ strategy: 'ema_cross' }), null);
    appendChampionVersion(db, version({ symbol: 'GOOG', timeframe: '1d' }), null);
    const all = listCurrentChampions(db, {}, 10, 0);
    expect(all.total).toBe(3);
    expect(all.champions.map((c) => `${c.strategy} ${c.symbol} ${c.timeframe} v${c.version}`)).toEqual(['ema_cross EUR/USD 1h v1', 'sma_cross EUR/USD 1h v2', 'sma_cross GOOG 1d v1']);
    expect(listCurrentChampions(db, { strategy: 'sma_cross', symbol: 'GOOG' }, 10, 0).champions).toHaveLength(1);
    expect(listCurrentChampions(db, { strategy: 'sma_cross' }, 1, 1)).toMatchObject({ total: 2, champions: [{ symbol: 'GOOG', version: 1 }] });
    expect(championSecret(db)).toHaveLength(32);
    db.close();
  });
});
