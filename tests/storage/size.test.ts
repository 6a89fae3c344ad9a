import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/storage/db.js';
import { formatBytes, storeSize } from '../../src/storage/size.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('storeSize', () => {
  it('reports the file and write-ahead log bytes and the pages in use and free', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradelab-size-'));
    dirs.push(dir);
    const file = join(dir, 'tradelab.db');
    const db = openDb(file);
    db.exec('CREATE TABLE filler (b BLOB)');
    const ins = db.prepare('INSERT INTO filler VALUES (randomblob(100000))');
    for (let i = 0; i < 40; i++) ins.run();
    const full = storeSize(db);
    expect(full.in_memory).toBe(false);
    expect(full.wal_bytes).toBe(statSync(`${file}-wal`).size);
    expect(full.wal_bytes).toBeGreaterThan(0);
    expect(full.file_bytes).toBe(statSync(file).size);
    expect(full.used_bytes).toBeGreaterThan(40 * 100_000);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(storeSize(db)).toMatchObject({ wal_bytes: 0, file_bytes: statSync(file).size });
    db.exec('DELETE FROM filler');
    const after = storeSize(db);
    expect(after.free_pages).toBeGreaterThan(200); // 4 MB of 16 KiB pages, now free for reuse
    expect(after.used_bytes).toBeLessThan(full.used_bytes - 3_900_000);
    expect(after.page_count).toBe(full.page_count); // not given back without a vacuum
    db.close();
  });

  it('says so for an in-memory store, with no file sizes', () => {
    const db = openDb(':memory:');
    expect(storeSize(db)).toMatchObject({ in_memory: true, file_bytes: null, wal_bytes: null });
    expect(storeSize(db).page_count).toBeGreaterThan(0);
    db.close();
  });

  it('formats byte counts', () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(5 * 1024 ** 2), formatBytes(1.38e9)]).toEqual(['512 B', '2.0 KB', '5.0 MB', '1.3 GB']);
  });
});
