import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

describe('migration 001 (datasets)', () => {
  it('creates STRICT datasets and candle_chunks tables with immutability triggers', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, 1);
    expect(schemaVersion(db)).toBe(1);
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string }[];
    const byName = new Map(tables.map((t) => [t.name, t.sql]));
    expect(byName.get('datasets')).toMatch(/STRICT/);
    expect(byName.get('candle_chunks')).toMatch(/STRICT/);
    db.prepare(
      "INSERT INTO datasets (symbol, timeframe, version, content_hash, source, rows, first_time, last_time, created_at) VALUES ('X','1h',1,'h','t',1,0,0,0)",
    ).run();
    const b = Buffer.alloc(8);
    db.prepare('INSERT INTO candle_chunks VALUES (1, 0, 1, ?, ?, ?, ?, ?, ?)').run(b, b, b, b, b, b);
    expect(() => db.prepare('UPDATE candle_chunks SET rows = 2').run()).toThrow(/immutable/);
    expect(() => db.prepare("UPDATE datasets SET content_hash = 'z'").run()).toThrow(/immutable/);
    // STRICT: a text in an INTEGER column is refused
    expect(() =>
      db.prepare("INSERT INTO datasets (symbol, timeframe, version, content_hash, source, rows, first_time, last_time, created_at) VALUES ('X','1h','two','h2','t',1,0,0,0)").run(),
    ).toThrow();
  });
});
