import { describe, expect, it } from 'vitest';
import { definitionByHash, definitionVersions, getDefinition, insertDefinition, latestDefinitions } from '../../src/storage/strategy-definitions.js';
import { eachStore } from '../helpers/stores.js';

const stores = eachStore();

describe.each(stores)('strategy definitions repository ($kind store)', (store) => {
  it('versions a name by content: the same hash again is the existing version, a new one the next', () => {
    const db = store.open();
    const a1 = insertDefinition(db, { name: 'ma_cross', hash: 'h1', document: '{"v":1}', source: 'name: ma_cross', now: 1, by: 'test' });
    expect(a1).toMatchObject({ created: true, row: { name: 'ma_cross', version: 1, hash: 'h1', source: 'name: ma_cross', created_by: 'test' } });
    expect(insertDefinition(db, { name: 'ma_cross', hash: 'h1', document: '{"v":1}', now: 2 })).toMatchObject({ created: false, row: { version: 1 } });
    expect(insertDefinition(db, { name: 'ma_cross', hash: 'h2', document: '{"v":2}', now: 3 }).row.version).toBe(2);
    insertDefinition(db, { name: 'rsi_levels', hash: 'h3', document: '{}', now: 4 });
    expect(getDefinition(db, 'ma_cross')?.hash).toBe('h2');
    expect(getDefinition(db, 'ma_cross', 1)?.hash).toBe('h1');
    expect(getDefinition(db, 'nope')).toBeUndefined();
    expect(definitionByHash(db, 'h1')?.version).toBe(1);
    expect(latestDefinitions(db).map((d) => [d.name, d.version])).toEqual([
      ['ma_cross', 2],
      ['rsi_levels', 1],
    ]);
    expect(definitionVersions(db, 'ma_cross').map((d) => d.hash)).toEqual(['h1', 'h2']);
  });
});
